-- One live order per customer and cart checkout revision (see schema.ts): an order holds its cart's
-- revision until it ends unpaid. Orders placed before this migration hold none (null never collides).
ALTER TABLE `orders` ADD `cart_revision` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `orders_live_cart_revision` ON `orders` (`user_id`,`cart_revision`);