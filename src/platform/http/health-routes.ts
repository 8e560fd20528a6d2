import { Elysia, t } from "elysia";
import { routeDoc } from "./route-docs";
import type { UpstreamHealth } from "./upstream-health";

const readyOrNot = t.Union([t.Literal("ready"), t.Literal("not ready")]);

const UpstreamAnswer = { status: t.Union([readyOrNot, t.Literal("unreachable")]), reason: t.Optional(t.String()), ms: t.Integer() };

const Readiness = t.Object({
  status: readyOrNot,
  modules: t.Record(t.String(), readyOrNot, { description: "each module's database (and the identity one)" }),
  upstreams: t.Optional(
    t.Record(
      t.String(),
      t.Object({
        ...UpstreamAnswer,
        replicas: t.Optional(t.Record(t.String(), t.Object(UpstreamAnswer), { description: "each replica, when the service has several: it is ready when one is" })),
      }),
      { description: "the gateway: each service it routes to" },
    ),
  ),
});

/**
 * Liveness says the process answers; readiness says every mounted module can take traffic and,
 * where this process forwards to others (the gateway), that each of those says it is ready too.
 */
export const healthRoutes = (
  checks: Array<{ name: string; ready(): boolean | Promise<boolean> }>,
  upstreams?: () => Promise<Record<string, UpstreamHealth>>,
) =>
  new Elysia({ prefix: "/health" })
    .get("/live", () => ({ status: "ok" as const }), {
      detail: routeDoc({ summary: "The process is alive", tags: ["platform"], caller: "anyone", ok: { 200: t.Object({ status: t.Literal("ok") }) } }),
    })
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
      {
        detail: routeDoc({
          summary: "Every module's database answers a query (at the gateway: and every service is ready)",
          tags: ["platform"],
          caller: "anyone",
          ok: { 200: Readiness },
          refuses: { 503: "not ready: the body says which module or service is not" },
          bodies: { 503: Readiness },
        }),
      },
    );
