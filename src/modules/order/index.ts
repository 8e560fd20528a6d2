// The order module's only public door: its contract (types, events, state machine) and factory.
export * from "./contract";
export { createOrderModule, type OrderModule } from "./order-module";
