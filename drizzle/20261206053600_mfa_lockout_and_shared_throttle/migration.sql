CREATE TABLE "rate_limit_buckets" (
	"key" text PRIMARY KEY,
	"tokens" double precision NOT NULL,
	"updated_ms" double precision NOT NULL,
	"granted" double precision DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_failures" (
	"key" text PRIMARY KEY,
	"failures" integer NOT NULL,
	"window_ends_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mfa_devices" ADD COLUMN "failed_code_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "mfa_devices" ADD COLUMN "locked_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "rate_limit_buckets_updated_idx" ON "rate_limit_buckets" ("updated_ms");--> statement-breakpoint
CREATE INDEX "sign_in_failures_window_idx" ON "sign_in_failures" ("window_ends_at");