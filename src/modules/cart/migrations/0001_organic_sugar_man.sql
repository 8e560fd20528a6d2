CREATE TABLE `outbox_relay` (
	`id` integer PRIMARY KEY NOT NULL,
	`published_seq` integer NOT NULL
);
--> statement-breakpoint
-- Hand-added: the relay's position carries over (everything before the oldest unpublished event was published).
INSERT INTO `outbox_relay` (`id`, `published_seq`) VALUES (1, COALESCE((SELECT MIN(`seq`) - 1 FROM `outbox` WHERE `published_at` IS NULL), (SELECT MAX(`seq`) FROM `outbox`), 0));--> statement-breakpoint
DROP INDEX `outbox_id_unique`;--> statement-breakpoint
DROP INDEX `outbox_unpublished`;--> statement-breakpoint
ALTER TABLE `outbox` DROP COLUMN `published_at`;