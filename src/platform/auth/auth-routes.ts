import { Elysia, t } from "elysia";
import { unauthorized } from "../errors";
import type { TokenService } from "./tokens";
import type { UserStore } from "./user-store";

const Credentials = t.Object(
  {
    username: t.String({ minLength: 3, maxLength: 32, pattern: "^[a-zA-Z0-9_.-]+$", description: "3-32 letters, digits, _ . -" }),
    password: t.String({ minLength: 8, maxLength: 128 }),
  },
  { additionalProperties: false },
);

/** Sign-up and sign-in. Tokens are HS256 JWTs carrying the user id and role. */
export const authRoutes = (users: UserStore, tokens: TokenService) =>
  new Elysia({ prefix: "/api/auth", detail: { tags: ["auth"] } })
    .post(
      "/register",
      async ({ body, set }) => {
        const principal = await users.register(body.username, body.password);
        set.status = 201;
        return { id: principal.userId, username: principal.username, role: principal.role };
      },
      {
        body: Credentials,
        response: { 201: t.Object({ id: t.String(), username: t.String(), role: t.String() }) },
        detail: { summary: "Create a customer account" },
      },
    )
    .post(
      "/token",
      async ({ body }) => {
        const principal = await users.authenticate(body.username, body.password);
        if (!principal) throw unauthorized("Wrong username or password");
        return { token: await tokens.sign(principal), role: principal.role, userId: principal.userId, username: principal.username };
      },
      {
        body: t.Object({ username: t.String({ minLength: 1, maxLength: 64 }), password: t.String({ minLength: 1, maxLength: 128 }) }),
        detail: { summary: "Exchange credentials for a bearer token" },
      },
    );
