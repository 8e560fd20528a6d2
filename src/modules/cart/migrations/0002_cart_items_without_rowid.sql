-- Cart lines live in one b-tree keyed by (user_id, product_id) (WITHOUT ROWID): reading a cart is
-- one range scan instead of key lookups into a second tree, and adding or removing a line writes
-- one page instead of two. Rows are ~130 bytes, well inside what a 1 KiB page keeps inline.
-- drizzle-kit does not model WITHOUT ROWID: schema.ts says so, and this file keeps it.
CREATE TABLE `cart_items_keyed` (
	`user_id` text NOT NULL,
	`product_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`added_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`user_id`, `product_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `cart_items_keyed` (`user_id`, `product_id`, `quantity`, `added_at`, `updated_at`)
	SELECT `user_id`, `product_id`, `quantity`, `added_at`, `updated_at` FROM `cart_items`;
--> statement-breakpoint
DROP TABLE `cart_items`;
--> statement-breakpoint
ALTER TABLE `cart_items_keyed` RENAME TO `cart_items`;
