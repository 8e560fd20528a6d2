// The payment module's public door for other modules and the dashboard: its contract only (types,
// the PaymentApi interface, events, the charge bounds). The factory and adapters are in module.ts.
export * from "./contract";
