// Who the client is, as a real server on loopback sees it: the socket's peer, and X-Forwarded-For
// only when the peer is a trusted proxy (then the nearest hop that is not itself trusted).
import { afterAll, expect, test } from "bun:test";
import { ClientAddresses, parseProxyEntry } from "../../src/platform/http/client-address";

const servers: Array<{ stop(force: boolean): void }> = [];
afterAll(() => servers.forEach((s) => s.stop(true)));

/** A loopback server that answers with the client address `addresses` resolves. */
function resolverAt(addresses: ClientAddresses): string {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (request, srv) => new Response(addresses.of(request, srv)) });
  servers.push(server);
  return `http://127.0.0.1:${server.port}/`;
}

const seen = async (url: string, xff?: string) => (await fetch(url, { headers: xff ? { "x-forwarded-for": xff } : {} })).text();

test("with no trusted proxy, X-Forwarded-For is ignored: the client is the socket's peer", async () => {
  const url = resolverAt(new ClientAddresses([]));
  expect(await seen(url)).toBe("127.0.0.1");
  expect(await seen(url, "203.0.113.9")).toBe("127.0.0.1");
});

test("a peer outside the trusted ranges cannot choose its address", async () => {
  const url = resolverAt(new ClientAddresses(["10.0.0.0/8", "fd00::/8"]));
  expect(await seen(url, "203.0.113.9")).toBe("127.0.0.1");
});

test("from a trusted proxy, the nearest untrusted hop of X-Forwarded-For is the client", async () => {
  const url = resolverAt(new ClientAddresses(["127.0.0.1", "10.0.0.0/8"]));
  expect(await seen(url, "203.0.113.9")).toBe("203.0.113.9");
  // A client's own header, then an ingress (10.1.2.3) that appended what it saw: the ingress's view wins.
  expect(await seen(url, "1.1.1.1, 198.51.100.7, 10.1.2.3")).toBe("198.51.100.7");
  expect(await seen(url, "::ffff:198.51.100.8")).toBe("198.51.100.8");
  expect(await seen(url)).toBe("127.0.0.1"); // the proxy itself, with no header
  expect(await seen(url, "not-an-address")).toBe("127.0.0.1"); // garbage is not believed
});

test("without a socket (app.handle) the address is unknown, never an error", () => {
  expect(new ClientAddresses(["127.0.0.1"]).of(new Request("http://x/", { headers: { "x-forwarded-for": "1.2.3.4" } }), null)).toBe("unknown");
});

test("TRUSTED_PROXIES entries: addresses and CIDR ranges of either family, nothing else", () => {
  for (const ok of ["10.0.0.7", "10.244.0.0/16", "::1", "fd00::/8", "0.0.0.0/0"]) expect(parseProxyEntry(ok)).not.toBeNull();
  for (const bad of ["", "localhost", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "10.0.0.0/8/8", "300.1.1.1"]) expect(parseProxyEntry(bad)).toBeNull();
});
