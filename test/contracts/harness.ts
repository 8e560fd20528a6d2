import type { AnyElysia } from "elysia";
import { TokenService } from "../../src/platform/auth/tokens";
import { InProcessBus } from "../../src/platform/events/in-process-bus";
import { createHttpApp } from "../../src/platform/http/create-app";
import { createLogger } from "../../src/platform/logger";
import type { ModuleDeps, ShopModule } from "../../src/platform/module";
import { tempDir } from "../support/processes";

export const tokens = new TokenService("contract-tests-secret-0123456789abcdef", 3600);
export const log = createLogger("silent");

export function moduleDeps(): ModuleDeps {
  return { dataDir: tempDir("shop-contract-"), bus: new InProcessBus(log), log, tokens };
}

/** Serves a module's own routes on a loopback port, as its service would. */
export function serve(module: ShopModule): { baseUrl: string; app: AnyElysia; close(): Promise<void> } {
  const app = createHttpApp({ title: "contract", log, maxBodyBytes: 65536, readiness: [module] }).use(module.routes);
  app.listen({ port: 0, hostname: "127.0.0.1" });
  return {
    baseUrl: `http://127.0.0.1:${app.server!.port}`,
    app,
    close: async () => {
      await app.stop();
      await module.stop();
    },
  };
}

export const clientOptions = (baseUrl: string) => ({ baseUrl, tokens, caller: "contract-test", attempts: 1 });

/** Runs `suite` once per adapter, with a name that says which. */
export function forBothAdapters<T>(describe: (name: string, fn: () => void) => void, adapters: Record<"in-process" | "http", () => T>, suite: (api: () => T) => void) {
  for (const [name, get] of Object.entries(adapters)) describe(`${name} adapter`, () => suite(get));
}
