// Split mode: the catalog on its own.
import { createCatalogModule } from "../modules/catalog/module";
import { runService, serviceContext } from "./service-runtime";

const ctx = serviceContext("catalog");
await runService(ctx, "Shop catalog", createCatalogModule({ ...ctx.deps, seed: ctx.config.seedCatalog }));
