// Reads a .cpuprofile (Chrome format, as `bun --cpu-prof` writes it) and says where the time
// went: by layer (SQLite, drizzle, tracing, metrics, HTTP framework, ...) and by the deepest
// shop function on the stack. Samples under start-up and the bench's own preparation (argon2
// register/login) are set apart, so the figures are the workload's.
import { readFileSync } from "node:fs";

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface Node {
  id: number;
  callFrame: Frame;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const LAYERS: Array<[RegExp, string]> = [
  [/drizzle-orm/, "drizzle-orm (building SQL, mapping rows)"],
  [/@opentelemetry/, "OpenTelemetry (spans, context)"],
  [/prom-client/, "prom-client (metrics)"],
  [/elysia|@sinclair\/typebox|memoirist/, "Elysia + TypeBox (routing, validation)"],
  [/jose/, "jose (JWT)"],
  [/kafkajs/, "kafkajs"],
];

const SQLITE_NATIVE = new Set(["prepare", "run", "values", "all", "get"]);
const isNative = (f: Frame) => f.url === "" || f.url === "[native code]";

function layerOf(stack: Frame[]): string {
  const leaf = stack[0]!;
  // A statement's native methods are called straight from bun:sqlite, drizzle's bun-sqlite
  // session or shop code (Array.map may sit between): the leaf's first JS caller tells.
  const caller = stack.find((f) => !isNative(f));
  if (isNative(leaf) && SQLITE_NATIVE.has(leaf.functionName) && caller && /bun:sqlite|drizzle-orm\/bun-sqlite|\/src\//.test(caller.url)) {
    return leaf.functionName === "prepare" ? "SQLite: prepare statement" : "SQLite: execute (incl. commit I/O)";
  }
  for (const frame of stack) {
    if (isShop(frame)) return "shop code (src/, self)";
    for (const [re, name] of LAYERS) if (re.test(frame.url)) return name;
  }
  return leaf.functionName === "(garbage collector)" ? "GC" : "runtime (HTTP server, JSON, promises, GC, native)";
}

// kafkajs keeps its own code under node_modules/kafkajs/src/: not the shop's.
const isShop = (f: Frame) => f.url.includes("/src/") && !f.url.includes("/node_modules/");
const shopFrame = (stack: Frame[]) => stack.find(isShop);
const isPreparation = (stack: Frame[]) =>
  // Sign-up and sign-in; not the token check of every request (verify in tokens.ts, session-check.ts), which is the workload's.
  stack.some((f) => /auth\/(accounts|user-repository(\.sqlite)?|auth-routes|identity|sign-in-throttle|session-repository(\.sqlite)?)\.ts$/.test(f.url) || (/auth\/tokens\.ts$/.test(f.url) && f.functionName === "sign")) ||
  stack.some((f) => f.functionName === "require" || f.functionName === "moduleEvaluation" || /migrat/.test(f.url));

export function summarize(file: string, top = 25): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackOf = (id: number) => {
    const frames: Frame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at)!.callFrame);
    return frames; // leaf first
  };
  const layers = new Map<string, number>();
  const shop = new Map<string, number>();
  let total = 0;
  let excluded = 0;
  let idle = 0;
  // A sample stands for at most twice the usual gap between samples: the profiler samples only a
  // running thread, so a long gap is time spent waiting, which would otherwise be charged to
  // whatever ran next (a relay's timer, say).
  const cap = 2 * ([...profile.timeDeltas].sort((a, b) => a - b)[profile.timeDeltas.length >> 1] ?? 0);
  profile.samples.forEach((id, i) => {
    const us = Math.min(cap, profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0);
    const stack = stackOf(id);
    const leaf = stack[0]!.functionName;
    if (leaf === "(idle)" || leaf === "(program)" || stack.length <= 1) return void (idle += us);
    if (isPreparation(stack)) return void (excluded += us);
    total += us;
    const layer = layerOf(stack);
    layers.set(layer, (layers.get(layer) ?? 0) + us);
    const f = shopFrame(stack);
    const key = f ? `${f.url.replace(/.*\/src\//, "src/")}:${f.lineNumber + 1} ${f.functionName || "(anonymous)"}` : "(no shop frame: HTTP server, framework, timers)";
    shop.set(key, (shop.get(key) ?? 0) + us);
  });
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return [
    `workload CPU samples: ${(total / 1e6).toFixed(2)} s (start-up and argon2 preparation set apart: ${(excluded / 1e6).toFixed(2)} s; idle/unattributed ${(idle / 1e6).toFixed(2)} s)`,
    "",
    "by layer (self time):",
    ...sorted(layers).map(([k, v]) => `  ${pct(v)}  ${k}`),
    "",
    `by deepest shop function on the stack (its library calls included), top ${top}:`,
    ...sorted(shop).slice(0, top).map(([k, v]) => `  ${pct(v)}  ${k}`),
  ].join("\n");
}

if (import.meta.main) console.log(summarize(process.argv[2]!, Number(process.argv[3] ?? 25)));
