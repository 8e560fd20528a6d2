# One image per service from one codebase: MODULE picks the entrypoint (src/entrypoints/$MODULE.ts).
#   docker build --build-arg MODULE=catalog -t bun-shop-catalog .
# MODULE: catalog | cart | order | payment | gateway | all (everything in one process).
ARG BUN_VERSION=1.4.5

# ---- dependencies: cached until package.json or the lockfile change ----
FROM oven/bun:${BUN_VERSION} AS deps
WORKDIR /src
COPY package.json bun.lock bunfig.toml ./
# Fixes to dependencies that bun install applies (package.json's patchedDependencies).
COPY patches ./patches
RUN bun install --frozen-lockfile

# ---- build: one bundle for the chosen entrypoint, its migrations, and the dashboard for the gateway ----
FROM deps AS build
ARG MODULE
COPY . .
RUN case "${MODULE}" in \
      catalog|cart|order|payment|gateway|all) ;; \
      *) echo "MODULE must be catalog, cart, order, payment, gateway or all; got '${MODULE}'" >&2; exit 1 ;; \
    esac; \
    test -f "src/entrypoints/${MODULE}.ts" || { echo "src/entrypoints/${MODULE}.ts does not exist yet" >&2; exit 1; }
# --outdir with --entry-naming, not --outfile: Bun 1.4.5 writes an absolute --outfile beside the entry.
RUN bun build --target bun --minify-syntax --sourcemap=linked "src/entrypoints/${MODULE}.ts" \
      --outdir /out --entry-naming 'server.[ext]' \
 && test -f /out/server.js
# Migrations are SQL read at start from $MIGRATIONS_ROOT/<database> (PostgreSQL's in its postgres/ folder);
# they are a few KB, so every image carries all of them and the module-to-database map stays in the code alone.
RUN mkdir -p /out/migrations \
 && cp -r src/platform/auth/migrations /out/migrations/identity \
 && for m in catalog cart order payment; do \
      if [ -d "src/modules/$m/migrations" ]; then cp -r "src/modules/$m/migrations" "/out/migrations/$m"; fi; \
    done
RUN if [ "${MODULE}" = gateway ] || [ "${MODULE}" = all ]; then \
      if [ -f web/index.html ]; then bun run web:build && mkdir -p /out/web-dist && cp -r web/dist/. /out/web-dist/; \
      else echo "warning: web/index.html not found; this image serves no dashboard" >&2; fi; \
    fi

# ---- runtime: slim Bun, tini as PID 1, non-root, only the bundle and what it reads ----
FROM oven/bun:${BUN_VERSION}-slim AS runtime
# Bun as PID 1 would not get the kernel's default SIGTERM handling; tini forwards signals and reaps.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Owned by root and not writable by the app user: the process can change only /data and /tmp.
COPY --from=build /out/ /app/
RUN mkdir -p /data && chown 1000:1000 /data
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data \
    MIGRATIONS_ROOT=/app/migrations \
    WEB_DIST=/app/web-dist
# The numeric user lets Kubernetes check runAsNonRoot; 1000 is the bun user of the base image.
USER 1000:1000
EXPOSE 3000
# No curl in the slim image: Bun's own fetch asks the liveness route.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bun", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["bun", "/app/server.js"]
