// Split mode: carts on their own, reaching the catalog over HTTP and order events over Kafka.
import { createCartModule } from "../modules/cart/module";
import { httpCatalogApi } from "../modules/catalog/module";
import { clientOptions, runService, serviceContext } from "./service-runtime";

const ctx = serviceContext("cart");
const catalog = httpCatalogApi(clientOptions(ctx, "cart", "catalog"));
await runService(ctx, "Shop cart", createCartModule({ ...ctx.deps, catalog }));
