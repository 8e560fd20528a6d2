// The two ways the shop runs, as a test parameter beside the engine (engines.ts): all in one
// process, or split into services behind the gateway with events through a real Kafka broker.
// `for (const mode of shopModes())` around a describe; TEST_MODES=all-in-one (or split) narrows a run.
import { afterAll, beforeAll } from "bun:test";
import { startKafkaOnFreePorts } from "../../scripts/kafka/broker";
import { startEntrypoint, tempDir, type ServerProcess } from "./processes";
import { SplitShop } from "./split-shop";

export type ShopMode = "all-in-one" | "split";

/** What a hook starting a shop in this mode should allow (a split shop is Kafka and five processes). */
export const MODE_START_TIMEOUT_MS: Record<ShopMode, number> = { "all-in-one": 60_000, split: 180_000 };

export function shopModes(): ShopMode[] {
  const only = process.env.TEST_MODES?.split(",").map((s) => s.trim()).filter(Boolean);
  const modes = (only?.length ? only : ["all-in-one", "split"]) as ShopMode[];
  for (const m of modes) if (m !== "all-in-one" && m !== "split") throw new Error(`TEST_MODES: unknown mode "${m}" (all-in-one, split)`);
  return modes;
}

export interface RunningShop {
  /** Where clients go: the process, or the gateway. */
  url: string;
  stop(): Promise<void>;
}

/** Starts the shop in `mode` with `env` (an engine's databases, settings), ready for requests. */
export async function startShopIn(mode: ShopMode, env: Record<string, string>): Promise<RunningShop> {
  if (mode === "all-in-one") {
    const server = await startEntrypoint("all.ts", env, { readyTimeoutMs: 30_000 });
    return { url: server.url, stop: async () => void (await server.stop()) };
  }
  const kafka = await startKafkaOnFreePorts({ dataDir: tempDir("kafka-") });
  try {
    const split = await new SplitShop({ ...env, KAFKA_BROKERS: kafka.brokers }).start();
    return {
      url: split.url,
      async stop() {
        await split.stop();
        await kafka.stop();
      },
    };
  } catch (error) {
    await kafka.stop();
    throw error;
  }
}

export interface ShopsInBothModes {
  allInOne: ServerProcess;
  /** The services' own ports included (split.ports); no Kafka: events wait in the outboxes. */
  split: SplitShop;
}

/**
 * For a file that compares the modes request by request: an all-in-one shop and a split one without
 * Kafka, started with the same `env` before the file's tests and stopped after them.
 */
export function shopsInBothModes(env: Record<string, string>): ShopsInBothModes {
  const shops = {} as ShopsInBothModes;
  beforeAll(async () => {
    [shops.allInOne, shops.split] = await Promise.all([startEntrypoint("all.ts", env, { readyTimeoutMs: 60_000 }), new SplitShop(env).start()]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([shops.allInOne?.stop(), shops.split?.stop()]);
  }, 30_000);
  return shops;
}
