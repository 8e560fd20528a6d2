import { TokenService } from "../../src/platform/auth/tokens";
import type { Principal } from "../../src/platform/auth/principal";
import { loadConfig } from "../../src/platform/config";

/** A service token signed with the development secret the test servers run with. */
export async function serviceToken(name = "test-suite"): Promise<string> {
  return signedToken({ userId: `service:${name}`, username: name, role: "service" });
}

/** Any token, validly signed with the test servers' secret (whether its user and session exist or not). */
export async function signedToken(principal: Principal): Promise<string> {
  const config = loadConfig({ NODE_ENV: "test" });
  return new TokenService(config.tokenSecret, 3600).sign(principal);
}
