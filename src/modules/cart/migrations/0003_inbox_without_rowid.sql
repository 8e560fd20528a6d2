-- The cart's inbox (order ids already taken out of carts, one per checkout) in one b-tree keyed by
-- (consumer, event_id), WITHOUT ROWID like cart_items: a claim writes one page instead of two.
-- Rows are ~80 bytes, well inside what a 1 KiB page keeps inline.
CREATE TABLE `processed_events_keyed` (
	`consumer` text NOT NULL,
	`event_id` text NOT NULL,
	`processed_at` text NOT NULL,
	PRIMARY KEY(`consumer`, `event_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `processed_events_keyed` (`consumer`, `event_id`, `processed_at`)
	SELECT `consumer`, `event_id`, `processed_at` FROM `processed_events`;
--> statement-breakpoint
DROP TABLE `processed_events`;
--> statement-breakpoint
ALTER TABLE `processed_events_keyed` RENAME TO `processed_events`;
