// The module boundaries of DESIGN.md, checked by test/architecture/boundaries.test.ts.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
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
      comment: "The dashboard shares types with the server through the contracts, never server code.",
      from: { path: "^web/" },
      to: { path: "^src/", pathNot: "^src/modules/[^/]+/contract\\.ts$" },
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
