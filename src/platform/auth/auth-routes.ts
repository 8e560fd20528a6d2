import { Elysia, t } from "elysia";
import { bearerSecurity, requireRole } from "./guard";
import type { Identity } from "./identity";
import type { TokenService } from "./tokens";

const Credentials = t.Object(
  {
    username: t.String({ minLength: 3, maxLength: 32, pattern: "^[a-zA-Z0-9_.-]+$", description: "3-32 letters, digits, _ . - (case-insensitive: stored lower-cased)" }),
    password: t.String({ minLength: 8, maxLength: 128 }),
  },
  { additionalProperties: false },
);

const AccountBody = t.Object({ id: t.String(), username: t.String(), role: t.String(), disabled: t.Boolean() });
const UserId = t.Object({ id: t.String({ minLength: 1, maxLength: 64 }) });

/**
 * Sign-up, sign-in (HS256 JWTs carrying the user id, role and session id), sign-out, and
 * operators disabling accounts. Sign-in and sign-up are throttled per account and per client address.
 */
export const authRoutes = (identity: Identity, tokens: TokenService) => {
  const open = new Elysia({ prefix: "/api/auth", detail: { tags: ["auth"] } })
    .post(
      "/register",
      async ({ body, set, request, server }) => {
        const principal = await identity.register(body.username, body.password, identity.addresses.of(request, server));
        set.status = 201;
        return { id: principal.userId, username: principal.username, role: principal.role };
      },
      {
        body: Credentials,
        response: { 201: t.Object({ id: t.String(), username: t.String(), role: t.String() }) },
        detail: { summary: "Create a customer account (429 when this address registered too often)" },
      },
    )
    .post(
      "/token",
      async ({ body, request, server }) => {
        const { token, principal } = await identity.signIn(body.username, body.password, identity.addresses.of(request, server), tokens);
        return { token, role: principal.role, userId: principal.userId, username: principal.username };
      },
      {
        // Up to 80: accounts renamed by the case-insensitivity migration are `<name>~<id>`.
        body: t.Object({ username: t.String({ minLength: 1, maxLength: 80 }), password: t.String({ minLength: 1, maxLength: 128 }) }),
        detail: { summary: "Exchange credentials for a bearer token (429 after too many failures for the account or the address)" },
      },
    );

  const signedIn = new Elysia({ prefix: "/api/auth", detail: { tags: ["auth"] } })
    .use(requireRole(tokens, "customer"))
    .post(
      "/logout",
      async ({ principal, set }) => {
        await identity.signOut(principal);
        set.status = 204;
      },
      { detail: { summary: "Revoke the presented token", security: bearerSecurity } },
    );

  const operator = new Elysia({ prefix: "/api/auth", detail: { tags: ["auth"] } })
    .use(requireRole(tokens, "operator"))
    .post("/users/:id/disable", async ({ principal, params }) => identity.setDisabled(principal, params.id, true), {
      params: UserId,
      response: AccountBody,
      detail: { summary: "Disable an account: its tokens stop working and it cannot sign in (operators)", security: bearerSecurity },
    })
    .post("/users/:id/enable", async ({ principal, params }) => identity.setDisabled(principal, params.id, false), {
      params: UserId,
      response: AccountBody,
      detail: { summary: "Enable a disabled account again; it signs in anew (operators)", security: bearerSecurity },
    });

  return new Elysia({ name: "platform.auth-routes" }).use(open).use(signedIn).use(operator);
};
