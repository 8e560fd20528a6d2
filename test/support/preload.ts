// Loaded before every test file (bunfig.toml [test] preload). Bun 1.4.5 does not read a `timeout`
// from bunfig.toml, so without this every test and hook without its own limit gets 5 s: too short
// for starting processes on a busy 2-core machine. Tests that must be quick still say so themselves.
import { setDefaultTimeout } from "bun:test";

setDefaultTimeout(60_000);
