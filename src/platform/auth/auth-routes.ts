import { Elysia, t } from "elysia";
import { CleanText } from "../http/clean-text";
import { RecordId } from "../http/record-id";
import { routeDoc } from "../http/route-docs";
import { requireRole } from "./guard";
import type { Identity } from "./identity";
import type { TokenService } from "./tokens";

// Passwords are free text too: printable characters, counted as characters (not UTF-16 units).
const Credentials = t.Object(
  {
    username: t.String({
      minLength: 3,
      maxLength: 32,
      pattern: "^[a-zA-Z0-9_.-]+$",
      error: "must be 3 to 32 letters a-z or A-Z, digits, underscores, dots or dashes",
      description: "3-32 letters, digits, _ . - (case-insensitive: stored lower-cased)",
    }),
    password: CleanText({ minLength: 8, maxLength: 128 }),
  },
  { additionalProperties: false },
);

// Up to 80: accounts renamed by the case-insensitivity migration are `<name>~<id>`.
const SignIn = t.Object(
  { username: CleanText({ minLength: 1, maxLength: 80 }), password: CleanText({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false }, // as the server checks it (normalize: false): an unknown field is a 422
);

const role = t.Union([t.Literal("customer"), t.Literal("operator"), t.Literal("service")]);
const NewAccount = t.Object({ id: t.String(), username: t.String(), role });
const Token = t.Object({ token: t.String(), role, userId: t.String(), username: t.String() });
const AccountBody = t.Object({ id: t.String(), username: t.String(), role, disabled: t.Boolean() });
const UserId = t.Object({ id: RecordId() });
const tags = ["auth"];

/**
 * Sign-up, sign-in (HS256 JWTs carrying the user id, role and session id), sign-out, and
 * operators disabling accounts. Sign-in and sign-up are throttled per account and per client address.
 */
export const authRoutes = (identity: Identity, tokens: TokenService) => {
  const open = new Elysia({ prefix: "/api/auth" })
    .post(
      "/register",
      async ({ body, set, request, server }) => {
        const principal = await identity.register(body.username, body.password, identity.addresses.of(request, server));
        set.status = 201;
        return { id: principal.userId, username: principal.username, role: principal.role };
      },
      {
        body: Credentials,
        response: { 201: NewAccount },
        detail: routeDoc({
          summary: "Create a customer account",
          tags,
          caller: "anyone",
          ok: { 201: NewAccount },
          refuses: { 409: "USERNAME_TAKEN", 429: "TOO_MANY_REGISTRATIONS from this address (THROTTLE_REGISTRATION_PER_ADDRESS)" },
        }),
      },
    )
    .post(
      "/token",
      async ({ body, request, server }) => {
        const { token, principal } = await identity.signIn(body.username, body.password, identity.addresses.of(request, server), tokens);
        return { token, role: principal.role, userId: principal.userId, username: principal.username };
      },
      {
        body: SignIn,
        detail: routeDoc({
          summary: "Exchange credentials for a bearer token",
          tags,
          caller: "anyone",
          ok: { 200: Token },
          refuses: {
            401: "UNAUTHORIZED: wrong username or password",
            403: "ACCOUNT_DISABLED: an operator disabled this account",
            429: "TOO_MANY_ATTEMPTS for the account or from this address (THROTTLE_SIGN_IN_PER_ACCOUNT, THROTTLE_SIGN_IN_PER_ADDRESS)",
          },
        }),
      },
    );

  const signedIn = new Elysia({ prefix: "/api/auth" })
    .use(requireRole(tokens, "customer"))
    .post(
      "/logout",
      async ({ principal, set }) => {
        await identity.signOut(principal);
        set.status = 204;
      },
      { detail: routeDoc({ summary: "Revoke the presented token", tags, caller: "customer", ok: { 204: null } }) },
    );

  const operator = new Elysia({ prefix: "/api/auth" })
    .use(requireRole(tokens, "operator"))
    .post("/users/:id/disable", async ({ principal, params }) => identity.setDisabled(principal, params.id, true), {
      params: UserId,
      response: AccountBody,
      detail: routeDoc({
        summary: "Disable an account: its tokens stop working and it cannot sign in (operators)",
        tags,
        caller: "operator",
        ok: { 200: AccountBody },
        refuses: { 404: "NOT_FOUND: no such user", 409: "CANNOT_DISABLE_SELF" },
      }),
    })
    .post("/users/:id/enable", async ({ principal, params }) => identity.setDisabled(principal, params.id, false), {
      params: UserId,
      response: AccountBody,
      detail: routeDoc({
        summary: "Enable a disabled account again; it signs in anew (operators)",
        tags,
        caller: "operator",
        ok: { 200: AccountBody },
        refuses: { 404: "NOT_FOUND: no such user" },
      }),
    });

  return new Elysia({ name: "platform.auth-routes" }).use(open).use(signedIn).use(operator);
};
