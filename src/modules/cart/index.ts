// The cart's only public door: its contract, the factory and the HTTP adapter.
export * from "./contract";
export { createCartModule, type CartModule } from "./cart-module";
export { httpCartApi } from "./cart-clients";
