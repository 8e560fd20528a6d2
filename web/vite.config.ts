import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

const webRoot = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const apiTarget = process.env.API_URL ?? "http://127.0.0.1:3000";

// `vite build web` (bun run web:build) -> web/dist, served by the shop at "/".
export default defineConfig({
  root: webRoot,
  base: "/",
  plugins: [solid()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    rolldownOptions: {
      // The dashboard takes constant lists (ORDER_STATUSES) from the modules' contracts, which also
      // build the API's TypeBox schemas at load: building a schema has no side effect, so the
      // bundle drops the schemas it does not use, and TypeBox with them.
      treeshake: { manualPureFunctions: ["Type", "CleanText", "JsonInteger", "LiteralUnion"] },
    },
  },
  server: {
    host: "127.0.0.1",
    // The dashboard imports the order module's contract (types and the status machine) from src/.
    fs: { allow: [repoRoot] },
    proxy: {
      // SSE passes through http-proxy as long as nothing buffers it; no special options needed.
      "/api": { target: apiTarget, changeOrigin: true },
    },
  },
  preview: { host: "127.0.0.1" },
});
