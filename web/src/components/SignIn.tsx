import { createSignal, Show } from "solid-js";
import { ApiError, errorMessage, type ApiClient } from "../api/client";
import type { Session } from "../api/types";
import { isOperator } from "../state/session";

export function SignIn(props: { api: ApiClient; notice: string | null; onSignedIn(session: Session): void }) {
  const [username, setUsername] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    setError(null);
    if (!username().trim() || !password()) {
      setError("Enter your username and password.");
      return;
    }
    setBusy(true);
    try {
      const session = await props.api.signIn(username().trim(), password());
      if (!isOperator(session)) {
        setError(`“${session.username}” is a customer account. This dashboard is for shop operators only — sign in with an operator account.`);
        setPassword("");
        return;
      }
      props.onSignedIn(session);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? "Wrong username or password." : errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="signin">
      <form class="signin-card" onSubmit={submit} aria-labelledby="signin-title" novalidate>
        <div class="brand brand--large" aria-hidden="true">
          <span class="brand-mark" />
          Shop operations
        </div>
        <h1 id="signin-title">Sign in to track orders</h1>
        <Show when={props.notice && !error()}>
          <p class="notice" role="status" data-testid="signin-notice">{props.notice}</p>
        </Show>
        <Show when={error()}>
          <p class="form-error" role="alert" data-testid="signin-error">{error()}</p>
        </Show>
        <label class="field">
          <span>Username</span>
          <input
            name="username"
            autocomplete="username"
            required
            autofocus
            value={username()}
            onInput={(e) => setUsername(e.currentTarget.value)}
            data-testid="signin-username"
          />
        </label>
        <label class="field">
          <span>Password</span>
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
            data-testid="signin-password"
          />
        </label>
        <button class="btn btn--primary btn--block" type="submit" disabled={busy()} data-testid="signin-submit">
          {busy() ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
