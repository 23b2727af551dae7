CREATE TYPE "principal_kind" AS ENUM('user', 'group', 'role');--> statement-breakpoint
CREATE TYPE "access_key_status" AS ENUM('Active', 'Inactive');--> statement-breakpoint
CREATE TYPE "session_kind" AS ENUM('assume_role', 'web_identity', 'session_token', 'sign_in');--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" text PRIMARY KEY,
	"alias" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_id_format" CHECK (char_length("id") between 12 and 12 and "id" ~ '^[0-9]{12}$'),
	CONSTRAINT "accounts_alias_format" CHECK (char_length("alias") between 3 and 63 and "alias" ~ '^[a-z0-9]([a-z0-9]|-[a-z0-9])*$')
);
--> statement-breakpoint
CREATE TABLE "login_throttles" (
	"account_id" text,
	"user_name_lower" text,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	CONSTRAINT "login_throttles_pkey" PRIMARY KEY("account_id","user_name_lower"),
	CONSTRAINT "login_throttles_name_is_lower" CHECK ("user_name_lower" = lower("user_name_lower")),
	CONSTRAINT "login_throttles_failures_non_negative" CHECK ("failures" >= 0)
);
--> statement-breakpoint
CREATE TABLE "password_policies" (
	"account_id" text PRIMARY KEY,
	"minimum_password_length" integer DEFAULT 8 NOT NULL,
	"require_symbols" boolean DEFAULT false NOT NULL,
	"require_numbers" boolean DEFAULT false NOT NULL,
	"require_uppercase_characters" boolean DEFAULT false NOT NULL,
	"require_lowercase_characters" boolean DEFAULT false NOT NULL,
	"allow_users_to_change_password" boolean DEFAULT false NOT NULL,
	"max_password_age" integer,
	"password_reuse_prevention" integer,
	"hard_expiry" boolean DEFAULT false NOT NULL,
	CONSTRAINT "password_policies_minimum_length" CHECK ("minimum_password_length" between 6 and 128),
	CONSTRAINT "password_policies_max_age" CHECK ("max_password_age" between 1 and 1095),
	CONSTRAINT "password_policies_reuse_prevention" CHECK ("password_reuse_prevention" between 1 and 24)
);
--> statement-breakpoint
CREATE TABLE "group_memberships" (
	"group_id" text,
	"user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_memberships_pkey" PRIMARY KEY("group_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"id" text PRIMARY KEY,
	"account_id" text NOT NULL,
	"path" text DEFAULT '/' NOT NULL,
	"name" text NOT NULL,
	"arn" text GENERATED ALWAYS AS ('arn:aws:iam::' || "groups"."account_id" || ':group' || "groups"."path" || "groups"."name") STORED NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "groups_id_format" CHECK ("id" ~ '^AGPA[A-Z2-7]{16,17}$'),
	CONSTRAINT "groups_name_format" CHECK (char_length("name") between 1 and 128 and "name" ~ '^[A-Za-z0-9_+=,.@-]+$'),
	CONSTRAINT "groups_path_format" CHECK (char_length("path") between 1 and 512 and "path" ~ '^(/|/[!-~]+/)$')
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"id" text PRIMARY KEY,
	"account_id" text NOT NULL,
	"path" text DEFAULT '/' NOT NULL,
	"name" text NOT NULL,
	"arn" text GENERATED ALWAYS AS ('arn:aws:iam::' || "roles"."account_id" || ':role' || "roles"."path" || "roles"."name") STORED NOT NULL,
	"trust_policy" text NOT NULL,
	"description" text,
	"max_session_duration" integer DEFAULT 3600 NOT NULL,
	"permissions_boundary_arn" text,
	"tags" jsonb DEFAULT '[]' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"last_used_region" text,
	CONSTRAINT "roles_id_format" CHECK ("id" ~ '^AROA[A-Z2-7]{16,17}$'),
	CONSTRAINT "roles_name_format" CHECK (char_length("name") between 1 and 64 and "name" ~ '^[A-Za-z0-9_+=,.@-]+$'),
	CONSTRAINT "roles_path_format" CHECK (char_length("path") between 1 and 512 and "path" ~ '^(/|/[!-~]+/)$'),
	CONSTRAINT "roles_tags_is_array" CHECK (jsonb_typeof("tags") = 'array'),
	CONSTRAINT "roles_description_length" CHECK (char_length("description") <= 1000),
	CONSTRAINT "roles_trust_policy_length" CHECK (char_length("trust_policy") between 1 and 131072),
	CONSTRAINT "roles_max_session_duration_range" CHECK ("max_session_duration" between 3600 and 43200)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY,
	"account_id" text NOT NULL,
	"path" text DEFAULT '/' NOT NULL,
	"name" text NOT NULL,
	"arn" text GENERATED ALWAYS AS (case when "users"."is_root" then 'arn:aws:iam::' || "users"."account_id" || ':root' else 'arn:aws:iam::' || "users"."account_id" || ':user' || "users"."path" || "users"."name" end) STORED NOT NULL,
	"is_root" boolean DEFAULT false NOT NULL,
	"tags" jsonb DEFAULT '[]' NOT NULL,
	"permissions_boundary_arn" text,
	"password_hash" text,
	"password_changed_at" timestamp with time zone,
	"password_last_used_at" timestamp with time zone,
	"password_reset_required" boolean DEFAULT false NOT NULL,
	"password_history" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_id_format" CHECK ("id" ~ '^AIDA[A-Z2-7]{16,17}$'),
	CONSTRAINT "users_name_format" CHECK (char_length("name") between 1 and 64 and "name" ~ '^[A-Za-z0-9_+=,.@-]+$'),
	CONSTRAINT "users_path_format" CHECK (char_length("path") between 1 and 512 and "path" ~ '^(/|/[!-~]+/)$'),
	CONSTRAINT "users_tags_is_array" CHECK (jsonb_typeof("tags") = 'array'),
	CONSTRAINT "users_root_is_reserved" CHECK ("is_root" = (lower("name") = 'root'))
);
--> statement-breakpoint
CREATE TABLE "managed_policies" (
	"id" text PRIMARY KEY,
	"account_id" text,
	"path" text DEFAULT '/' NOT NULL,
	"name" text NOT NULL,
	"arn" text GENERATED ALWAYS AS ('arn:aws:iam::' || coalesce("managed_policies"."account_id", 'aws') || ':policy' || "managed_policies"."path" || "managed_policies"."name") STORED NOT NULL,
	"description" text,
	"is_attachable" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "managed_policies_id_format" CHECK ("id" ~ '^ANPA[A-Z2-7]{16,17}$'),
	CONSTRAINT "managed_policies_name_format" CHECK (char_length("name") between 1 and 128 and "name" ~ '^[A-Za-z0-9_+=,.@-]+$'),
	CONSTRAINT "managed_policies_path_format" CHECK (char_length("path") between 1 and 512 and "path" ~ '^(/|/[!-~]+/)$'),
	CONSTRAINT "managed_policies_description_length" CHECK (char_length("description") <= 1000)
);
--> statement-breakpoint
CREATE TABLE "policy_versions" (
	"policy_id" text,
	"version_number" integer,
	"version_id" text GENERATED ALWAYS AS ('v' || "policy_versions"."version_number") STORED NOT NULL,
	"document" text NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policy_versions_pkey" PRIMARY KEY("policy_id","version_number"),
	CONSTRAINT "policy_versions_number_positive" CHECK ("version_number" >= 1),
	CONSTRAINT "policy_versions_document_length" CHECK (char_length("document") between 1 and 131072)
);
--> statement-breakpoint
CREATE TABLE "inline_policies" (
	"principal_kind" "principal_kind" NOT NULL,
	"user_id" text,
	"group_id" text,
	"role_id" text,
	"principal_id" text GENERATED ALWAYS AS (coalesce("inline_policies"."user_id", "inline_policies"."group_id", "inline_policies"."role_id")) STORED,
	"name" text,
	"document" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inline_policies_pkey" PRIMARY KEY("principal_id","name"),
	CONSTRAINT "inline_policies_one_principal" CHECK (case "principal_kind"
    when 'user' then "user_id" is not null and "group_id" is null and "role_id" is null
    when 'group' then "group_id" is not null and "user_id" is null and "role_id" is null
    when 'role' then "role_id" is not null and "user_id" is null and "group_id" is null
  end),
	CONSTRAINT "inline_policies_name_format" CHECK (char_length("name") between 1 and 128 and "name" ~ '^[A-Za-z0-9_+=,.@-]+$'),
	CONSTRAINT "inline_policies_document_length" CHECK (char_length("document") between 1 and 131072)
);
--> statement-breakpoint
CREATE TABLE "policy_attachments" (
	"policy_id" text,
	"principal_kind" "principal_kind" NOT NULL,
	"user_id" text,
	"group_id" text,
	"role_id" text,
	"principal_id" text GENERATED ALWAYS AS (coalesce("policy_attachments"."user_id", "policy_attachments"."group_id", "policy_attachments"."role_id")) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policy_attachments_pkey" PRIMARY KEY("principal_id","policy_id"),
	CONSTRAINT "policy_attachments_one_principal" CHECK (case "principal_kind"
    when 'user' then "user_id" is not null and "group_id" is null and "role_id" is null
    when 'group' then "group_id" is not null and "user_id" is null and "role_id" is null
    when 'role' then "role_id" is not null and "user_id" is null and "group_id" is null
  end)
);
--> statement-breakpoint
CREATE TABLE "access_keys" (
	"id" text PRIMARY KEY,
	"user_id" text NOT NULL,
	"secret_hash" text NOT NULL,
	"status" "access_key_status" DEFAULT 'Active'::"access_key_status" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"last_used_service" text,
	"last_used_action" text,
	CONSTRAINT "access_keys_id_format" CHECK ("id" ~ '^AKIA[A-Z2-7]{16}$')
);
--> statement-breakpoint
CREATE TABLE "mfa_devices" (
	"serial_number" text PRIMARY KEY,
	"account_id" text NOT NULL,
	"path" text DEFAULT '/' NOT NULL,
	"name" text NOT NULL,
	"user_id" text,
	"encrypted_seed" text NOT NULL,
	"enabled_at" timestamp with time zone,
	"last_used_counter" bigint,
	"tags" jsonb DEFAULT '[]' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mfa_devices_name_format" CHECK (char_length("name") between 1 and 226 and "name" ~ '^[A-Za-z0-9_+=,.@-]+$'),
	CONSTRAINT "mfa_devices_path_format" CHECK (char_length("path") between 1 and 512 and "path" ~ '^(/|/[!-~]+/)$'),
	CONSTRAINT "mfa_devices_enabled_has_user" CHECK ("enabled_at" is null or "user_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "sts_sessions" (
	"access_key_id" text PRIMARY KEY,
	"account_id" text NOT NULL,
	"kind" "session_kind" NOT NULL,
	"session_token_hash" text NOT NULL,
	"secret_hash" text NOT NULL,
	"role_id" text,
	"user_id" text,
	"arn" text NOT NULL,
	"session_name" text,
	"session_policy" text,
	"session_policy_arns" text[] DEFAULT '{}'::text[] NOT NULL,
	"session_tags" jsonb DEFAULT '[]' NOT NULL,
	"transitive_tag_keys" text[] DEFAULT '{}'::text[] NOT NULL,
	"source_identity" text,
	"source_arn" text,
	"mfa_authenticated" boolean DEFAULT false NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "sts_sessions_access_key_format" CHECK ("access_key_id" ~ '^ASIA[A-Z2-7]{16}$'),
	CONSTRAINT "sts_sessions_one_principal" CHECK (("role_id" is null) <> ("user_id" is null)),
	CONSTRAINT "sts_sessions_role_kinds" CHECK (("role_id" is not null) = ("kind" in ('assume_role', 'web_identity'))),
	CONSTRAINT "sts_sessions_name_format" CHECK (char_length("session_name") between 2 and 64 and "session_name" ~ '^[A-Za-z0-9_+=,.@-]+$'),
	CONSTRAINT "sts_sessions_expiry_after_issue" CHECK ("expires_at" > "issued_at")
);
--> statement-breakpoint
CREATE TABLE "oidc_providers" (
	"arn" text PRIMARY KEY,
	"account_id" text NOT NULL,
	"url" text NOT NULL,
	"client_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"thumbprints" text[] DEFAULT '{}'::text[] NOT NULL,
	"jwks" jsonb,
	"jwks_fetched_at" timestamp with time zone,
	"tags" jsonb DEFAULT '[]' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "oidc_providers_url_https" CHECK ("url" ~ '^https://[^[:space:]]+$' and char_length("url") <= 255)
);
--> statement-breakpoint
CREATE TABLE "change_log" (
	"revision" bigserial PRIMARY KEY,
	"account_id" text,
	"actor_arn" text NOT NULL,
	"kind" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_arn" text NOT NULL,
	"affected_principal_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"payload" jsonb DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_alias_unique" ON "accounts" ("alias");--> statement-breakpoint
CREATE INDEX "group_memberships_user_idx" ON "group_memberships" ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "groups_arn_unique" ON "groups" ("arn");--> statement-breakpoint
CREATE UNIQUE INDEX "groups_account_name_unique" ON "groups" ("account_id",lower("name"));--> statement-breakpoint
CREATE INDEX "groups_account_path_idx" ON "groups" ("account_id","path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "roles_arn_unique" ON "roles" ("arn");--> statement-breakpoint
CREATE UNIQUE INDEX "roles_account_name_unique" ON "roles" ("account_id",lower("name"));--> statement-breakpoint
CREATE INDEX "roles_account_path_idx" ON "roles" ("account_id","path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "roles_boundary_idx" ON "roles" ("permissions_boundary_arn");--> statement-breakpoint
CREATE UNIQUE INDEX "users_arn_unique" ON "users" ("arn");--> statement-breakpoint
CREATE UNIQUE INDEX "users_account_name_unique" ON "users" ("account_id",lower("name"));--> statement-breakpoint
CREATE INDEX "users_account_path_idx" ON "users" ("account_id","path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "users_boundary_idx" ON "users" ("permissions_boundary_arn");--> statement-breakpoint
CREATE UNIQUE INDEX "managed_policies_arn_unique" ON "managed_policies" ("arn");--> statement-breakpoint
CREATE UNIQUE INDEX "managed_policies_account_name_unique" ON "managed_policies" (coalesce("account_id", 'aws'),lower("name"));--> statement-breakpoint
CREATE INDEX "managed_policies_account_path_idx" ON "managed_policies" ("account_id","path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "policy_versions_policy_version_id_unique" ON "policy_versions" ("policy_id","version_id");--> statement-breakpoint
CREATE UNIQUE INDEX "policy_versions_one_default" ON "policy_versions" ("policy_id") WHERE "is_default";--> statement-breakpoint
CREATE INDEX "inline_policies_user_idx" ON "inline_policies" ("user_id");--> statement-breakpoint
CREATE INDEX "inline_policies_group_idx" ON "inline_policies" ("group_id");--> statement-breakpoint
CREATE INDEX "inline_policies_role_idx" ON "inline_policies" ("role_id");--> statement-breakpoint
CREATE INDEX "policy_attachments_policy_idx" ON "policy_attachments" ("policy_id");--> statement-breakpoint
CREATE INDEX "policy_attachments_user_idx" ON "policy_attachments" ("user_id");--> statement-breakpoint
CREATE INDEX "policy_attachments_group_idx" ON "policy_attachments" ("group_id");--> statement-breakpoint
CREATE INDEX "policy_attachments_role_idx" ON "policy_attachments" ("role_id");--> statement-breakpoint
CREATE INDEX "access_keys_user_idx" ON "access_keys" ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mfa_devices_account_name_unique" ON "mfa_devices" ("account_id",lower("name"));--> statement-breakpoint
CREATE INDEX "mfa_devices_user_idx" ON "mfa_devices" ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sts_sessions_token_hash_unique" ON "sts_sessions" ("session_token_hash");--> statement-breakpoint
CREATE INDEX "sts_sessions_role_idx" ON "sts_sessions" ("role_id");--> statement-breakpoint
CREATE INDEX "sts_sessions_user_idx" ON "sts_sessions" ("user_id");--> statement-breakpoint
CREATE INDEX "sts_sessions_expires_idx" ON "sts_sessions" ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "oidc_providers_account_url_unique" ON "oidc_providers" ("account_id",lower("url"));--> statement-breakpoint
CREATE INDEX "change_log_account_revision_idx" ON "change_log" ("account_id","revision");--> statement-breakpoint
CREATE INDEX "change_log_entity_idx" ON "change_log" ("entity_arn","revision");--> statement-breakpoint
ALTER TABLE "login_throttles" ADD CONSTRAINT "login_throttles_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE "password_policies" ADD CONSTRAINT "password_policies_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE "group_memberships" ADD CONSTRAINT "group_memberships_group_id_groups_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE RESTRICT;--> statement-breakpoint
ALTER TABLE "group_memberships" ADD CONSTRAINT "group_memberships_user_id_users_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT;--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "roles" ADD CONSTRAINT "roles_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "roles" ADD CONSTRAINT "roles_permissions_boundary_arn_managed_policies_arn_fkey" FOREIGN KEY ("permissions_boundary_arn") REFERENCES "managed_policies"("arn") ON DELETE RESTRICT;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_permissions_boundary_arn_managed_policies_arn_fkey" FOREIGN KEY ("permissions_boundary_arn") REFERENCES "managed_policies"("arn") ON DELETE RESTRICT;--> statement-breakpoint
ALTER TABLE "managed_policies" ADD CONSTRAINT "managed_policies_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_policy_id_managed_policies_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "managed_policies"("id") ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE "inline_policies" ADD CONSTRAINT "inline_policies_user_id_users_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT;--> statement-breakpoint
ALTER TABLE "inline_policies" ADD CONSTRAINT "inline_policies_group_id_groups_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE RESTRICT;--> statement-breakpoint
ALTER TABLE "inline_policies" ADD CONSTRAINT "inline_policies_role_id_roles_id_fkey" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE RESTRICT;--> statement-breakpoint
ALTER TABLE "policy_attachments" ADD CONSTRAINT "policy_attachments_policy_id_managed_policies_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "managed_policies"("id") ON DELETE RESTRICT;--> statement-breakpoint
ALTER TABLE "policy_attachments" ADD CONSTRAINT "policy_attachments_user_id_users_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT;--> statement-breakpoint
ALTER TABLE "policy_attachments" ADD CONSTRAINT "policy_attachments_group_id_groups_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE RESTRICT;--> statement-breakpoint
ALTER TABLE "policy_attachments" ADD CONSTRAINT "policy_attachments_role_id_roles_id_fkey" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE RESTRICT;--> statement-breakpoint
ALTER TABLE "access_keys" ADD CONSTRAINT "access_keys_user_id_users_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT;--> statement-breakpoint
ALTER TABLE "mfa_devices" ADD CONSTRAINT "mfa_devices_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "mfa_devices" ADD CONSTRAINT "mfa_devices_user_id_users_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT;--> statement-breakpoint
ALTER TABLE "sts_sessions" ADD CONSTRAINT "sts_sessions_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "sts_sessions" ADD CONSTRAINT "sts_sessions_role_id_roles_id_fkey" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE "sts_sessions" ADD CONSTRAINT "sts_sessions_user_id_users_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE "oidc_providers" ADD CONSTRAINT "oidc_providers_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");