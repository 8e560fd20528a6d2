// `npm start`: the whole shop in one process.
import { loadConfigOrExit } from "../platform/config";
import { serveUntilSignalled } from "../platform/lifecycle";
import { buildAllInOne } from "./all-in-one";

const config = loadConfigOrExit();
const shop = await buildAllInOne(config);
await shop.start();
await serveUntilSignalled(shop.app, config.port, shop.log, shop.stop);
