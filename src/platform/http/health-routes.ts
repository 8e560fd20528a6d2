import { Elysia } from "elysia";
import type { UpstreamHealth } from "./upstream-health";

/**
 * Liveness says the process answers; readiness says every mounted module can take traffic and,
 * where this process forwards to others (the gateway), that each of those says it is ready too.
 */
export const healthRoutes = (
  checks: Array<{ name: string; ready(): boolean | Promise<boolean> }>,
  upstreams?: () => Promise<Record<string, UpstreamHealth>>,
) =>
  new Elysia({ prefix: "/health", detail: { tags: ["platform"] } })
    .get("/live", () => ({ status: "ok" }), { detail: { summary: "The process is alive" } })
    .get(
      "/ready",
      async ({ set }) => {
        const answers = await Promise.all(checks.map((c) => c.ready()));
        const modules = Object.fromEntries(checks.map((c, i) => [c.name, answers[i] ? "ready" : "not ready"]));
        const others = upstreams ? await upstreams() : undefined;
        const ready = Object.values(modules).every((s) => s === "ready") && Object.values(others ?? {}).every((u) => u.status === "ready");
        set.status = ready ? 200 : 503;
        return { status: ready ? "ready" : "not ready", modules, ...(others ? { upstreams: others } : {}) };
      },
      { detail: { summary: "Every module's database answers a query (at the gateway: and every service is ready)" } },
    );
