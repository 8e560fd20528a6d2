import type { LiveConnection } from "../api/live";
import type { Session } from "../api/types";
import { LiveIndicator } from "./LiveIndicator";

export function Header(props: { session: Session; live: LiveConnection; onSignOut(): void }) {
  return (
    <header class="topbar">
      <div class="brand">
        <span class="brand-mark" aria-hidden="true" />
        <span>Orders</span>
      </div>
      <LiveIndicator live={props.live} />
      <div class="topbar-user">
        <span class="muted user-name" data-testid="current-user">
          {props.session.username}
        </span>
        <button type="button" class="btn btn--small" onClick={() => props.onSignOut()} data-testid="btn-signout">
          Sign out
        </button>
      </div>
    </header>
  );
}
