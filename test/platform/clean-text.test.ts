import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Api } from "../support/http-client";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { Shop } from "../support/shop";

// Free text (names, descriptions, searches, credentials) is printable text: control characters and
// lone surrogate halves are a 422 naming the field, and nothing is stored. What is stored is what
// comes back: non-ASCII text round-trips unchanged, and lengths count characters, not UTF-16 units.

let server: ServerProcess;
let shop: Shop;
beforeAll(async () => {
  server = await startEntrypoint("all.ts", { SEED_CATALOG: "false", THROTTLE_REGISTRATION_PER_ADDRESS: "1000/3600" }, { readyTimeoutMs: 60_000 });
  shop = await Shop.connect(server.url);
});
afterAll(async () => {
  await server?.stop();
});

/** Refused everywhere. JSON.stringify writes a lone surrogate as "\ud800", which JSON allows. */
const ALWAYS_BAD: Array<[string, string]> = [
  ["NUL", "a\u0000b"],
  ["SOH", "\u0001"],
  ["carriage return", "a\rb"],
  ["vertical tab", "a\u000bb"],
  ["escape", "a\u001b[31mred"],
  ["DEL", "a\u007fb"],
  ["C1 next line", "a\u0085b"],
  ["C1 CSI", "a\u009bb"],
  ["lone high surrogate", "a\ud83d"],
  ["lone low surrogate", "\ude00b"],
  ["reversed pair", "\ude00\ud83d"],
];
/** Refused in one-line fields, allowed in a description. */
const LINE_BREAKS: Array<[string, string]> = [
  ["line feed", "a\nb"],
  ["tab", "a\tb"],
];

async function expectRefused(res: { status: number; body: any }, field: string) {
  expect(res.status).toBe(422);
  expect(res.body.error.code).toBe("VALIDATION_FAILED");
  expect(res.body.error.details.problems.map((p: { field: string }) => p.field)).toContain(field);
  expect(res.body.error.message).toContain(field);
}

const allProducts = async () => (await shop.anon.get("/api/products?limit=100")).body.items;

describe("product name and description", () => {
  let productId: string;
  let before: unknown;
  beforeAll(async () => {
    productId = await shop.product(3, 1000, "Plain name");
    before = (await shop.anon.get(`/api/products/${productId}`)).body;
  });

  const cases: Array<[field: string, label: string, value: string]> = [
    ...[...ALWAYS_BAD, ...LINE_BREAKS].map(([label, value]) => ["name", label, value] as [string, string, string]),
    ...ALWAYS_BAD.map(([label, value]) => ["description", label, value] as [string, string, string]),
  ];
  for (const [field, label, value] of cases) {
    test(`${field} with a ${label}: 422 on create and change, nothing stored`, async () => {
      const countBefore = (await allProducts()).length;
      const created = await shop.ops.post("/api/products", { name: "Fine", description: "Fine", category: "test", priceCents: 100, currency: "EUR", stock: 1, [field]: value });
      await expectRefused(created, field);
      expect((await allProducts()).length).toBe(countBefore);

      await expectRefused(await shop.ops.patch(`/api/products/${productId}`, { [field]: value }), field);
      expect((await shop.anon.get(`/api/products/${productId}`)).body).toEqual(before);
    });
  }

  test("a description keeps its line breaks and tabs", async () => {
    const description = "First line\n\tindented second line\n";
    const res = await shop.ops.post("/api/products", { name: "Multi-line", description, category: "test", priceCents: 100, currency: "EUR", stock: 1 });
    expect(res.status).toBe(201);
    expect((await shop.anon.get(`/api/products/${res.body.id}`)).body.description).toBe(description);
  });

  test("non-ASCII text comes back exactly as sent, and is found by a search", async () => {
    const name = "Café 日本 🛒 ünïcödé";
    const description = "Zeile eins — 日本語\nemoji 😀👍🏽 and é (precomposed) e\u0301 (combining)";
    const res = await shop.ops.post("/api/products", { name, description, category: "test", priceCents: 100, currency: "EUR", stock: 1 });
    expect(res.status).toBe(201);
    expect([res.body.name, res.body.description]).toEqual([name, description]);
    const read = (await shop.anon.get(`/api/products/${res.body.id}`)).body;
    expect([read.name, read.description]).toEqual([name, description]);
    const found = (await shop.anon.get(`/api/products?q=${encodeURIComponent("日本")}`)).body.items;
    expect(found.map((p: { id: string }) => p.id)).toContain(res.body.id);
  });

  test("lengths count characters: 200 emoji make a name (400 UTF-16 units), 201 do not", async () => {
    const ok = await shop.ops.post("/api/products", { name: "😀".repeat(200), category: "test", priceCents: 100, currency: "EUR", stock: 1 });
    expect(ok.status).toBe(201);
    expect(ok.body.name).toBe("😀".repeat(200));
    await expectRefused(await shop.ops.post("/api/products", { name: "😀".repeat(201), category: "test", priceCents: 100, currency: "EUR", stock: 1 }), "name");
  });
});

