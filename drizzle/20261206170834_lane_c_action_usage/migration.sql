CREATE TABLE "action_usage" (
	"principal_id" text,
	"account_id" text NOT NULL,
	"action" text NOT NULL,
	"action_key" text,
	"resource_arn" text,
	"day" date,
	"requests" integer NOT NULL,
	"allowed" integer NOT NULL,
	"last_accessed_at" timestamp with time zone NOT NULL,
	"last_allowed_at" timestamp with time zone,
	CONSTRAINT "action_usage_pkey" PRIMARY KEY("principal_id","action_key","resource_arn","day")
);
--> statement-breakpoint
CREATE INDEX "action_usage_account_day_idx" ON "action_usage" ("account_id","day");