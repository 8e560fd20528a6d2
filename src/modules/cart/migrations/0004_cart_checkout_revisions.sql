-- Each cart's checkout revision (Cart.checkoutRevision): bumped when an order's lines leave the
-- cart, recorded by the order a checkout creates. WITHOUT ROWID like cart_items: the key is the row,
-- and a bump writes one page. drizzle-kit does not model WITHOUT ROWID: schema.ts says so.
CREATE TABLE `carts` (
	`user_id` text PRIMARY KEY NOT NULL,
	`checkout_revision` integer NOT NULL
) WITHOUT ROWID;
