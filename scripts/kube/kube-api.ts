// A small client for a Kubernetes API server (bearer token, the cluster's CA): resource discovery,
// server-side apply, reads and bounded waits. Enough for the tests and the local control plane;
// no kubectl needed.

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [field: string]: unknown };
  [field: string]: unknown;
}

export interface KubeAccess {
  server: string;
  token: string;
  /** PEM of the CA that signed the server's certificate. */
  ca: string;
}

interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
}

export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status}: ${body.slice(0, 2000)}`);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class KubeApi {
  private resources = new Map<string, Promise<ApiResource[]>>();

  constructor(readonly access: KubeAccess) {}

  async request(method: string, path: string, body?: string, contentType = "application/json"): Promise<any> {
    const res = await fetch(this.access.server + path, {
      method,
      body,
      headers: { authorization: `Bearer ${this.access.token}`, "content-type": contentType, accept: "application/json" },
      tls: { ca: this.access.ca },
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) throw new KubeApiError(res.status, text, `${method} ${path}`);
    return text ? JSON.parse(text) : undefined;
  }

  get = (path: string) => this.request("GET", path);

  /** The API's resources for an apiVersion (cached; forget() after installing a CRD). */
  private resourcesOf(apiVersion: string): Promise<ApiResource[]> {
    if (!this.resources.has(apiVersion)) {
      const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      const listing = this.get(base).then((r: { resources: ApiResource[] }) => r.resources);
      listing.catch(() => this.resources.delete(apiVersion));
      this.resources.set(apiVersion, listing);
    }
    return this.resources.get(apiVersion)!;
  }

  forget(apiVersion: string) {
    this.resources.delete(apiVersion);
  }

  /** The collection path of a kind, e.g. /apis/apps/v1/namespaces/shop/deployments. */
  async collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    const resource = (await this.resourcesOf(apiVersion)).find((r) => r.kind === kind && !r.name.includes("/"));
    if (!resource) throw new Error(`the API server has no ${kind} in ${apiVersion}`);
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    if (!resource.namespaced) return `${base}/${resource.name}`;
    if (!namespace) throw new Error(`${kind} is namespaced: give its namespace`);
    return `${base}/namespaces/${namespace}/${resource.name}`;
  }

  async objectPath(object: Pick<KubeObject, "apiVersion" | "kind" | "metadata">): Promise<string> {
    const collection = await this.collectionPath(object.apiVersion, object.kind, object.metadata.namespace);
    return `${collection}/${encodeURIComponent(object.metadata.name)}`;
  }

  /** Server-side apply, for real (no dry run): the object as this field manager wants it. */
  async apply(object: KubeObject, fieldManager: string): Promise<KubeObject> {
    const query = `?fieldManager=${encodeURIComponent(fieldManager)}&force=true`;
    // JSON is YAML: the apply patch type takes either.
    return this.request("PATCH", (await this.objectPath(object)) + query, JSON.stringify(object), "application/apply-patch+yaml");
  }

  async read(apiVersion: string, kind: string, name: string, namespace?: string): Promise<KubeObject | undefined> {
    try {
      return await this.get(await this.objectPath({ apiVersion, kind, metadata: { name, namespace } }));
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 404) return undefined;
      throw e;
    }
  }

  /** Merges `patch` into an object's status subresource (what a controller reports). */
  async patchStatus(object: KubeObject, patch: object): Promise<KubeObject> {
    return this.request("PATCH", (await this.objectPath(object)) + "/status", JSON.stringify(patch), "application/merge-patch+json");
  }

  /** Deletes an object; true if it was there. */
  async remove(apiVersion: string, kind: string, name: string, namespace?: string): Promise<boolean> {
    try {
      await this.request("DELETE", await this.objectPath({ apiVersion, kind, metadata: { name, namespace } }));
      return true;
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 404) return false;
      throw e;
    }
  }

  async list(apiVersion: string, kind: string, namespace?: string): Promise<KubeObject[]> {
    const path = namespace ? await this.collectionPath(apiVersion, kind, namespace) : await this.clusterWidePath(apiVersion, kind);
    return ((await this.get(path)) as { items: KubeObject[] }).items.map((item) => ({ ...item, apiVersion, kind }));
  }

  private async clusterWidePath(apiVersion: string, kind: string): Promise<string> {
    const resource = (await this.resourcesOf(apiVersion)).find((r) => r.kind === kind && !r.name.includes("/"));
    if (!resource) throw new Error(`the API server has no ${kind} in ${apiVersion}`);
    return `${apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`}/${resource.name}`;
  }
}

/**
 * Polls `check` every `intervalMs` until it returns a value other than undefined, at most `timeoutMs`;
 * on time-out the error carries the last state `describe` gives (what was still missing).
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  { timeoutMs, intervalMs = 500, describe }: { timeoutMs: number; intervalMs?: number; describe?: () => Promise<string> },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      lastError = e;
    }
    await sleep(intervalMs);
  }
  const state = describe ? await describe().catch((e) => `(could not describe: ${e})`) : "";
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `; last error: ${lastError}` : ""}${state ? `\n${state}` : ""}`);
}
