CREATE TABLE "service_versions" (
	"account_id" text,
	"service_name" text,
	"version" integer,
	"display_name" text NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_versions_pkey" PRIMARY KEY("account_id","service_name","version")
);
--> statement-breakpoint
CREATE TABLE "services" (
	"account_id" text,
	"service_name" text,
	"display_name" text NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "services_pkey" PRIMARY KEY("account_id","service_name"),
	CONSTRAINT "services_name_format" CHECK (char_length("service_name") between 1 and 64 and "service_name" ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'),
	CONSTRAINT "services_display_name_length" CHECK (char_length("display_name") between 1 and 256),
	CONSTRAINT "services_version_positive" CHECK ("version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "service_versions" ADD CONSTRAINT "service_versions_JPSN3SNObvcy_fkey" FOREIGN KEY ("account_id","service_name") REFERENCES "services"("account_id","service_name") ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE;