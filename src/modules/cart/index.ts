// The cart's public door for other modules and the dashboard: its contract only. The factory and
// adapters are in module.ts, for src/entrypoints/ alone.
export * from "./contract";
