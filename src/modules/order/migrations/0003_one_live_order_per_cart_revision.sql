-- One live order per customer and cart checkout revision (see schema.ts). Orders placed before this
-- migration keep a null revision, which the unique index never compares.
ALTER TABLE `orders` ADD `cart_revision` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `orders_one_live_per_cart_revision` ON `orders` (`user_id`,`cart_revision`) WHERE status IN ('PENDING', 'PAID', 'SHIPPED', 'DELIVERED');