DROP INDEX `idempotency_order`;--> statement-breakpoint
ALTER TABLE `idempotency_keys` DROP COLUMN `response_status`;