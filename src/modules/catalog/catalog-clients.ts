import { acrossBoundary } from "../../platform/db/group-commit";
import { ServiceClient, type ServiceClientOptions } from "../../platform/http/service-client";
import type { CatalogService } from "./catalog-service";
import type { CatalogApi, ProductSummary, ReservationResult, StockLine } from "./contract";

/**
 * CatalogApi for modules in the same process: direct calls, no serialisation. Writes commit
 * before and after the call (group commit), as they would around an HTTP call.
 */
export function inProcessCatalogApi(catalog: CatalogService): CatalogApi {
  return {
    getProducts: (ids) => catalog.summaries(ids),
    reserveStock: (reservationId, lines) => acrossBoundary(() => catalog.reserve(reservationId, lines)),
    releaseStock: (reservationId) => acrossBoundary(() => catalog.release(reservationId)),
  };
}

/** CatalogApi for modules in other processes: the catalog's own internal routes over HTTP. */
export function httpCatalogApi(options: Omit<ServiceClientOptions, "dependency">): CatalogApi {
  const http = new ServiceClient({ ...options, dependency: "catalog" });
  return {
    getProducts: async (ids) =>
      ids.length === 0 ? [] : http.request<ProductSummary[]>("GET", `/internal/catalog/summaries?ids=${ids.map(encodeURIComponent).join(",")}`),
    reserveStock: (reservationId, lines: StockLine[]) =>
      http.request<ReservationResult>("POST", "/internal/catalog/reservations", { reservationId, lines }),
    releaseStock: (reservationId) => http.request<void>("POST", `/internal/catalog/reservations/${encodeURIComponent(reservationId)}/release`),
  };
}
