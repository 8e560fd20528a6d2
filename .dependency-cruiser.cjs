// The module boundaries of DESIGN.md, checked by test/architecture/boundaries.test.ts, which also
// runs every rule against test/architecture/fixture, where each rule has a file that breaks it.
//
// A module has two entries: index.ts, its contract (types, API interfaces, event names and shapes,
// schemas, constants), for other modules and the dashboard; and module.ts, its factory and the
// HTTP adapters of its contract, for src/entrypoints/ alone.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "No import cycle anywhere in src/: a file's dependencies load before it, and reading one file never means reading its callers.",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "module-internals",
      severity: "error",
      comment: "A module may reach another module only through that module's index.ts (its contract).",
      from: { path: "^src/modules/([^/]+)/" },
      to: {
        path: "^src/modules/[^/]+/",
        pathNot: ["^src/modules/$1/", "^src/modules/[^/]+/index\\.ts$"],
      },
    },
    {
      name: "contract-is-data",
      severity: "error",
      comment:
        "A contract entry (index.ts, and the contract.ts it re-exports) holds types, schemas and constants, no behaviour: " +
        "besides type-only imports it may load only other contract files, TypeBox and the platform's schema builders " +
        "(CleanText, CurrencyCode, JsonInteger, LiteralUnion, RecordId: TypeBox alone), since each shape's one declaration is its schema.",
      // The schema builders are held to the same rule: loading a contract loads them.
      from: { path: ["^src/modules/[^/]+/(index|contract)\\.ts$", "^src/platform/http/(clean-text|currency-code|json-integer|literal-union|record-id)\\.ts$"] },
      to: {
        dependencyTypesNot: ["type-only"],
        pathNot: [
          "^src/modules/[^/]+/(index|contract)\\.ts$",
          "(^|/)node_modules/@sinclair/typebox/",
          "^src/platform/http/(clean-text|currency-code|json-integer|literal-union|record-id)\\.ts$",
        ],
      },
    },
    {
      name: "only-entrypoints-build-modules",
      severity: "error",
      comment: "A module's factory and adapters (module.ts) are wired by src/entrypoints/ alone; everything else talks to a module through its contract.",
      from: { path: "^(src|web)/", pathNot: "^src/entrypoints/" },
      to: { path: "^src/modules/[^/]+/module\\.ts$" },
    },
    {
      name: "platform-owns-no-business",
      severity: "error",
      comment: "src/platform is shared plumbing: it must not depend on any module.",
      from: { path: "^src/platform/" },
      to: { path: "^src/modules/" },
    },
    {
      name: "only-entrypoints-wire",
      severity: "error",
      comment: "Entrypoints compose modules; nothing else may import them.",
      from: { path: "^src/(modules|platform)/" },
      to: { path: "^src/entrypoints/" },
    },
    {
      name: "dashboard-uses-contracts-only",
      severity: "error",
      comment: "The dashboard shares types with the server through the modules' contract entries, never server code.",
      from: { path: "^web/" },
      to: { path: "^src/", pathNot: "^src/modules/[^/]+/(index|contract)\\.ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)node_modules/|\\.test\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs"] },
  },
};
