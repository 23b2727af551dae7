ALTER TYPE "session_kind" ADD VALUE 'saml';--> statement-breakpoint
CREATE TABLE "saml_assertion_uses" (
	"issuer" text,
	"assertion_id" text,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "saml_assertion_uses_pkey" PRIMARY KEY("issuer","assertion_id")
);
--> statement-breakpoint
CREATE TABLE "saml_providers" (
	"arn" text PRIMARY KEY,
	"account_id" text NOT NULL,
	"name" text NOT NULL,
	"metadata_document" text NOT NULL,
	"entity_id" text NOT NULL,
	"signing_certificates" text[] NOT NULL,
	"valid_until" timestamp with time zone,
	"tags" jsonb DEFAULT '[]' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saml_providers_name" CHECK ("name" ~ '^[A-Za-z0-9._-]{1,128}$')
);
--> statement-breakpoint
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
CREATE TABLE "credential_reports" (
	"account_id" text PRIMARY KEY,
	"content" text NOT NULL,
	"generated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "federated_sign_ins" (
	"id" text PRIMARY KEY,
	"kind" text NOT NULL,
	"account_id" text NOT NULL,
	"provider_arn" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "federated_sign_ins_kind" CHECK ("kind" in ('pending', 'ready'))
);
--> statement-breakpoint
CREATE INDEX "saml_assertion_uses_expires_idx" ON "saml_assertion_uses" ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "saml_providers_account_name_unique" ON "saml_providers" ("account_id",lower("name"));--> statement-breakpoint
CREATE INDEX "action_usage_account_day_idx" ON "action_usage" ("account_id","day");--> statement-breakpoint
CREATE INDEX "federated_sign_ins_expires_idx" ON "federated_sign_ins" ("expires_at");--> statement-breakpoint
ALTER TABLE "saml_providers" ADD CONSTRAINT "saml_providers_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "credential_reports" ADD CONSTRAINT "credential_reports_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "federated_sign_ins" ADD CONSTRAINT "federated_sign_ins_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE "sts_sessions" DROP CONSTRAINT "sts_sessions_role_kinds", ADD CONSTRAINT "sts_sessions_role_kinds" CHECK (("role_id" is not null) = ("kind"::text in ('assume_role', 'web_identity', 'saml')));