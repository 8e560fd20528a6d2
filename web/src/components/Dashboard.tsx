import { Match, Switch } from "solid-js";
import type { ApiClient } from "../api/client";
import type { Session } from "../api/types";
import { createDashboardState } from "../state/dashboard-state";
import { Header } from "./Header";
import { OrdersPage } from "./OrdersPage";
import { ProductsPage } from "./ProductsPage";

/** The operator's screen: orders (live) or products, under one header with the live indicator. */
export function Dashboard(props: { api: ApiClient; session: Session; onSignOut(): void }) {
  const state = createDashboardState(props.api, props.session.token);
  return (
    <div class="app" classList={{ "has-details": state.page() === "orders" && state.open.order() !== null }}>
      <a class="skip-link" href="#main">Skip to content</a>
      <Header session={props.session} live={state.live} page={state.page()} onPage={state.setPage} onSignOut={props.onSignOut} />
      <Switch>
        <Match when={state.page() === "orders"}>
          <OrdersPage api={props.api} state={state} />
        </Match>
        <Match when={state.page() === "products"}>
          <main id="main" class="layout layout--single" tabindex="-1">
            <ProductsPage api={props.api} />
          </main>
        </Match>
      </Switch>
    </div>
  );
}
