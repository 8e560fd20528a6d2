// Modules built on their own, as their services build them, for contract and repository tests:
// real databases in temp folders, a real identity database behind the tokens, the module's own
// routes served on loopback or called through app.handle.
import type { AnyElysia } from "elysia";
import { Accounts } from "../../src/platform/auth/accounts";
import { openIdentityDatabase } from "../../src/platform/auth/identity-database";
import type { Principal } from "../../src/platform/auth/principal";
import { SqliteSessionRepository } from "../../src/platform/auth/session-repository.sqlite";
import { TokenService } from "../../src/platform/auth/tokens";
import { SqliteUserRepository } from "../../src/platform/auth/user-repository.sqlite";
import { InProcessBus } from "../../src/platform/events/in-process-bus";
import { createHttpApp } from "../../src/platform/http/create-app";
import { createLogger } from "../../src/platform/logger";
import { loadConfig } from "../../src/platform/config";
import type { ModuleDeps, ShopModule } from "../../src/platform/module";
import type { Engine } from "./engines";
import { freshDatabase } from "./postgres";
import { tempDir } from "./processes";

// A real identity database: a user's token is only accepted while its session is live.
const identity = openIdentityDatabase(tempDir("shop-contract-identity-"));
const accounts = new Accounts(new SqliteUserRepository(identity.sqlite));
const sessions = new SqliteSessionRepository(identity.sqlite);
export const tokens = new TokenService("contract-tests-secret-0123456789abcdef", 3600, sessions);

async function signedIn(principal: Principal): Promise<{ userId: string; token: string }> {
  const expiresAt = Math.floor(Date.now() / 1000) + 3600;
  const sessionId = (await sessions.open(principal.userId, expiresAt))!;
  return { userId: principal.userId, token: await tokens.sign(principal, { sessionId, expiresAt }) };
}

/** A registered customer, signed in: their id and token. */
export async function signedInCustomer(name: string): Promise<{ userId: string; token: string }> {
  return signedIn(await accounts.register(`${name}_${crypto.randomUUID().slice(0, 8)}`, "contract-password"));
}

/** A registered operator, signed in. */
export async function signedInOperator(name: string): Promise<{ userId: string; token: string }> {
  return signedIn(await accounts.register(`${name}_${crypto.randomUUID().slice(0, 8)}`, "contract-password", "operator"));
}

export const log = createLogger("silent");

export function moduleDeps(): ModuleDeps {
  return { dataDir: tempDir("shop-contract-"), bus: new InProcessBus(log), log, tokens };
}

/**
 * Module deps on `engine`: SQLite files in a temp folder, or a fresh PostgreSQL database (each
 * module in its own schema, as DATABASE_URL gives them). Start the module before using it: on
 * PostgreSQL, start checks the server and migrates.
 */
export async function moduleDepsOn(engine: Engine, label: string): Promise<ModuleDeps> {
  const deps = moduleDeps();
  if (engine.name === "postgres") deps.databases = loadConfig({ DATA_DIR: deps.dataDir, DATABASE_URL: await freshDatabase(label) }).databases;
  return deps;
}

/** A module's own routes behind the shared HTTP shell, as its service mounts them. */
export const shell = (module: ShopModule) => createHttpApp({ title: "contract", log, maxBodyBytes: 65536, readiness: [module] }).use(module.routes);

/** Serves a module's own routes on a loopback port, as its service would. */
export function serve(module: ShopModule): { baseUrl: string; app: AnyElysia; close(): Promise<void> } {
  const app = shell(module);
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

/**
 * Products made as operators make them, through the catalog module's own routes (POST and PATCH
 * /api/products, without a port).
 */
export async function catalogAdmin(catalog: ShopModule) {
  const app = shell(catalog);
  const { token } = await signedInOperator("catalog-admin");
  const call = async (method: string, path: string, body: unknown) => {
    const response = await app.handle(
      new Request(`http://catalog.local${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) }),
    );
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response.json() as Promise<{ id: string; stock: number; currency: string }>;
  };
  return {
    create: (product: { name: string; category: string; priceCents: number; currency: string; stock: number }) => call("POST", "/api/products", product),
    change: (id: string, changes: Record<string, unknown>) => call("PATCH", `/api/products/${id}`, changes),
  };
}

export const clientOptions = (baseUrl: string) => ({ baseUrl, tokens, caller: "contract-test", attempts: 1 });

/** Runs `suite` once per adapter, with a name that says which. */
export function forBothAdapters<T>(describe: (name: string, fn: () => void) => void, adapters: Record<"in-process" | "http", () => T>, suite: (api: () => T) => void) {
  for (const [name, get] of Object.entries(adapters)) describe(`${name} adapter`, () => suite(get));
}
