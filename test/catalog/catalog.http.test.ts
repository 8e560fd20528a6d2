import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Api, DEMO } from "../support/http-client";
import { startEntrypoint, tempDir, type ServerProcess } from "../support/processes";

// The catalog over real HTTP on loopback, against a real SQLite file in a fresh data folder.
let server: ServerProcess;
let anon: Api;
let ops: Api;
let alice: Api;
const dataDir = tempDir();

const widget = { name: "Test Widget", description: "A widget for tests", category: "gadgets", priceCents: 1999, currency: "EUR", stock: 7 };

beforeAll(async () => {
  server = await startEntrypoint("all.ts", { SEED_CATALOG: "false" }, { dataDir });
  anon = new Api(server.url);
  ops = await anon.login("ops", DEMO.ops);
  alice = await anon.login("alice", DEMO.alice);
});
afterAll(async () => {
  await server?.stop();
});

describe("catalog CRUD", () => {
  test("an operator creates, reads, changes and deletes a product", async () => {
    const created = await ops.post("/api/products", widget);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...widget, imageUrl: null });
    const pictured = await ops.post("/api/products", { ...widget, name: "Pictured", imageUrl: "https://cdn.example/w.png" });
    expect(pictured.status).toBe(201);
    expect((await ops.patch(`/api/products/${pictured.body.id}`, { imageUrl: "javascript:alert(1)" })).body.error.message).toBe(
      "Invalid body: imageUrl: must be an http or https URL of at most 2048 characters, or null",
    );
    expect((await ops.delete(`/api/products/${pictured.body.id}`)).status).toBe(204);
    const id = created.body.id;

    const read = await anon.get(`/api/products/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.name).toBe("Test Widget");

    const changed = await ops.patch(`/api/products/${id}`, { priceCents: 2499, stock: 3 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ priceCents: 2499, stock: 3 });
    expect(changed.body.updatedAt >= created.body.updatedAt).toBe(true);

    expect((await ops.delete(`/api/products/${id}`)).status).toBe(204);
    const gone = await anon.get(`/api/products/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe("NOT_FOUND");
    expect((await ops.delete(`/api/products/${id}`)).status).toBe(404);
  });

  test("writes need a token (401) and the operator role (403), and change nothing", async () => {
    expect((await anon.post("/api/products", widget)).status).toBe(401);
    expect((await anon.as("not-a-jwt").post("/api/products", widget)).status).toBe(401);
    const forbidden = await alice.post("/api/products", widget);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe("FORBIDDEN");
    const search = await anon.get("/api/products?q=Test%20Widget");
    expect(search.body.items).toEqual([]);
  });
});

describe("search and pagination", () => {
  test("q searches names and descriptions, category filters, cursors page without gaps or repeats", async () => {
    const names = Array.from({ length: 7 }, (_, i) => `Lamp ${i}`);
    for (const [i, name] of names.entries()) {
      const res = await ops.post("/api/products", { ...widget, name, category: i % 2 ? "lighting" : "outdoor", description: "bright" });
      expect(res.status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: any = await anon.get(`/api/products?q=lamp&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((p: { name: string }) => p.name));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(names);

    const lighting = await anon.get("/api/products?category=lighting&limit=100");
    expect(lighting.body.items.map((p: { name: string }) => p.name)).toEqual(["Lamp 1", "Lamp 3", "Lamp 5"]);
    expect(lighting.body.nextCursor).toBeNull();

    const byDescription = await anon.get("/api/products?q=BRIGHT&limit=100");
    expect(byDescription.body.items).toHaveLength(7);
    // LIKE wildcards in the query are literal text, not patterns.
    expect((await anon.get("/api/products?q=%25")).body.items).toEqual([]);
  });
});

describe("bad input gets a 4xx naming the problem and changes nothing", () => {
  const cases: Array<[string, unknown, number, string]> = [
    ["missing name", { ...widget, name: undefined }, 422, "name"],
    ["negative price", { ...widget, priceCents: -1 }, 422, "priceCents"],
    ["fractional price", { ...widget, priceCents: 9.99 }, 422, "priceCents"],
    ["price as text", { ...widget, priceCents: "ten" }, 422, "priceCents"],
    ["negative stock", { ...widget, stock: -5 }, 422, "stock"],
    ["fractional stock", { ...widget, stock: 1.5 }, 422, "stock"],
    ["oversize name", { ...widget, name: "x".repeat(201) }, 422, "name"],
    ["bad currency", { ...widget, currency: "euro" }, 422, "currency"],
    ["unknown field", { ...widget, discount: 5 }, 422, "discount"],
    // An image is shown to every customer: only a web address, never a script or an inline document.
    ["a javascript: image", { ...widget, imageUrl: "javascript:alert(1)" }, 422, "imageUrl"],
    ["a data: image", { ...widget, imageUrl: "data:text/html;base64,PHNjcmlwdD4=" }, 422, "imageUrl"],
    ["a relative image", { ...widget, imageUrl: "//elsewhere.example/x.png" }, 422, "imageUrl"],
  ];
  for (const [label, body, status, field] of cases) {
    test(label, async () => {
      const before = (await anon.get("/api/products?limit=100")).body.items.length;
      const res = await ops.post("/api/products", body);
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      expect(JSON.stringify(res.body.error)).toContain(field);
      expect((await anon.get("/api/products?limit=100")).body.items.length).toBe(before);
    });
  }

  test("each refusal says the rule in words, not the schema's pattern or bound", async () => {
    const said = async (res: Promise<{ status: number; body: any }>) => {
      const { status, body } = await res;
      return { status, message: body.error?.message };
    };
    const cases: Array<[unknown, string]> = [
      [{ ...widget, category: "Tools" }, "category: must be a lower-case slug: 1 to 64 letters a-z, digits and dashes, not starting with a dash"],
      [{ ...widget, currency: "euro" }, "currency: must be a three-letter ISO 4217 code in capitals, such as EUR"],
      [{ ...widget, stock: -5 }, "stock: must be an integer from 0 to 1000000"],
      [{ ...widget, priceCents: 9.99 }, "priceCents: must be an integer from 0 to 100000000"],
    ];
    for (const [body, message] of cases) expect(await said(ops.post("/api/products", body))).toEqual({ status: 422, message: `Invalid body: ${message}` });
    expect(await said(ops.patch("/api/products/x", {}))).toEqual({ status: 422, message: "Invalid body: body: must change at least one field" });
    expect(await said(anon.get("/api/products/bad!id"))).toEqual({ status: 422, message: "Invalid params: id: must be an id: 1 to 64 letters, digits, underscores or dashes" });
    expect(await said(anon.get("/api/products?cursor=$$"))).toEqual({ status: 422, message: "Invalid query: cursor: must be the nextCursor of a previous page, as it came" });
    expect(await said(alice.post("/api/cart/items", { productId: "a b", quantity: 1 }))).toEqual({
      status: 422,
      message: "Invalid body: productId: must be an id: 1 to 64 letters, digits, underscores or dashes",
    });
  });

  test("malformed JSON is a 400", async () => {
    const res = await ops.post("/api/products", '{"name": "x",');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("MALFORMED_BODY");
  });

  test("an oversize body is a 413 that names the limit; a huge one is refused by the server itself", async () => {
    const before = (await anon.get("/api/products?limit=100")).body.items.length;
    const res = await ops.post("/api/products", { ...widget, description: "x".repeat(80_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(res.body.error.message).toContain("the limit is 65536");
    expect((await ops.post("/api/products", { ...widget, description: "x".repeat(1_000_000) })).status).toBe(413);
    expect((await anon.get("/api/products?limit=100")).body.items.length).toBe(before);
  });

  test("bad query parameters and unknown ids", async () => {
    for (const limit of ["0", "abc", "1000"]) {
      const res = await anon.get(`/api/products?limit=${limit}`);
      expect(res.status).toBe(422);
      expect(res.body.error.message).toBe("Invalid query: limit: must be an integer from 1 to 100");
    }
    expect((await anon.get("/api/products?cursor=%%%")).status).toBe(400);
    expect((await anon.get("/api/products/does-not-exist")).status).toBe(404);
    const patch = await ops.patch("/api/products/does-not-exist", { stock: 1 });
    expect(patch.status).toBe(404);
    expect((await ops.patch("/api/products/x", {})).status).toBe(422);
  });
});

describe("durability", () => {
  test("a restart on the same data folder finds the data still there", async () => {
    const created = await ops.post("/api/products", { ...widget, name: "Survivor" });
    expect(created.status).toBe(201);
    expect(await server.stop()).toBe(0);
    server = await startEntrypoint("all.ts", { SEED_CATALOG: "false" }, { dataDir });
    anon = new Api(server.url);
    const read = await anon.get(`/api/products/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.name).toBe("Survivor");
  });
});
