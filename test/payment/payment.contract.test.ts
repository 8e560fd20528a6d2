import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { PaymentApi } from "../../src/modules/payment";
import { createPaymentModule, httpPaymentApi, type PaymentModule } from "../../src/modules/payment/module";
import { AppError } from "../../src/platform/errors";
import { engines } from "../support/engines";
import { clientOptions, forBothAdapters, moduleDepsOn, serve } from "../support/module-harness";

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    let payment: PaymentModule;
    let server: ReturnType<typeof serve>;
    beforeAll(async () => {
      payment = createPaymentModule(await moduleDepsOn(engine, "payment_contract"));
      await payment.start();
      server = serve(payment);
    }, engine.setupTimeoutMs + 30_000);
    afterAll(() => server?.close());

    const charge = (api: PaymentApi, cardNumber: string, orderId = `o-${crypto.randomUUID()}`) =>
      api.charge({ orderId, userId: "u-1", amountCents: 1234, currency: "EUR", cardNumber });

    forBothAdapters(
      describe,
      { "in-process": () => payment.api, http: () => httpPaymentApi(clientOptions(server.baseUrl)) },
      (api: () => PaymentApi) => {
        test("test cards: 4242 captures, 0002 declines, 9995 is insufficient funds", async () => {
          expect(await charge(api(), "4242 4242 4242 4242")).toMatchObject({ status: "CAPTURED", cardLast4: "4242", amountCents: 1234, declineReason: null });
          expect(await charge(api(), "4000000000000002")).toMatchObject({ status: "DECLINED", declineReason: "card_declined" });
          expect(await charge(api(), "4000000000009995")).toMatchObject({ status: "DECLINED", declineReason: "insufficient_funds" });
        });

        test("charging the same order again returns the first payment", async () => {
          const orderId = `o-${crypto.randomUUID()}`;
          const first = await charge(api(), "4242424242424242", orderId);
          const again = await charge(api(), "4000000000000002", orderId);
          expect(again).toEqual(first);
          expect(await api().findByOrder(orderId)).toEqual(first);
          expect(await api().findByOrder("never-charged")).toBeNull();
        });

        test("an invalid card number is a 422 AppError, and nothing is stored", async () => {
          const orderId = `o-${crypto.randomUUID()}`;
          const error = await charge(api(), "1234", orderId).catch((e) => e);
          expect(error).toBeInstanceOf(AppError);
          expect(error).toMatchObject({ status: 422, code: "INVALID_CARD_NUMBER" });
          expect(await api().findByOrder(orderId)).toBeNull();
        });

        test("the processor takes 50 to 99,999,999 minor units: anything else is a 422 naming the amount and bounds, and nothing is stored", async () => {
          for (const amountCents of [0, 49, 100_000_000, 300_000_000, 12.5]) {
            const orderId = `o-${crypto.randomUUID()}`;
            const error = await api().charge({ orderId, userId: "u-1", amountCents, currency: "EUR", cardNumber: "4242424242424242" }).catch((e) => e);
            expect(error).toBeInstanceOf(AppError);
            // Over HTTP a fraction fails the body's integer schema first: a 422 all the same.
            expect(error.status).toBe(422);
            if (Number.isInteger(amountCents)) expect(error).toMatchObject({ code: "AMOUNT_OUT_OF_BOUNDS", details: { amountCents, minCents: 50, maxCents: 99_999_999 } });
            expect(await api().findByOrder(orderId)).toBeNull();
          }
          for (const amountCents of [50, 99_999_999]) {
            const payment = await api().charge({ orderId: `o-${crypto.randomUUID()}`, userId: "u-1", amountCents, currency: "EUR", cardNumber: "4242424242424242" });
            expect(payment).toMatchObject({ status: "CAPTURED", amountCents });
          }
        });

        test("refund: captured becomes refunded (idempotently); declined has nothing to refund", async () => {
          const paid = await charge(api(), "4242424242424242");
          expect((await api().refund(paid.orderId)).status).toBe("REFUNDED");
          expect((await api().refund(paid.orderId)).status).toBe("REFUNDED");
          const declined = await charge(api(), "4000000000000002");
          expect(await api().refund(declined.orderId).catch((e) => e)).toMatchObject({ status: 409, code: "NOT_REFUNDABLE" });
          expect(await api().refund("no-such-order").catch((e) => e)).toMatchObject({ status: 404 });
        });
      },
    );
  });
}
