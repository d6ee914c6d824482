-- A review the shop moves to another customer (an account merge, a fixed import) now changes both customers'
-- states, as a moved order does (0004's crm.on_orders_updated): the review is re-queued like an edited one, so
-- that it is scored again under its new customer (the score row's copy of customer_id follows it) and the
-- new customer is recomputed with it; and the old customer is queued for a
-- recompute without it, with the review as the cause. Before, only a new body or rating re-queued a review,
-- and neither customer's state changed until the scheduler's next look. Otherwise as in 0007. report.review_scores
-- now shows the review's own customer and product rather than the score row's copies.

SET LOCAL ROLE ondo_owner;

ALTER TABLE crm.customer_work DROP CONSTRAINT customer_work_cause_known;
ALTER TABLE crm.customer_work ADD CONSTRAINT customer_work_cause_known CHECK (cause IN ('order', 'signup', 'review'));

COMMENT ON COLUMN crm.review_work.revision IS 'Bumped whenever the review''s body, rating or customer changes.';

CREATE OR REPLACE FUNCTION crm.on_reviews_updated() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    review_ids bigint[];
    customer_ids bigint[];
    moved_review_ids bigint[];
    previous_customer_ids bigint[];
BEGIN
    SELECT array_agg(n.id ORDER BY n.id), array_agg(n.customer_id ORDER BY n.id)
    INTO review_ids, customer_ids
    FROM new_rows AS n LEFT JOIN old_rows AS o ON o.id = n.id
    WHERE o.id IS NULL OR o.body IS DISTINCT FROM n.body OR o.rating IS DISTINCT FROM n.rating
       OR o.customer_id IS DISTINCT FROM n.customer_id;
    IF review_ids IS NOT NULL THEN
        PERFORM crm.enqueue_reviews(review_ids, customer_ids);
    END IF;

    SELECT array_agg(n.id ORDER BY n.id), array_agg(o.customer_id ORDER BY n.id)
    INTO moved_review_ids, previous_customer_ids
    FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
    WHERE o.customer_id IS DISTINCT FROM n.customer_id;
    IF moved_review_ids IS NOT NULL THEN
        PERFORM crm.enqueue_customer_work(previous_customer_ids, 'review', moved_review_ids);
    END IF;
    RETURN NULL;
END
$function$;

-- As in 0005, with the review's own customer and product: the score row's copies of them are only as fresh
-- as the score, and a review moved before this migration was never scored again.
CREATE OR REPLACE VIEW report.review_scores AS
SELECT DISTINCT ON (s.review_id)
       s.review_id, r.customer_id, r.product_id, p.category, r.rating, r.created_at AS written_at,
       s.probability, s.label, s.aspects, s.model_version, s.scored_at
FROM crm.review_sentiment AS s
JOIN shop.reviews AS r ON r.id = s.review_id
LEFT JOIN shop.products AS p ON p.id = r.product_id
ORDER BY s.review_id, s.scored_at DESC;
