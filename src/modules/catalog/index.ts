// The catalog's public door for other modules and the dashboard: its contract only (types, the
// CatalogApi interface, event names and shapes). The factory and adapters are in module.ts.
export * from "./contract";
