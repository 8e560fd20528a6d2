// A small fetch wrapper: JSON in and out, the bearer token on every call, and every failure turned
// into an ApiError carrying the server's `{ error: { code, message, details } }` (or a stand-in when
// the answer was not ours, e.g. a proxy's 502 page or no network at all).
import type {
  CheckoutFailures,
  NewProduct,
  Order,
  OrderPage,
  OrderSeries,
  OrderSort,
  OrderStats,
  OrderStatus,
  Payment,
  Product,
  ProductChanges,
  ProductPage,
  Session,
  SortDirection,
  StatsRange,
} from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    /** The body when the server sent one alongside the error (e.g. an order on 402/409). */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface ApiClientOptions {
  /** Current bearer token, or null when signed out. */
  getToken: () => string | null;
  /** Called once per 401 on an authenticated call (the token expired or was revoked). */
  onUnauthorized?: () => void;
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface OrderListRequest {
  limit?: number;
  cursor?: string | null;
  status?: OrderStatus | null;
  q?: string;
  sort?: OrderSort;
  dir?: SortDirection;
  /** Placed within [from, to), ISO instants. */
  from?: string;
  to?: string;
}

export interface ProductListRequest {
  limit?: number;
  cursor?: string | null;
  q?: string;
}

type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** Reads `{ error: {...} }` if the body has it; anything else becomes a generic message for the status. */
export async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    const text = await res.text();
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (err && typeof err.message === "string") {
    return new ApiError(
      res.status,
      typeof err.code === "string" ? err.code : `HTTP_${res.status}`,
      err.message,
      err.details && typeof err.details === "object" ? (err.details as Record<string, unknown>) : undefined,
      body,
    );
  }
  const generic =
    res.status === 401 ? "Your session has expired. Please sign in again." :
    res.status === 403 ? "You are not allowed to do this." :
    res.status === 404 ? "Not found." :
    res.status >= 500 ? "The server is having trouble. Please try again in a moment." :
    `Request failed (${res.status}).`;
  return new ApiError(res.status, `HTTP_${res.status}`, generic, undefined, body);
}

export function createApiClient(opts: ApiClientOptions) {
  const base = (opts.baseUrl ?? "").replace(/\/+$/, "");
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const timeoutMs = opts.timeoutMs ?? 15_000;

  async function request<T>(method: Method, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json", ...extraHeaders };
    const token = opts.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const timedOut = e instanceof DOMException && (e.name === "TimeoutError" || e.name === "AbortError");
      throw new ApiError(0, timedOut ? "TIMEOUT" : "NETWORK", timedOut ? "The server did not answer in time." : "Cannot reach the server. Check your connection.");
    }
    if (!res.ok) {
      const error = await toApiError(res);
      if (res.status === 401 && token) opts.onUnauthorized?.();
      throw error;
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    try {
      return (text ? JSON.parse(text) : undefined) as T;
    } catch {
      throw new ApiError(res.status, "BAD_RESPONSE", "The server sent an answer that is not JSON.");
    }
  }

  const qs = (params: Record<string, string | number | null | undefined>) => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") search.set(k, String(v));
    const s = search.toString();
    return s ? `?${s}` : "";
  };
  const enc = encodeURIComponent;

  return {
    request,
    signIn: (username: string, password: string) => request<Session>("POST", "/api/auth/token", { username, password }),
    listOrders: (q: OrderListRequest = {}) =>
      request<OrderPage>(
        "GET",
        `/api/orders${qs({ limit: q.limit, cursor: q.cursor, status: q.status, q: q.q?.trim(), sort: q.sort, dir: q.dir, from: q.from, to: q.to })}`,
      ),
    getOrder: (id: string) => request<Order>("GET", `/api/orders/${enc(id)}`),
    setStatus: (id: string, status: Extract<OrderStatus, "SHIPPED" | "DELIVERED">) =>
      request<Order>("PATCH", `/api/orders/${enc(id)}/status`, { status }),
    cancelOrder: (id: string) => request<Order>("POST", `/api/orders/${enc(id)}/cancel`),
    stats: () => request<OrderStats>("GET", "/api/orders/stats"),
    series: (range: StatsRange) => request<OrderSeries>("GET", `/api/orders/stats/series${qs({ range })}`),
    failures: (range: StatsRange) => request<CheckoutFailures>("GET", `/api/orders/stats/failures${qs({ range })}`),
    listProducts: (q: ProductListRequest = {}) => request<ProductPage>("GET", `/api/products${qs({ limit: q.limit, cursor: q.cursor, q: q.q?.trim() })}`),
    createProduct: (product: NewProduct) => request<Product>("POST", "/api/products", product),
    updateProduct: (id: string, changes: ProductChanges) => request<Product>("PATCH", `/api/products/${enc(id)}`, changes),
    deleteProduct: (id: string) => request<void>("DELETE", `/api/products/${enc(id)}`),
    paymentsFor: (orderId: string) => request<Payment[] | { items: Payment[] }>("GET", `/api/payments${qs({ orderId })}`).then(asPaymentList),
    /** URL of the live stream; EventSource cannot send headers, so the token rides in the query. */
    streamUrl: (token: string) => `${base}/api/orders/stream${qs({ access_token: token })}`,
  };
}

/** Accepts a bare array or a `{ items }` page, so a later paginated payments route does not break the panel. */
function asPaymentList(body: Payment[] | { items: Payment[] } | undefined): Payment[] {
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body.items)) return body.items;
  return [];
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** A message fit for the UI from anything thrown. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * The request field an API error is about: the first validation problem's field (422), or the
 * `field` a 400 names. Null when the error is not about one field.
 */
export function errorField(e: unknown): string | null {
  if (!(e instanceof ApiError) || !e.details) return null;
  const problems = e.details.problems;
  if (Array.isArray(problems) && problems[0] && typeof problems[0].field === "string") return problems[0].field;
  return typeof e.details.field === "string" ? e.details.field : null;
}
