CREATE TABLE "volume_buckets" (
	"key" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "volume_buckets_key_bucket_pk" PRIMARY KEY("key","bucket")
);
--> statement-breakpoint
DROP INDEX "alert_deliveries_uq";--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "metrics_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD COLUMN "round" text DEFAULT 'initial' NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "severity" text DEFAULT 'normal' NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "escalated_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "volume_buckets_bucket_idx" ON "volume_buckets" USING btree ("bucket");--> statement-breakpoint
CREATE INDEX "posts_posted_at_idx" ON "posts" USING btree ("posted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "alert_deliveries_round_uq" ON "alert_deliveries" USING btree ("alert_id","channel","round");