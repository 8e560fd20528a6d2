// One definition per shape (issue 13.2): each shape a module shares is a TypeBox schema in its
// contract with its type derived from it, and nothing in src/ or web/src declares it again. The
// lists of names (order statuses first) are written once too. The type-level half (the dashboard's
// types are the contracts') is checked by `bun run typecheck`, which compiles this file.
import { describe, expect, test } from "bun:test";
import type { Static } from "@sinclair/typebox";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as cart from "../../src/modules/cart";
import * as catalog from "../../src/modules/catalog";
import * as order from "../../src/modules/order";
import * as payment from "../../src/modules/payment";
import type * as web from "../../web/src/api/types";

const root = join(import.meta.dir, "..", "..");
const modules = readdirSync(join(root, "src", "modules"));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}
const files = [...sourceFiles("src"), ...sourceFiles("web/src")].map((path) => ({ path, text: readFileSync(join(root, path), "utf8") }));

/** The shapes: every TypeBox schema a contract exports, by name (a schema has a [Kind]). */
const KIND = Symbol.for("TypeBox.Kind");
const shapes = Object.entries({ ...cart, ...catalog, ...order, ...payment })
  .filter(([, value]) => typeof value === "object" && value !== null && KIND in value)
  .map(([name]) => name);

describe("one definition per shape", () => {
  test("the contracts export the schemas of the shared shapes", () => {
    for (const name of ["Product", "ProductPage", "NewProduct", "ProductChanges", "Cart", "CartLine", "Order", "OrderLine", "OrderStatus", "OrderStats", "Payment", "PaymentStatus"]) {
      expect(shapes).toContain(name);
    }
  });

  test("model.ts, the second declaration of every shape, is gone", () => {
    for (const name of modules) expect([name, existsSync(join(root, "src", "modules", name, "model.ts"))]).toEqual([name, false]);
  });

  test("a contract derives each shape's type from its schema and declares no interface but its API", () => {
    for (const name of modules) {
      const text = readFileSync(join(root, "src", "modules", name, "contract.ts"), "utf8");
      const interfaces = [...text.matchAll(/^export interface (\w+)/gm)].map((m) => m[1]!);
      expect([name, interfaces.filter((i) => !i.endsWith("Api"))]).toEqual([name, []]);
      for (const shape of shapes.filter((s) => new RegExp(`^export const ${s} = `, "m").test(text))) {
        expect([name, shape, text.includes(`export type ${shape} = Static<typeof ${shape}>;`)]).toEqual([name, shape, true]);
      }
    }
  });

  test("no file of the server or the dashboard declares a shape again", () => {
    const again: string[] = [];
    for (const { path, text } of files) {
      for (const shape of shapes) {
        const declarations = [...text.matchAll(new RegExp(`^\\s*(?:export\\s+)?(?:declare\\s+)?(?:(?:interface|class|enum)\\s+${shape}\\b|(?:type|const|let|var)\\s+${shape}\\s*[=:<])`, "gm"))];
        const isContractOfIt = /^src\/modules\/[^/]+\/contract\.ts$/.test(path) && new RegExp(`^export const ${shape} = `, "m").test(text);
        if (declarations.length > 0 && !isContractOfIt) again.push(`${path}: ${shape}`);
      }
    }
    expect(again).toEqual([]);
  });

  test("each list of names (statuses, ranges, sorts, reasons) is written once: no other file lists three of its names", () => {
    const contractLists = Object.entries({ ...cart, ...catalog, ...order, ...payment } as Record<string, unknown>)
      .filter(([, value]) => Array.isArray(value) && value.length >= 3 && value.every((v) => typeof v === "string"))
      .map(([name, value]) => [name, value as readonly string[]] as const);
    expect(contractLists.map(([name]) => name)).toContain("ORDER_STATUSES");
    const copies: string[] = [];
    for (const [name, values] of contractLists) {
      const names = values.map((v) => v.replace(/[^\w]/g, "")).join("|");
      // Three or more of the names in one array literal, whatever the quotes.
      const list = new RegExp(`\\[\\s*["'\`](?:${names})["'\`](?:\\s*,\\s*["'\`](?:${names})["'\`]){2,}`);
      for (const { path, text } of files) if (!/^src\/modules\/[^/]+\/contract\.ts$/.test(path) && list.test(text)) copies.push(`${path}: ${name}`);
    }
    expect(copies).toEqual([]);
  });

  test("the dashboard's status list is the contract's, not a copy", async () => {
    const types = await import("../../web/src/api/types");
    expect(types.ORDER_STATUSES).toBe(order.ORDER_STATUSES);
    expect(types.REVENUE_STATUSES).toBe(order.REVENUE_STATUSES);
  });
});

// The dashboard's types are the contracts' (compile-time: `bun run typecheck` fails otherwise).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const dashboardTypesAreTheContracts: [
  Same<web.Order, Static<typeof order.Order>>,
  Same<web.OrderStatus, Static<typeof order.OrderStatus>>,
  Same<web.OrderStats, Static<typeof order.OrderStats>>,
  Same<web.OrderSeries, Static<typeof order.OrderSeries>>,
  Same<web.CheckoutFailures, Static<typeof order.CheckoutFailures>>,
  Same<web.OrderPage, Static<typeof order.OrderPage>>,
  Same<web.Product, Static<typeof catalog.Product>>,
  Same<web.ProductPage, Static<typeof catalog.ProductPage>>,
  Same<web.NewProduct, Static<typeof catalog.NewProduct>>,
  Same<web.ProductChanges, Static<typeof catalog.ProductChanges>>,
  Same<web.Payment, Static<typeof payment.Payment>>,
] = [true, true, true, true, true, true, true, true, true, true, true];
void dashboardTypesAreTheContracts;
