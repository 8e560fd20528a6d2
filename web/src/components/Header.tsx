import type { LiveConnection } from "../api/live";
import type { Session } from "../api/types";
import type { Page } from "../state/url-state";
import { LiveIndicator } from "./LiveIndicator";

const PAGES: Array<{ page: Page; label: string }> = [
  { page: "orders", label: "Orders" },
  { page: "products", label: "Products" },
];

export function Header(props: { session: Session; live: LiveConnection; page: Page; onPage(page: Page): void; onSignOut(): void }) {
  return (
    <header class="topbar">
      <div class="brand">
        <span class="brand-mark" aria-hidden="true" />
        <span class="visually-hidden">Shop operations</span>
      </div>
      <nav class="tabs" aria-label="Sections">
        {PAGES.map((p) => (
          <button type="button" class="tab" aria-current={props.page === p.page ? "page" : undefined} onClick={() => props.onPage(p.page)} data-testid={`nav-${p.page}`}>
            {p.label}
          </button>
        ))}
      </nav>
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
