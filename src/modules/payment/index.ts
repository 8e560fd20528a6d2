// The payment module's only public door: its contract, the factory and the HTTP adapter.
export * from "./contract";
export { createPaymentModule, type PaymentModule } from "./payment-module";
export { httpPaymentApi } from "./payment-clients";
// Checkout validates a card number and the amount before it creates anything; the rules are the processor's.
export { CHARGE_AMOUNT_LIMITS, chargeAmountProblem, checkChargeAmount, normaliseCardNumber } from "./card-processor";
