-- The queue's search (cases.search_text) folds text as src/queue/search.ts does (a test keeps the two alike): trigrams of
-- the folded words serve "racun" finding "РАЧУН". pg_trgm is a trusted extension (PostgreSQL 13+), so
-- a database owner may create it; PGlite loads it in db/client.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE OR REPLACE FUNCTION odziv_fold(s text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(translate(replace(replace(replace(replace(replace(replace(s, 'Љ', 'lj'), 'љ', 'lj'), 'Њ', 'nj'), 'њ', 'nj'), 'Џ', 'dz'), 'џ', 'dz'), 'ČĆŽŠĐčćžšđАБВГДЂЕЖЗИЈКЛМНОПРСТЋУФХЦЧШабвгдђежзијклмнопрстћуфхцчш', 'cczsdcczsdabvgddezzijklmnoprstcufhccsabvgddezzijklmnoprstcufhccs'))
$$;--> statement-breakpoint
CREATE TABLE "login_failures" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"last_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"job" text PRIMARY KEY NOT NULL,
	"last_run_at" timestamp with time zone,
	"state" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "cases_queue_idx";--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "search_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE cases c SET search_text = odziv_fold(p.text) || ' @' || lower(a.handle) FROM posts p JOIN authors a ON a.id = p.author_id WHERE p.id = c.post_id;--> statement-breakpoint
CREATE INDEX "posts_kept_idx" ON "posts" USING btree ("posted_at") WHERE text <> '' or raw <> '{}'::jsonb;--> statement-breakpoint
CREATE INDEX "cases_post_idx" ON "cases" USING btree ("post_id");--> statement-breakpoint
CREATE INDEX "cases_category_queue_idx" ON "cases" USING btree ("status","category",(-"priority"),"id");--> statement-breakpoint
CREATE INDEX "cases_rank_idx" ON "cases" USING btree ((-"priority"),"id");--> statement-breakpoint
CREATE INDEX "cases_next_idx" ON "cases" USING btree ((-"priority"),"due_at","id") WHERE status in ('open', 'escalated');--> statement-breakpoint
CREATE INDEX "cases_assignee_idx" ON "cases" USING btree ("assignee_id") WHERE assignee_id is not null;--> statement-breakpoint
CREATE INDEX "cases_created_idx" ON "cases" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "cases_unresolved_updated_idx" ON "cases" USING btree ("updated_at") WHERE status <> 'resolved';--> statement-breakpoint
CREATE INDEX "cases_resolve_due_idx" ON "cases" USING btree ("resolve_due_at") WHERE status <> 'resolved';--> statement-breakpoint
CREATE INDEX "cases_resolved_idx" ON "cases" USING btree ("resolved_at") WHERE status = 'resolved';--> statement-breakpoint
CREATE INDEX "cases_claimed_idx" ON "cases" USING btree ("updated_at") WHERE status = 'claimed';--> statement-breakpoint
CREATE INDEX "cases_search_idx" ON "cases" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "cases_snoozed_idx" ON "cases" USING btree ("snoozed_until") WHERE status = 'snoozed' and snoozed_until is not null;--> statement-breakpoint
CREATE INDEX "replies_target_idx" ON "replies" USING btree ("target_post_id") WHERE target_post_id is not null;--> statement-breakpoint
CREATE INDEX "alert_deliveries_sent_idx" ON "alert_deliveries" USING btree ("sent_at") WHERE round = 'initial' and status = 'sent';--> statement-breakpoint
CREATE INDEX "alerts_created_idx" ON "alerts" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "alerts_kind_updated_idx" ON "alerts" USING btree ("kind","updated_at");--> statement-breakpoint
CREATE INDEX "alerts_case_idx" ON "alerts" USING btree ("case_id") WHERE case_id is not null;--> statement-breakpoint
CREATE INDEX "metric_snapshots_at_idx" ON "metric_snapshots" USING btree ("at");--> statement-breakpoint
CREATE INDEX "cases_queue_idx" ON "cases" USING btree ("status",(-"priority"),"id");