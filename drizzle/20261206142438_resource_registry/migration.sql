CREATE TABLE "resources" (
	"account_id" text,
	"arn" text,
	"service" text NOT NULL,
	"resource_type" text NOT NULL,
	"tags" jsonb DEFAULT '[]' NOT NULL,
	"policy_document" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resources_pkey" PRIMARY KEY("account_id","arn"),
	CONSTRAINT "resources_arn_length" CHECK (char_length("arn") between 1 and 2048),
	CONSTRAINT "resources_tags_is_array" CHECK (jsonb_typeof("tags") = 'array')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "resources_arn_unique" ON "resources" ("arn");--> statement-breakpoint
CREATE INDEX "resources_account_arn_prefix_idx" ON "resources" ("account_id","arn" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "resources_account_type_idx" ON "resources" ("account_id","service","resource_type");--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE;