// The order module's public door for other modules and the dashboard: its contract only (types,
// events, the status machine's table). The factory is in module.ts, for src/entrypoints/ alone.
export * from "./contract";
