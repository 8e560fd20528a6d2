// Ceiling for checkouts: the rows one checkout writes in the shop (two cart adds, the order and
// its idempotency key at its cart revision, the stock reservation, the payment, the PAID update,
// every outbox event, the relay marking them published, the cart emptied through its inbox and
// moved to its next checkout revision), done with prepared
// statements in a synchronous loop, no HTTP, no ORM. Each module keeps its own file, as in the
// shop; they are ATTACHed to one connection so one transaction can hold the whole write set.
//   bun bench/ceiling/sqlite-checkout.ts <seconds> <max checkouts> [one-tx|per-step]
// per-step: the same writes split into 13 commits, one per step plus the relay's autocommits (the
// shop made 16 when this was written), to show what the number of commits alone costs.
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyModuleMigrations, shopPragmas } from "./module-schema";

const seconds = Number(process.argv[2] ?? 5);
const maxCheckouts = Number(process.argv[3] ?? 1_000_000);
const variant = (process.argv[4] ?? "one-tx") as "one-tx" | "per-step";
const MODULES = ["order", "catalog", "payment", "cart"] as const;

const dir = mkdtempSync(join(tmpdir(), "bench-sqlite-ceiling-"));
for (const m of MODULES) {
  const db = new Database(join(dir, `${m}.sqlite`), { create: true, strict: true });
  shopPragmas(db);
  applyModuleMigrations(db, m);
  db.close();
}

// one-tx: one connection, the other files attached under their module names.
// per-step: one connection per module file, like the shop.
const conns: Record<(typeof MODULES)[number], Database> = {} as never;
const prefix: Record<string, string> = {};
if (variant === "one-tx") {
  const main = new Database(join(dir, "order.sqlite"), { strict: true });
  shopPragmas(main);
  for (const m of ["catalog", "payment", "cart"]) {
    main.run(`ATTACH DATABASE '${join(dir, `${m}.sqlite`)}' AS ${m}`);
    main.run(`PRAGMA ${m}.synchronous = FULL`); // per schema, as the shop sets each file (an attached one would default to FULL too)
  }
  for (const m of MODULES) {
    conns[m] = main;
    prefix[m] = m === "order" ? "main." : `${m}.`;
  }
} else {
  for (const m of MODULES) {
    conns[m] = new Database(join(dir, `${m}.sqlite`), { strict: true });
    shopPragmas(conns[m]);
    prefix[m] = "";
  }
}
const q = (m: (typeof MODULES)[number], sql: string) => conns[m].query(sql.replaceAll("$.", prefix[m]!));

const PRODUCTS = 16;
const productIds = Array.from({ length: PRODUCTS }, (_, i) => `0190000000000000000000000${String(i).padStart(4, "0")}`.slice(-32));
const now0 = new Date().toISOString();
const addProduct = q("catalog", "INSERT INTO $.products (id, name, description, category, price_cents, currency, stock, created_at, updated_at) VALUES (?, ?, '', 'bench', ?, 'EUR', 1000000, ?, ?)");
for (const [i, id] of productIds.entries()) addProduct.run(id, `Bench item ${i}`, 500 + i * 10, now0, now0);

const s = {
  cartUpsert: q("cart", "INSERT INTO $.cart_items (user_id, product_id, quantity, added_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at"),
  cartDelete: q("cart", "DELETE FROM $.cart_items WHERE user_id = ? AND product_id = ?"),
  inboxMark: q("cart", "INSERT INTO $.processed_events (consumer, event_id, processed_at) VALUES ('cart', ?, ?)"),
  nextRevision: q("cart", "INSERT INTO $.carts (user_id, checkout_revision) VALUES (?, 1) ON CONFLICT (user_id) DO UPDATE SET checkout_revision = checkout_revision + 1"),
  claimKey: q("order", "INSERT INTO $.idempotency_keys (user_id, key, request_hash, order_id, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"),
  insertOrder: q("order", "INSERT INTO $.orders (id, user_id, username, status, items, total_cents, currency, payment_id, failure_reason, history, created_at, updated_at, cart_revision) VALUES (?, ?, ?, 'PENDING', ?, ?, 'EUR', NULL, NULL, ?, ?, ?, ?)"),
  payOrder: q("order", "UPDATE $.orders SET status = 'PAID', payment_id = ?, history = ?, updated_at = ? WHERE id = ?"),
  takeStock: q("catalog", "UPDATE $.products SET stock = stock - ?, updated_at = ? WHERE id = ? AND stock >= ? RETURNING stock"),
  reserveLine: q("catalog", "INSERT INTO $.reservation_lines (reservation_id, product_id, quantity) VALUES (?, ?, ?)"),
  reserve: q("catalog", "INSERT INTO $.reservations (id, status, created_at, updated_at) VALUES (?, 'RESERVED', ?, ?)"),
  insertPayment: q("payment", "INSERT INTO $.payments (id, order_id, user_id, amount_cents, currency, status, card_last4, decline_reason, created_at, updated_at) VALUES (?, ?, ?, ?, 'EUR', 'CAPTURED', '4242', NULL, ?, ?)"),
};
const outbox = Object.fromEntries(
  (["order", "catalog", "payment"] as const).map((m) => [m, {
    insert: q(m, "INSERT INTO $.outbox (id, type, aggregate_type, aggregate_id, payload, occurred_at) VALUES (?, ?, ?, ?, ?, ?)"),
    publish: q(m, "UPDATE $.outbox_relay SET published_seq = max(published_seq, (SELECT max(seq) FROM $.outbox)) WHERE id = 1"),
    prune: q(m, "DELETE FROM $.outbox WHERE seq <= min((SELECT published_seq FROM $.outbox_relay WHERE id = 1), COALESCE((SELECT seq FROM $.outbox WHERE occurred_at >= ? ORDER BY seq LIMIT 1) - 1, 0))"),
  }]),
) as Record<"order" | "catalog" | "payment", { insert: any; publish: any; prune: any }>;

