/** The five processes of a split shop: four module services and the gateway in front of them. */
export type SplitService = "catalog" | "cart" | "order" | "payment" | "gateway";

/**
 * How one process of a split shop on one machine finds the others (`npm run split` and the tests'
 * SplitShop): every replica of each module service, comma-separated in its *_URL; the gateway, which
 * owns identity, answers whether a token's session is live; and a service believes the client address
 * the gateway forwards (X-Forwarded-For) because it comes from loopback. The gateway faces the
 * clients, so it trusts nobody's.
 */
export function splitWiring(service: SplitService, urlsOf: (s: Exclude<SplitService, "gateway">) => string, gatewayUrl: string): Record<string, string> {
  return {
    CATALOG_URL: urlsOf("catalog"),
    CART_URL: urlsOf("cart"),
    ORDER_URL: urlsOf("order"),
    PAYMENT_URL: urlsOf("payment"),
    IDENTITY_URL: gatewayUrl,
    ...(service === "gateway" ? {} : { TRUSTED_PROXIES: "127.0.0.1" }),
  };
}
