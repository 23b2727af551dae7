CREATE TABLE "service_last_accessed" (
	"principal_id" text,
	"account_id" text NOT NULL,
	"service_namespace" text,
	"last_action" text NOT NULL,
	"last_accessed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "service_last_accessed_pkey" PRIMARY KEY("principal_id","service_namespace")
);
--> statement-breakpoint
CREATE INDEX "service_last_accessed_account_idx" ON "service_last_accessed" ("account_id");