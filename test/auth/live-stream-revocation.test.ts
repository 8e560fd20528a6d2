// An operator's open live order stream ends once the session behind it does (sign-out here; a
// disabled account revokes every session the same way), in both modes. (Before: the stream was
// checked only when it opened, and kept delivering orders to a signed-out dashboard for as long as
// the connection lasted.)
import { describe, expect, test } from "bun:test";
import { Api, DEMO } from "../support/http-client";
import { shopsInBothModes } from "../support/shop-modes";

const shops = shopsInBothModes({ SEED_CATALOG: "false" });

describe.each([
  { name: "all-in-one", url: () => shops.allInOne.url },
  { name: "split (through the gateway)", url: () => shops.split.url },
])("$name", ({ url }) => {
  test("signing out ends the operator's open stream within seconds; a new one with that token is refused", async () => {
    const token: string = (await new Api(url()).post("/api/auth/token", { username: "ops", password: DEMO.ops })).body.token;
    const auth = { authorization: `Bearer ${token}` };
    const res = await fetch(`${url()}/api/orders/stream`, { headers: auth });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read(); // ": connected"

    expect((await fetch(`${url()}/api/auth/logout`, { method: "POST", headers: auth })).status).toBe(204);
    const signedOutAt = Date.now();
    // The stream ends (done) within the feed's recheck (5 s) and the services' session cache (2 s).
    const ended = await Promise.race([
      (async () => {
        for (;;) if ((await reader.read()).done) return true;
      })(),
      Bun.sleep(15_000).then(() => false),
    ]);
    expect(ended).toBe(true);
    expect(Date.now() - signedOutAt).toBeLessThan(15_000);
    expect((await fetch(`${url()}/api/orders/stream`, { headers: auth })).status).toBe(401);
  }, 30_000);
});
