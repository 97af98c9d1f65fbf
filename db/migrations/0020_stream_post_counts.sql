ALTER TABLE "streams" ADD COLUMN "posts_stored" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- One pass over the posts for every stream; ingest keeps the count from here on.
UPDATE "streams" s SET "posts_stored" = c.n FROM (SELECT "stream_id", count(*) AS n FROM "posts" WHERE "stream_id" IS NOT NULL GROUP BY "stream_id") c WHERE c."stream_id" = s."id";
