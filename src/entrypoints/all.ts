// `npm start`: the whole shop in one process.
import { loadConfigOrExit } from "../platform/config";
import { setCommitSync } from "../platform/db/group-commit";
import { serveUntilSignalled } from "../platform/lifecycle";
import { initTracing } from "../platform/observability/tracing";
import { guardProcess } from "../platform/process-guard";
import { buildAllInOne } from "./all-in-one";
import { dashboardWelcome } from "./welcome";

const config = loadConfigOrExit();
guardProcess();
setCommitSync(config.sqliteCommitSync);
initTracing("all");
const shop = await buildAllInOne(config);
await shop.start();
await serveUntilSignalled(shop.app, config, shop.log, shop.stop, shop.drain, dashboardWelcome(config));
