CREATE TABLE "action_usage_days" (
	"principal_id" text,
	"day" date,
	"actions" integer NOT NULL,
	"resources" integer NOT NULL,
	CONSTRAINT "action_usage_days_pkey" PRIMARY KEY("principal_id","day")
);
--> statement-breakpoint
ALTER TABLE "action_usage" DROP CONSTRAINT "action_usage_pkey";--> statement-breakpoint
ALTER TABLE "action_usage" ADD PRIMARY KEY ("principal_id","day","action_key","resource_arn");--> statement-breakpoint
-- What action_usage already holds, so the bounds count the rows stored before this migration.
INSERT INTO "action_usage_days" ("principal_id", "day", "actions", "resources")
SELECT "principal_id", "day", count(DISTINCT "action_key"), count(*) FILTER (WHERE "resource_arn" <> '#folded')
FROM "action_usage" GROUP BY "principal_id", "day";
