import { describe, expect, test } from "bun:test";
import { ApiError, createApiClient, errorField } from "../../web/src/api/client";

type Seen = { url: string; init: RequestInit };

function fakeFetch(respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push({ url: String(input), init: init ?? {} });
    return respond(String(input), init ?? {});
  }) as typeof fetch;
  return { fn, seen };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("api client", () => {
  test("sends the bearer token and builds query strings without empty values", async () => {
    const { fn, seen } = fakeFetch(() => json(200, { items: [], nextCursor: null }));
    const api = createApiClient({ getToken: () => "tok", fetch: fn });
    await api.listOrders({ limit: 25, status: "PAID", q: "  alice ", cursor: null });
    expect(seen[0]!.url).toBe("/api/orders?limit=25&status=PAID&q=alice");
    expect((seen[0]!.init.headers as Record<string, string>).Authorization).toBe("Bearer tok");
    await api.listOrders({});
    expect(seen[1]!.url).toBe("/api/orders");
  });

  test("PATCH status sends JSON and encodes the id", async () => {
    const { fn, seen } = fakeFetch(() => json(200, { id: "a/b" }));
    const api = createApiClient({ getToken: () => "tok", fetch: fn });
    await api.setStatus("a/b", "SHIPPED");
    expect(seen[0]!.url).toBe("/api/orders/a%2Fb/status");
    expect(seen[0]!.init.method).toBe("PATCH");
    expect(seen[0]!.init.body).toBe(JSON.stringify({ status: "SHIPPED" }));
  });

  test("turns the error body into an ApiError", async () => {
    const { fn } = fakeFetch(() => json(409, { error: { code: "ILLEGAL_TRANSITION", message: "Cannot move DELIVERED to SHIPPED", details: { from: "DELIVERED" } } }));
    const api = createApiClient({ getToken: () => "tok", fetch: fn });
    const err = await api.setStatus("x", "SHIPPED").catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(409);
    expect(err.code).toBe("ILLEGAL_TRANSITION");
    expect(err.message).toBe("Cannot move DELIVERED to SHIPPED");
    expect(err.details).toEqual({ from: "DELIVERED" });
  });

  test("a non-JSON error (a proxy's 502 page) gets a readable message", async () => {
    const { fn } = fakeFetch(() => new Response("<html>Bad gateway</html>", { status: 502 }));
    const err = await createApiClient({ getToken: () => null, fetch: fn }).stats().catch((e) => e);
    expect(err.status).toBe(502);
    expect(err.code).toBe("HTTP_502");
    expect(err.message).toMatch(/server is having trouble/);
  });

  test("a network failure is an ApiError with status 0", async () => {
    const { fn } = fakeFetch(() => Promise.reject(new TypeError("fetch failed")));
    const err = await createApiClient({ getToken: () => null, fetch: fn }).stats().catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
    expect(err.code).toBe("NETWORK");
  });

  test("401 on an authenticated call signs out; 401 on sign-in does not", async () => {
    let signedOut = 0;
    const { fn } = fakeFetch(() => json(401, { error: { code: "UNAUTHORIZED", message: "Invalid or expired token" } }));
    let token: string | null = "old";
    const api = createApiClient({ getToken: () => token, fetch: fn, onUnauthorized: () => signedOut++ });
    await api.stats().catch(() => undefined);
    expect(signedOut).toBe(1);
    token = null;
    await api.signIn("ops", "wrong").catch(() => undefined);
    expect(signedOut).toBe(1);
  });

  test("payments accept an array or an { items } page; the stream URL carries the token", async () => {
    const pay = { id: "p", orderId: "o", amountCents: 1, currency: "EUR", status: "CAPTURED", cardLast4: "4242", createdAt: "", updatedAt: "" };
    let body: unknown = [pay];
    const { fn, seen } = fakeFetch(() => json(200, body));
    const api = createApiClient({ getToken: () => "t", fetch: fn });
    expect(await api.paymentsFor("o 1")).toEqual([pay] as never);
    expect(seen[0]!.url).toBe("/api/payments?orderId=o+1");
    body = { items: [pay] };
    expect(await api.paymentsFor("o")).toEqual([pay] as never);
    expect(api.streamUrl("a.b+c")).toBe("/api/orders/stream?access_token=a.b%2Bc");
  });

  test("sort, date range and the stats ranges go into the query string", async () => {
    const { fn, seen } = fakeFetch(() => json(200, {}));
    const api = createApiClient({ getToken: () => "t", fetch: fn });
    await api.listOrders({ sort: "totalCents", dir: "asc", from: "2026-01-01T00:00:00.000Z", to: "2026-02-01T00:00:00.000Z" });
    expect(seen[0]!.url).toBe("/api/orders?sort=totalCents&dir=asc&from=2026-01-01T00%3A00%3A00.000Z&to=2026-02-01T00%3A00%3A00.000Z");
    await api.series("week");
    await api.failures("hour");
    expect(seen.slice(1).map((s) => s.url)).toEqual(["/api/orders/stats/series?range=week", "/api/orders/stats/failures?range=hour"]);
  });

  test("errorField names the field of a validation error or of a 400", () => {
    const validation = new ApiError(422, "VALIDATION_FAILED", "Invalid body: priceCents: Expected integer", { in: "body", problems: [{ field: "priceCents", message: "Expected integer" }] });
    expect(errorField(validation)).toBe("priceCents");
    expect(errorField(new ApiError(400, "BAD_REQUEST", "Invalid cursor", { field: "cursor" }))).toBe("cursor");
    expect(errorField(new ApiError(409, "CONFLICT", "x"))).toBeNull();
    expect(errorField(new Error("x"))).toBeNull();
  });
});
