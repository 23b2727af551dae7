ALTER TYPE "session_kind" ADD VALUE 'federation_token';--> statement-breakpoint
ALTER TABLE "oidc_providers" ADD COLUMN "jwks_uri" text;