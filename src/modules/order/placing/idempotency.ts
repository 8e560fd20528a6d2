import { unprocessable } from "../../../platform/errors";
import { nowIso } from "../../../platform/ids";
import type { IdempotencyRecord } from "../order-repository";

/** The parts of a checkout's body that make it the same request: the card and what the customer expected to pay. */
export interface CheckoutBody {
  /** Normalised (digits only): "4242 4242 …" and "42424242…" are the same card. */
  cardNumber: string;
  expectedTotalCents?: number;
  expectedCurrency?: string;
}

/**
 * One checkout per customer and Idempotency-Key. The key is stored with the order it placed (in
 * the same unit: OrderRepository.placePending) and the HMAC of the request body, so a retry with
 * the same body continues or replays that checkout, and the same key with another body is a 422.
 * The HMAC is keyed, so the stored hash reveals nothing about a card number.
 */
export class CheckoutIdempotency {
  constructor(private readonly secret: string) {}

  /** The record that claims `key` for the order `orderId` places. */
  claim(userId: string, key: string, body: CheckoutBody, orderId: string): IdempotencyRecord {
    return { userId, key, requestHash: this.requestHash(body), orderId, createdAt: nowIso() };
  }

  /** Throws the 422 when a key seen before comes back with another body. */
  checkSameRequest(known: IdempotencyRecord, body: CheckoutBody): void {
    if (known.requestHash !== this.requestHash(body)) {
      throw unprocessable("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used with a different request body", { header: "Idempotency-Key" });
    }
  }

  /** Fields are added only when sent, so a body without the expectations hashes as it always did. */
  private requestHash({ cardNumber, expectedTotalCents, expectedCurrency }: CheckoutBody): string {
    const body = { cardNumber, ...(expectedTotalCents !== undefined && { expectedTotalCents }), ...(expectedCurrency !== undefined && { expectedCurrency }) };
    return new Bun.CryptoHasher("sha256", this.secret).update(JSON.stringify(body)).digest("hex");
  }
}
