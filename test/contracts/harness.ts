import type { AnyElysia } from "elysia";
import { openIdentityDatabase } from "../../src/platform/auth/identity-database";
import { SessionStore } from "../../src/platform/auth/session-store";
import { TokenService } from "../../src/platform/auth/tokens";
import { UserStore } from "../../src/platform/auth/user-store";
import { InProcessBus } from "../../src/platform/events/in-process-bus";
import { createHttpApp } from "../../src/platform/http/create-app";
import { createLogger } from "../../src/platform/logger";
import type { ModuleDeps, ShopModule } from "../../src/platform/module";
import { tempDir } from "../support/processes";

// A real identity database: a user's token is only accepted while its session is live.
const identity = openIdentityDatabase(tempDir("shop-contract-identity-"));
const users = new UserStore(identity);
const sessions = new SessionStore(identity);
export const tokens = new TokenService("contract-tests-secret-0123456789abcdef", 3600, sessions);

/** A registered customer, signed in: their id and token. */
export async function signedInCustomer(name: string): Promise<{ userId: string; token: string }> {
  const principal = await users.register(`${name}_${crypto.randomUUID().slice(0, 8)}`, "contract-password");
  const expiresAt = Math.floor(Date.now() / 1000) + 3600;
  const sessionId = sessions.open(principal.userId, expiresAt)!;
  return { userId: principal.userId, token: await tokens.sign(principal, { sessionId, expiresAt }) };
}
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
