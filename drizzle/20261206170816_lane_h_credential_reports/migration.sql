CREATE TABLE "credential_reports" (
	"account_id" text PRIMARY KEY,
	"content" text NOT NULL,
	"generated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "credential_reports" ADD CONSTRAINT "credential_reports_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");