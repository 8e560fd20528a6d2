import { TokenService } from "../../src/platform/auth/tokens";
import { loadConfig } from "../../src/platform/config";

/** A service token signed with the development secret the test servers run with. */
export async function serviceToken(name = "test-suite"): Promise<string> {
  const config = loadConfig({ NODE_ENV: "test" });
  return new TokenService(config.tokenSecret, 3600).sign({ userId: `service:${name}`, username: name, role: "service" });
}
