/** A route as Elysia lists it (`app.routes`). */
interface RouteEntry {
  method: string;
  path: string;
}

/**
 * The methods the routes answer at a path, for `405 Method Not Allowed` and its `Allow` header
 * (RFC 9110: a resource that exists but not for this method is not a 404). HEAD comes with GET
 * (Elysia answers it), OPTIONS with any (the shell answers it with the Allow header). The
 * dashboard's catch-all (`GET /*`) does not count: it is a page for any path, not a resource.
 * The table is built from the routes on first use and again when routes were added.
 */
export function allowedMethods(routes: () => readonly RouteEntry[]): (path: string) => string[] {
  let table: { count: number; entries: Array<{ method: string; pattern: RegExp }> } | undefined;
  return (path) => {
    const list = routes();
    if (table?.count !== list.length) table = { count: list.length, entries: list.filter(isResource).map(compile) };
    const target = withoutTrailingSlash(path);
    const methods = new Set<string>();
    for (const entry of table.entries) if (entry.pattern.test(target)) methods.add(entry.method);
    if (methods.size === 0) return [];
    if (methods.has("GET")) methods.add("HEAD");
    methods.add("OPTIONS");
    return [...methods].sort();
  };
}

const isResource = (route: RouteEntry) => route.path !== "/*" && route.method !== "ALL";

const withoutTrailingSlash = (path: string) => (path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path);

/** `/api/orders/:id/cancel` as a pattern: a parameter is one segment, `*` is the rest. */
function compile(route: RouteEntry) {
  const source = withoutTrailingSlash(route.path)
    .split("/")
    .map((segment) => (segment.startsWith(":") ? "[^/]+" : segment === "*" ? ".*" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return { method: route.method.toUpperCase(), pattern: new RegExp(`^${source}$`) };
}
