import { Elysia } from "elysia";

/** Liveness says the process answers; readiness says every mounted module can take traffic. */
export const healthRoutes = (checks: Array<{ name: string; ready(): boolean }>) =>
  new Elysia({ prefix: "/health", detail: { tags: ["platform"] } })
    .get("/live", () => ({ status: "ok" }), { detail: { summary: "The process is alive" } })
    .get(
      "/ready",
      ({ set }) => {
        const modules = Object.fromEntries(checks.map((c) => [c.name, c.ready() ? "ready" : "not ready"]));
        const ready = Object.values(modules).every((s) => s === "ready");
        set.status = ready ? 200 : 503;
        return { status: ready ? "ready" : "not ready", modules };
      },
      { detail: { summary: "Every module's database answers a query" } },
    );