let n = 0;
const id = (kind: string) => `${kind}${(++n).toString(36).padStart(26, "0")}`;
const tx = (m: (typeof MODULES)[number], fn: () => void) => conns[m].transaction(fn).immediate();
const dayAgo = () => new Date(Date.now() - 86_400_000).toISOString();

/** One checkout's writes; `step` wraps each of the shop's commits (a no-op wrapper inside one big transaction). */
function checkout(i: number, step: (m: (typeof MODULES)[number], fn: () => void) => void): void {
  const now = new Date().toISOString();
  const user = `user${i % 64}`;
  const cartRevision = Math.floor(i / 64); // each user's cart moves on once per checkout
  const [a, b] = [productIds[i % PRODUCTS]!, productIds[(i + 1) % PRODUCTS]!];
  const orderId = id("o");
  const items = [
    { productId: a, name: "Bench item", unitPriceCents: 500, quantity: 1, lineTotalCents: 500 },
    { productId: b, name: "Bench item", unitPriceCents: 510, quantity: 1, lineTotalCents: 510 },
  ];
  const order = { id: orderId, userId: user, username: user, status: "PENDING", items, totalCents: 1010, currency: "EUR", paymentId: null, failureReason: null, history: [{ status: "PENDING", at: now }], createdAt: now, updatedAt: now };
  step("cart", () => s.cartUpsert.run(user, a, 1, now, now));
  step("cart", () => s.cartUpsert.run(user, b, 1, now, now));
  step("order", () => {
    s.claimKey.run(user, id("k"), "f".repeat(64), orderId, now);
    s.insertOrder.run(orderId, user, user, JSON.stringify(items), 1010, JSON.stringify(order.history), now, now, cartRevision);
    outbox.order.insert.run(id("e"), "order.created", "order", orderId, JSON.stringify({ order, previousStatus: null }), now);
  });
  step("catalog", () => {
    for (const p of [a, b]) {
      const left = s.takeStock.get(1, now, p, 1) as { stock: number } | null;
      if (!left) throw new Error("bench ceiling ran out of stock");
      s.reserveLine.run(orderId, p, 1);
      outbox.catalog.insert.run(id("e"), "catalog.stock-changed", "product", p, JSON.stringify({ productId: p, stock: left.stock, delta: -1, reason: "reserved" }), now);
    }
    s.reserve.run(orderId, now, now);
  });
  const paymentId = id("p");
  const payment = { id: paymentId, orderId, userId: user, amountCents: 1010, currency: "EUR", status: "CAPTURED", cardLast4: "4242", declineReason: null, createdAt: now, updatedAt: now };
  step("payment", () => {
    s.insertPayment.run(paymentId, orderId, user, 1010, now, now);
    outbox.payment.insert.run(id("e"), "payment.captured", "payment", paymentId, JSON.stringify({ payment }), now);
  });
  const paid = { ...order, status: "PAID", paymentId, history: [...order.history, { status: "PAID", at: now }] };
  step("order", () => {
    s.payOrder.run(paymentId, JSON.stringify(paid.history), now, orderId);
    outbox.order.insert.run(id("e"), "order.paid", "order", orderId, JSON.stringify({ order: paid, previousStatus: "PENDING" }), now);
  });
  // The relay: mark published, then prune (two autocommits per module drain in the shop).
  for (const m of ["catalog", "payment", "order"] as const) {
    step(m, () => outbox[m].publish.run());
    step(m, () => outbox[m].prune.run(dayAgo()));
  }
  step("cart", () => {
    s.cartDelete.run(user, a);
    s.cartDelete.run(user, b);
    s.inboxMark.run(id("e"), now);
    s.nextRevision.run(user);
  });
}

const oneTx = (i: number) => tx("order", () => checkout(i, (_m, fn) => fn()));
const perStep = (i: number) => checkout(i, (m, fn) => tx(m, fn));
const run = variant === "one-tx" ? oneTx : perStep;

for (let i = 0; i < 500; i++) run(i); // warm-up: JIT and page cache
const started = performance.now();
const deadline = started + seconds * 1000;
let done = 0;
while (done < maxCheckouts && (done & 255 || performance.now() < deadline)) run(500 + done++);
const elapsed = (performance.now() - started) / 1000;
for (const c of new Set(Object.values(conns))) c.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ variant, checkouts: done, seconds: elapsed, perSecond: done / elapsed }));
