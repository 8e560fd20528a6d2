import { operatorSignIn, type Config } from "../platform/config";

/** The "listening" line of a process that serves the dashboard: the page to open and, in development, how to sign in. */
export const dashboardWelcome = (config: Config) => (url: string) => ({
  ...(config.webDist ? { open: url } : {}),
  signIn: operatorSignIn(config),
});
