-- Reservations and their lines, three rows written by every checkout, each in one b-tree keyed by
-- its primary key (WITHOUT ROWID): a row written is one page instead of the table's and its key
-- index's. Rows are under ~100 bytes, well inside what a 1 KiB page keeps inline.
-- drizzle-kit does not model WITHOUT ROWID: schema.ts says so, and this file keeps it.
CREATE TABLE `reservations_keyed` (
	`id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `reservations_keyed` (`id`, `status`, `created_at`, `updated_at`)
	SELECT `id`, `status`, `created_at`, `updated_at` FROM `reservations`;
--> statement-breakpoint
DROP TABLE `reservations`;
--> statement-breakpoint
ALTER TABLE `reservations_keyed` RENAME TO `reservations`;
--> statement-breakpoint
CREATE TABLE `reservation_lines_keyed` (
	`reservation_id` text NOT NULL,
	`product_id` text NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`reservation_id`, `product_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `reservation_lines_keyed` (`reservation_id`, `product_id`, `quantity`)
	SELECT `reservation_id`, `product_id`, `quantity` FROM `reservation_lines`;
--> statement-breakpoint
DROP TABLE `reservation_lines`;
--> statement-breakpoint
ALTER TABLE `reservation_lines_keyed` RENAME TO `reservation_lines`;
