// The signed-in operator, remembered for the browser tab (sessionStorage: gone when the tab closes).
import type { Session } from "../api/types";

const KEY = "shop.ops.session";

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // storage disabled (privacy mode): the session lives in memory only
  }
}

export function loadSession(): Session | null {
  const raw = storage()?.getItem(KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Partial<Session>;
    if (typeof s.token === "string" && typeof s.username === "string" && typeof s.role === "string") return s as Session;
  } catch {
    /* corrupt entry: treat as signed out */
  }
  storage()?.removeItem(KEY);
  return null;
}

export function saveSession(session: Session): void {
  storage()?.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  storage()?.removeItem(KEY);
}

/** Only operators may use the dashboard (services never sign in through the UI). */
export const isOperator = (session: Pick<Session, "role">) => session.role === "operator";
