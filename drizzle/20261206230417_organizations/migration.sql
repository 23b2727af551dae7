CREATE TABLE "organization_policies" (
	"id" text PRIMARY KEY,
	"organization_id" text,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"aws_managed" boolean DEFAULT false NOT NULL,
	"current_version" integer DEFAULT 1 NOT NULL,
	"tags" jsonb DEFAULT '[]' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organization_policies_id_format" CHECK ("id" ~ '^p-[0-9a-zA-Z_]{8,128}$'),
	CONSTRAINT "organization_policies_type" CHECK ("type" in ('SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY')),
	CONSTRAINT "organization_policies_name_length" CHECK (char_length("name") between 1 and 128),
	CONSTRAINT "organization_policies_description_length" CHECK (char_length("description") <= 512),
	CONSTRAINT "organization_policies_managed_has_no_organization" CHECK (("aws_managed") = ("organization_id" is null))
);
--> statement-breakpoint
CREATE TABLE "organization_policy_attachments" (
	"organization_id" text NOT NULL,
	"policy_id" text,
	"target_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organization_policy_attachments_pkey" PRIMARY KEY("policy_id","target_id")
);
--> statement-breakpoint
CREATE TABLE "organization_policy_versions" (
	"policy_id" text,
	"version_number" integer,
	"content" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organization_policy_versions_pkey" PRIMARY KEY("policy_id","version_number"),
	CONSTRAINT "organization_policy_versions_number_positive" CHECK ("version_number" >= 1),
	CONSTRAINT "organization_policy_versions_content_length" CHECK (char_length("content") between 1 and 5120)
);
--> statement-breakpoint
CREATE TABLE "organizational_units" (
	"id" text PRIMARY KEY,
	"organization_id" text NOT NULL,
	"parent_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizational_units_id_format" CHECK ("id" ~ '^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$'),
	CONSTRAINT "organizational_units_parent_format" CHECK ("parent_id" ~ '^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$'),
	CONSTRAINT "organizational_units_name_length" CHECK (char_length("name") between 1 and 128)
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" text PRIMARY KEY,
	"root_id" text NOT NULL,
	"management_account_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_id_format" CHECK ("id" ~ '^o-[a-z0-9]{10,32}$'),
	CONSTRAINT "organizations_root_id_format" CHECK ("root_id" ~ '^r-[0-9a-z]{4,32}$')
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "state" text DEFAULT 'ACTIVE' NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "organization_id" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "parent_id" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "joined_method" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "joined_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "accounts_parent_idx" ON "accounts" ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_email_unique" ON "accounts" (lower("email"));--> statement-breakpoint
CREATE INDEX "accounts_organization_idx" ON "accounts" ("organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organization_policies_name_unique" ON "organization_policies" (coalesce("organization_id", 'aws'),"type","name");--> statement-breakpoint
CREATE INDEX "organization_policy_attachments_target_idx" ON "organization_policy_attachments" ("target_id");--> statement-breakpoint
CREATE INDEX "organization_policy_attachments_organization_idx" ON "organization_policy_attachments" ("organization_id");--> statement-breakpoint
CREATE INDEX "organizational_units_parent_idx" ON "organizational_units" ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organizational_units_parent_name_unique" ON "organizational_units" ("parent_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_root_unique" ON "organizations" ("root_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_management_account_unique" ON "organizations" ("management_account_id");--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_organization_id_organizations_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");--> statement-breakpoint
ALTER TABLE "organization_policies" ADD CONSTRAINT "organization_policies_organization_id_organizations_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");--> statement-breakpoint
ALTER TABLE "organization_policy_attachments" ADD CONSTRAINT "organization_policy_attachments_D64FgfVell8o_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");--> statement-breakpoint
ALTER TABLE "organization_policy_attachments" ADD CONSTRAINT "organization_policy_attachments_2smLm123HeCH_fkey" FOREIGN KEY ("policy_id") REFERENCES "organization_policies"("id");--> statement-breakpoint
ALTER TABLE "organization_policy_versions" ADD CONSTRAINT "organization_policy_versions_pWTFuvhRnLOs_fkey" FOREIGN KEY ("policy_id") REFERENCES "organization_policies"("id") ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE "organizational_units" ADD CONSTRAINT "organizational_units_organization_id_organizations_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_management_account_id_accounts_id_fkey" FOREIGN KEY ("management_account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_state" CHECK ("state" in ('ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE'));--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_parent_format" CHECK ("parent_id" ~ '^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$');--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_parent_with_organization" CHECK (("organization_id" is null) = ("parent_id" is null));