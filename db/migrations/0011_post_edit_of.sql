ALTER TABLE "posts" ADD COLUMN "edit_of_post_id" bigint;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_edit_of_post_id_posts_id_fk" FOREIGN KEY ("edit_of_post_id") REFERENCES "public"."posts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "posts_edit_of_idx" ON "posts" USING btree ("edit_of_post_id") WHERE edit_of_post_id is not null;--> statement-breakpoint
-- Edits stored before this column: link them from the history X sent with them (raw.tweet of a v2 post).
UPDATE "posts" AS p SET "edit_of_post_id" = (
  SELECT min(o."id") FROM "posts" AS o
  WHERE o."platform" = p."platform" AND o."id" <> p."id"
    AND o."platform_post_id" IN (SELECT jsonb_array_elements_text(p."raw"->'tweet'->'edit_history_tweet_ids'))
)
WHERE jsonb_typeof(p."raw"->'tweet'->'edit_history_tweet_ids') = 'array' AND jsonb_array_length(p."raw"->'tweet'->'edit_history_tweet_ids') > 1;
