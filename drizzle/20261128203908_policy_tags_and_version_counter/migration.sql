ALTER TABLE "managed_policies" ADD COLUMN "last_version_number" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "managed_policies" ADD COLUMN "tags" jsonb DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "managed_policies" ADD CONSTRAINT "managed_policies_tags_is_array" CHECK (jsonb_typeof("tags") = 'array');