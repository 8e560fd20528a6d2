// Split mode: orders on their own; cart, catalog and payment are reached over HTTP.
import { httpCartApi } from "../modules/cart/module";
import { httpCatalogApi } from "../modules/catalog/module";
import { createOrderModule } from "../modules/order/module";
import { httpPaymentApi } from "../modules/payment/module";
import { memoryRateLimiters } from "../platform/throttling/memory-rate-limiter";
import { clientOptions, runService, serviceContext } from "./service-runtime";

const ctx = serviceContext("order");
const order = createOrderModule({
  ...ctx.deps,
  cart: httpCartApi(clientOptions(ctx, "order", "cart")),
  catalog: httpCatalogApi(clientOptions(ctx, "order", "catalog")),
  payments: httpPaymentApi(clientOptions(ctx, "order", "payment")),
  secret: ctx.config.tokenSecret,
  liveFeedGroup: `order-live-${ctx.instanceId}`,
  declinedPayments: {
    limiterFor: memoryRateLimiters,
    perAccount: ctx.config.throttle.declinedPerAccount,
    perAddress: ctx.config.throttle.declinedPerAddress,
    addresses: ctx.addresses,
  },
  checkoutSweep: ctx.config.checkoutSweep,
});
await runService(ctx, "Shop order", order);
