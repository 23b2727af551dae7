ALTER TABLE "accounts" ADD COLUMN "tags" jsonb DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "root_tags" jsonb DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "organizational_units" ADD COLUMN "tags" jsonb DEFAULT '[]' NOT NULL;