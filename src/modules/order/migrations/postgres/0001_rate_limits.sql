CREATE TABLE "rate_limits" (
	"rule" text NOT NULL,
	"key" text NOT NULL,
	"count" integer NOT NULL,
	"closes_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "rate_limits_rule_key_pk" PRIMARY KEY("rule","key")
);
