// Split mode: payments on their own.
import { createPaymentModule } from "../modules/payment/module";
import { runService, serviceContext } from "./service-runtime";

const ctx = serviceContext("payment");
await runService(ctx, "Shop payment", createPaymentModule(ctx.deps));
