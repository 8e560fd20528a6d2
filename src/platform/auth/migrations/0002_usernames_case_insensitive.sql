-- Usernames become case-insensitive: stored lower-cased, so the unique index refuses `ALICE` next
-- to `alice`. Accounts that already differ only by case: the oldest keeps the name; each later one
-- is renamed `<name>~<its id>` (`~` cannot be registered, so the new name is unique and nobody can
-- take it). Their ids, orders and passwords are unchanged; operators find them with
-- `SELECT id, username FROM users WHERE username LIKE '%~%'` and tell them their new name.
UPDATE `users` SET `username` = lower(`username`) || '~' || `id`
WHERE EXISTS (
	SELECT 1 FROM `users` AS `older`
	WHERE lower(`older`.`username`) = lower(`users`.`username`)
	  AND (`older`.`created_at` < `users`.`created_at` OR (`older`.`created_at` = `users`.`created_at` AND `older`.`id` < `users`.`id`))
);
--> statement-breakpoint
UPDATE `users` SET `username` = lower(`username`) WHERE `username` <> lower(`username`);