describe("searches", () => {
  // A query string is percent-encoded UTF-8. The shell refuses C0 controls and DEL in any query
  // before routing (400 INVALID_QUERY, request-target.ts); the rest reaches the field's schema.
  // A lone surrogate cannot be percent-encoded at all (its CESU-8 bytes are not UTF-8: a 400 too).
  const encodable = [...ALWAYS_BAD, ...LINE_BREAKS].filter(([, value]) => !/[\ud800-\udfff]/.test(value));
  for (const [label, value] of encodable) {
    const c0 = /[\u0000-\u001f\u007f]/.test(value);
    test(`a search with a ${label}: ${c0 ? "400 INVALID_QUERY" : "422 naming q"}`, async () => {
      for (const res of [await shop.anon.get(`/api/products?q=${encodeURIComponent(value)}`), await shop.ops.get(`/api/orders?q=${encodeURIComponent(value)}`)]) {
        if (c0) expect([res.status, res.body.error.code]).toEqual([400, "INVALID_QUERY"]);
        else await expectRefused(res, "q");
      }
    });
  }

  test("a product list's category filter too", async () => {
    await expectRefused(await shop.anon.get(`/api/products?category=${encodeURIComponent("a\u0085")}`), "category");
  });
});

describe("credentials", () => {
  for (const [label, value] of [...ALWAYS_BAD, ...LINE_BREAKS]) {
    test(`a password or sign-in name with a ${label}: 422 naming it, no account made`, async () => {
      const username = `clean_${crypto.randomUUID().slice(0, 8)}`;
      await expectRefused(await shop.anon.post("/api/auth/register", { username, password: `long-enough-${value}` }), "password");
      await expectRefused(await shop.anon.post("/api/auth/token", { username: `${username}${value}`, password: "long-enough" }), "username");
      await expectRefused(await shop.anon.post("/api/auth/token", { username, password: `long-enough-${value}` }), "password");
      // Nothing was registered: the name is still free.
      const registered = await shop.anon.post("/api/auth/register", { username, password: "long-enough-password" });
      expect(registered.status).toBe(201);
    });
  }

  test("a new account's name outside its letters is told which letters, and nothing is made", async () => {
    for (const username of ["名前の人", "has space", "ab"]) {
      const res = await shop.anon.post("/api/auth/register", { username, password: "long-enough-password" });
      expect({ username, status: res.status, message: res.body.error.message }).toEqual({
        username,
        status: 422,
        message: "Invalid body: username: must be 3 to 32 letters a-z or A-Z, digits, underscores, dots or dashes",
      });
      expect((await shop.anon.post("/api/auth/token", { username, password: "long-enough-password" })).status).toBe(401);
    }
  });

  test("a non-ASCII password signs in", async () => {
    const username = `clean_${crypto.randomUUID().slice(0, 8)}`;
    const password = "pässwört 日本 🔑";
    expect((await shop.anon.post("/api/auth/register", { username, password })).status).toBe(201);
    const api: Api = await shop.anon.login(username, password);
    expect((await api.get("/api/cart")).status).toBe(200);
  });
});
