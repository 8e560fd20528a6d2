import { BlockList, isIP } from "node:net";

/** What Elysia hands a handler as `server` (null under `app.handle`, where there is no socket). */
export interface RequestIpSource {
  requestIP(request: Request): { address: string } | null;
}

/** An IPv4-mapped IPv6 address (a dual-stack socket's view of an IPv4 peer) as plain IPv4. */
const plain = (address: string) => (address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address);

/** Parses one TRUSTED_PROXIES entry ("10.0.0.7", "10.244.0.0/16", "::1", "fd00::/8"); null when it is not one. */
export function parseProxyEntry(entry: string): { address: string; prefix?: number; family: "ipv4" | "ipv6" } | null {
  const [address = "", prefixText, ...rest] = entry.split("/");
  const version = isIP(address);
  if (!version || rest.length) return null;
  const family = version === 4 ? "ipv4" : "ipv6";
  if (prefixText === undefined) return { address, family };
  const prefix = Number(prefixText);
  if (!/^\d+$/.test(prefixText) || prefix > (version === 4 ? 32 : 128)) return null;
  return { address, prefix, family };
}

/**
 * Who the client is, for per-address limits. The socket's peer, unless that peer is a trusted
 * proxy (TRUSTED_PROXIES: the gateway in split mode, an ingress in front of the shop): then the
 * nearest address in X-Forwarded-For that is not itself a trusted proxy. A client cannot choose
 * its address by sending X-Forwarded-For: from anyone untrusted the header is ignored, and the
 * gateway overwrites it before forwarding.
 */
export class ClientAddresses {
  private readonly trusted: BlockList | undefined;

  constructor(trustedProxies: readonly string[] = []) {
    if (!trustedProxies.length) return;
    this.trusted = new BlockList();
    for (const entry of trustedProxies) {
      const parsed = parseProxyEntry(entry);
      if (!parsed) throw new Error(`not an IP address or CIDR range: "${entry}"`);
      if (parsed.prefix === undefined) this.trusted.addAddress(parsed.address, parsed.family);
      else this.trusted.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
  }

  /** The client's address, or "unknown" when there is no socket (in-process `app.handle`). */
  of(request: Request, server: RequestIpSource | null | undefined): string {
    let peer: string | undefined;
    try {
      peer = server?.requestIP(request)?.address;
    } catch {
      peer = undefined; // a Request that did not come from this server's socket
    }
    if (!peer) return "unknown";
    peer = plain(peer);
    if (!this.isTrusted(peer)) return peer;
    const forwarded = request.headers.get("x-forwarded-for");
    if (!forwarded) return peer;
    const hops = forwarded.split(",");
    // Right to left: each trusted proxy appended the address it saw; the first untrusted one is the client.
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = plain(hops[i]!.trim());
      if (!isIP(hop)) return peer; // a trusted proxy would not write this: ignore the header
      if (!this.isTrusted(hop)) return hop;
    }
    return plain(hops[0]!.trim());
  }

  private isTrusted(address: string): boolean {
    if (!this.trusted) return false;
    return this.trusted.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
  }
}
