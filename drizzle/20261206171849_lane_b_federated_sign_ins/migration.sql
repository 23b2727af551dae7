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
CREATE INDEX "federated_sign_ins_expires_idx" ON "federated_sign_ins" ("expires_at");--> statement-breakpoint
ALTER TABLE "federated_sign_ins" ADD CONSTRAINT "federated_sign_ins_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE;