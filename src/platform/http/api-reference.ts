import { Elysia } from "elysia";
import { resolve } from "node:path";
// Scalar's one-file browser bundle from the pinned npm package (not a CDN): the page works offline.
// The package's "exports" do not list the file, hence the path; `type: "file"` makes `bun build`
// copy it beside the bundle, and gives its path (absolute from source, relative in a bundle).
// @ts-expect-error TS has no type for a plain JS file; with `type: "file"` the import is its path, a string.
import scalarBundle from "../../../node_modules/@scalar/api-reference/dist/browser/standalone.js" with { type: "file" };
import { API_REFERENCE_CONTENT_SECURITY_POLICY } from "./security-headers";

const scalarFile = resolve(import.meta.dir, scalarBundle as string);

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Shop API reference</title>
  </head>
  <body>
    <div id="reference"></div>
    <script src="/openapi/assets/start.js"></script>
    <script src="/openapi/assets/scalar.js"></script>
  </body>
</html>
`;

// No inline script: the page's configuration is this served file, run before the bundle. Nothing
// in it reaches past this origin (no web fonts, no telemetry, no proxy), so the page renders
// offline. The bundle's zod would probe Function("") for its JIT, which the policy forbids (a
// violation report on every load); jitless is its documented switch, read from this global.
// The mount point is not #api-reference: the bundle would auto-mount a second, empty reference there.
const START = `globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
document.addEventListener("DOMContentLoaded", function () {
  Scalar.createApiReference("#reference", {
    url: "/openapi/json",
    withDefaultFonts: false,
    telemetry: false,
    showDeveloperTools: "never",
    documentDownloadType: "json",
    mcp: { disabled: true },
    agent: { disabled: true },
  });
});
`;

/** The interactive API reference at /openapi, reading the document at /openapi/json. */
export const apiReference = () =>
  new Elysia({ name: "platform.api-reference", detail: { hide: true } })
    .get("/openapi", ({ set }) => {
      set.headers["content-type"] = "text/html; charset=utf-8";
      set.headers["content-security-policy"] = API_REFERENCE_CONTENT_SECURITY_POLICY;
      set.headers["cache-control"] = "no-cache";
      return PAGE;
    })
    .get("/openapi/assets/start.js", ({ set }) => {
      set.headers["content-type"] = "text/javascript; charset=utf-8";
      set.headers["cache-control"] = "no-cache";
      return START;
    })
    .get(
      "/openapi/assets/scalar.js",
      () => new Response(Bun.file(scalarFile), { headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=3600" } }),
    );
