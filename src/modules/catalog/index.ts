// The catalog's only public door. Other modules import contract types from here, nothing else;
// entrypoints use the factory and the adapters to wire the module in either mode.
export * from "./contract";
export { createCatalogModule, type CatalogModule } from "./catalog-module";
export { httpCatalogApi } from "./catalog-clients";
