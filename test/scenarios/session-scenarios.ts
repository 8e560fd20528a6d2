import { expect } from "bun:test";
import { Api, DEMO } from "../support/http-client";
import { ClientAt, freshAddress } from "../support/client-at-address";
import { signedToken } from "../support/service-token";
import { CARDS } from "../support/shop";

/**
 * Tokens belong to live sessions, over HTTP, against either mode. `revocationDelayMs`: how long
 * a revocation may take to reach every route (0 in all-in-one: at once; TOKEN_CHECK_CACHE_MS in
 * split mode, where each service caches the gateway's answer).
 */
export interface AuthTarget {
  url: string;
  revocationDelayMs: number;
}

/** A new customer (registered from an address of its own): name, id and a signed-in client. */
async function newCustomer(url: string, prefix: string) {
  const setup = new ClientAt(url, freshAddress());
  const username = await setup.register(prefix);
  const res = await new Api(url).post("/api/auth/token", { username, password: "correct-horse-battery" });
  expect(res.status).toBe(200);
  return { username, userId: res.body.userId as string, api: new Api(url, res.body.token), token: res.body.token as string };
}

/** Opens the live order stream and reports the status of its answer (then hangs up). */
async function streamStatus(url: string, query: string, headers: Record<string, string> = {}): Promise<number> {
  const controller = new AbortController();
  const res = await fetch(`${url}/api/orders/stream${query}`, { headers, signal: controller.signal });
  const status = res.status;
  controller.abort();
  await res.body?.cancel().catch(() => undefined);
  return status;
}

/** What a token gets on one route of every module, the live stream and sign-out. */
async function statuses(url: string, token: string) {
  const api = new Api(url, token);
  return {
    cart: (await api.get("/api/cart")).status,
    orders: (await api.get("/api/orders")).status,
    checkout: (await api.post("/api/orders", { cardNumber: CARDS.ok }, { "idempotency-key": crypto.randomUUID() })).status,
    payments: (await api.get("/api/payments")).status,
    catalogWrite: (await api.post("/api/products", {})).status,
    stream: await streamStatus(url, `?access_token=${encodeURIComponent(token)}`),
  };
}

const REFUSED = { cart: 401, orders: 401, checkout: 401, payments: 401, catalogWrite: 401, stream: 401 };

/** Every route refuses the token, at once or within the revocation delay; returns how long it took. */
export async function expectRefusedEverywhere(target: AuthTarget, token: string): Promise<number> {
  const started = Date.now();
  const deadline = started + target.revocationDelayMs + 1500;
  let seen = await statuses(target.url, token);
  while (target.revocationDelayMs > 0 && JSON.stringify(seen) !== JSON.stringify(REFUSED) && Date.now() < deadline) {
    await Bun.sleep(100);
    seen = await statuses(target.url, token);
  }
  expect(seen).toEqual(REFUSED);
  return Date.now() - started;
}

export async function logoutRevokesThePresentedToken(target: AuthTarget) {
  const { username, api, token } = await newCustomer(target.url, "leaver");
  const other = await new Api(target.url).login(username, "correct-horse-battery"); // a second session (another device)
  // Before: a customer's token works on customer routes (409: the cart is empty) and is a 403 on operator ones.
  expect(await statuses(target.url, token)).toEqual({ cart: 200, orders: 200, checkout: 409, payments: 200, catalogWrite: 403, stream: 403 });

  const out = await api.post("/api/auth/logout");
  expect(out.status).toBe(204);
  const took = await expectRefusedEverywhere(target, token);
  if (target.revocationDelayMs === 0) expect(took).toBeLessThan(1000);
  expect((await api.post("/api/auth/logout")).status).toBe(401);
  expect((await other.get("/api/cart")).status).toBe(200); // the other session is untouched
}

export async function operatorsLiveStreamFollowsLogout(target: AuthTarget) {
  const token: string = (await new Api(target.url).post("/api/auth/token", { username: "ops", password: DEMO.ops })).body.token;
  const ops = new Api(target.url, token);
  expect(await streamStatus(target.url, `?access_token=${token}`)).toBe(200);
  expect((await ops.post("/api/auth/logout")).status).toBe(204);
  const deadline = Date.now() + target.revocationDelayMs + 1500;
  let status = await streamStatus(target.url, `?access_token=${token}`);
  while (target.revocationDelayMs > 0 && status !== 401 && Date.now() < deadline) {
    await Bun.sleep(100);
    status = await streamStatus(target.url, `?access_token=${token}`);
  }
  expect(status).toBe(401);
}

export async function disabledAccountIsShutOut(target: AuthTarget) {
  const ops = await new Api(target.url).login("ops", DEMO.ops);
  const customer = await newCustomer(target.url, "banned");
  expect((await customer.api.get("/api/cart")).status).toBe(200);

  expect((await customer.api.post(`/api/auth/users/${customer.userId}/disable`)).status).toBe(403); // operators only
  const disabled = await ops.post(`/api/auth/users/${customer.userId}/disable`);
  expect(disabled.status).toBe(200);
  expect(disabled.body).toEqual({ id: customer.userId, username: customer.username, role: "customer", disabled: true });
  await expectRefusedEverywhere(target, customer.token);
  const signIn = await new Api(target.url).post("/api/auth/token", { username: customer.username, password: "correct-horse-battery" });
  expect(signIn.status).toBe(403);
  expect(signIn.body.error.code).toBe("ACCOUNT_DISABLED");

  expect((await ops.post(`/api/auth/users/${crypto.randomUUID()}/disable`)).status).toBe(404);
  const self = await ops.post(`/api/auth/users/${(await new Api(target.url).post("/api/auth/token", { username: "ops", password: DEMO.ops })).body.userId}/disable`);
  expect(self.status).toBe(409);
  expect(self.body.error.code).toBe("CANNOT_DISABLE_SELF");

  // Enabled again: it signs in anew; the token from before stays revoked.
  expect((await ops.post(`/api/auth/users/${customer.userId}/enable`)).body).toMatchObject({ id: customer.userId, disabled: false });
  const again = await new Api(target.url).login(customer.username, "correct-horse-battery");
  expect((await again.get("/api/cart")).status).toBe(200);
  expect((await customer.api.get("/api/cart")).status).toBe(401);
}

export async function tokensWithoutALiveAccountAreRefused(target: AuthTarget) {
  // Validly signed, for a user id nobody has: no cart, no order.
  const ghost = new Api(target.url, await signedToken({ userId: crypto.randomUUID(), username: "ghost", role: "customer" }));
  expect((await ghost.get("/api/cart")).status).toBe(401);
  expect((await ghost.post("/api/cart/items", { productId: "p", quantity: 1 })).status).toBe(401);
  expect((await ghost.post("/api/orders", { cardNumber: CARDS.ok }, { "idempotency-key": crypto.randomUUID() })).status).toBe(401);
  // An operator's role claimed by a token no sign-in produced.
  const fakeOps = new Api(target.url, await signedToken({ userId: crypto.randomUUID(), username: "ops", role: "operator" }));
  expect((await fakeOps.get("/api/orders/stats")).status).toBe(401);
  // A real user's id, in a token that belongs to no session.
  const real = await newCustomer(target.url, "real");
  const unsessioned = new Api(target.url, await signedToken({ userId: real.userId, username: real.username, role: "customer" }));
  expect((await unsessioned.get("/api/cart")).status).toBe(401);
  expect((await real.api.get("/api/cart")).status).toBe(200);
}

export async function bearerSchemeIsCaseInsensitive(target: AuthTarget) {
  const { token } = await newCustomer(target.url, "scheme");
  const anon = new Api(target.url);
  for (const header of [`bearer ${token}`, `BEARER ${token}`, `Bearer    ${token}  `, `  bEaReR ${token}`]) {
    expect((await anon.get("/api/cart", { authorization: header })).status).toBe(200);
    expect((await anon.get("/api/orders", { authorization: header })).status).toBe(200);
  }
  for (const header of [`Basic ${token}`, `Bearer`, `Bearer a b`, token]) expect((await anon.get("/api/cart", { authorization: header })).status).toBe(401);
  const ops = (await anon.post("/api/auth/token", { username: "ops", password: DEMO.ops })).body.token;
  expect(await streamStatus(target.url, "", { authorization: `bearer ${ops}` })).toBe(200);
}

export async function usernamesAreCaseInsensitive(target: AuthTarget) {
  const anon = new ClientAt(target.url, freshAddress());
  const name = `Case_${crypto.randomUUID().slice(0, 8)}`;
  const created = await anon.post("/api/auth/register", { username: name, password: "correct-horse-battery" });
  expect(created.status).toBe(201);
  expect(created.body.username).toBe(name.toLowerCase());
  const twin = await anon.post("/api/auth/register", { username: name.toUpperCase(), password: "another-password-1" });
  expect(twin.status).toBe(409);
  expect(twin.body.error.code).toBe("USERNAME_TAKEN");
  for (const spelling of [name, name.toUpperCase(), name.toLowerCase()]) {
    const signIn = await anon.post("/api/auth/token", { username: spelling, password: "correct-horse-battery" });
    expect(signIn.status).toBe(200);
    expect(signIn.body).toMatchObject({ userId: created.body.id, username: name.toLowerCase() });
  }
  expect((await anon.post("/api/auth/token", { username: "ALICE", password: DEMO.alice })).status).toBe(200); // the demo accounts too
}
