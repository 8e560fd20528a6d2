// Signed out: the sign-in form. Signed in as an operator: the dashboard.
import { createSignal, Show } from "solid-js";
import { createApiClient } from "./api/client";
import type { Session } from "./api/types";
import { Dashboard } from "./components/Dashboard";
import { SignIn } from "./components/SignIn";
import { clearSession, isOperator, loadSession, saveSession } from "./state/session";

export function App() {
  const stored = loadSession();
  const [session, setSession] = createSignal<Session | null>(stored && isOperator(stored) ? stored : null);
  const [notice, setNotice] = createSignal<string | null>(null);

  const signOut = (reason?: string) => {
    clearSession();
    setSession(null);
    setNotice(reason ?? null);
  };

  const api = createApiClient({
    getToken: () => session()?.token ?? null,
    onUnauthorized: () => signOut("Your session has expired. Please sign in again."),
  });

  const signedIn = (s: Session) => {
    saveSession(s);
    setNotice(null);
    setSession(s);
  };

  return (
    <Show when={session()} keyed fallback={<SignIn api={api} notice={notice()} onSignedIn={signedIn} />}>
      {(s) => <Dashboard api={api} session={s} onSignOut={() => signOut()} />}
    </Show>
  );
}
