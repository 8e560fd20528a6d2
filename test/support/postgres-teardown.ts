// Preloaded by bunfig.toml for every `bun test`: after the last test file, the test PostgreSQL
// server (if a file started one) is stopped and its folder deleted. Starts nothing by itself.
import { afterAll } from "bun:test";
import { stopTestPostgres } from "./postgres";

afterAll(stopTestPostgres, 60_000);
