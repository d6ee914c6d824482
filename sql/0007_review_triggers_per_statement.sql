-- The review triggers of 0003/0004 ran once per row, and each row's crm.wake_workers looked for claimable
-- work queued before its statement: in a multi-row INSERT or COPY into an empty queue that look passed over
-- every row the statement had queued so far, for every row — quadratic in the statement's size (a single
-- INSERT of 100,000 reviews was still running after 9 minutes). Like the order and customer triggers, the
-- review triggers now run once per statement, with transition tables: one INSERT … SELECT into the queue and
-- one wake-up check per statement, whatever its size. Same rules as before: owner rights, a pinned search_path
-- with pg_catalog first, schema-qualified names.

SET LOCAL ROLE ondo_owner;

-- Queues (or re-queues with the next revision) the given reviews, then wakes idle workers.
CREATE FUNCTION crm.enqueue_reviews(review_ids bigint[], customer_ids bigint[]) RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    INSERT INTO crm.review_work AS work (review_id, customer_id)
    SELECT change.review_id, change.customer_id
    FROM unnest(review_ids, customer_ids) AS change (review_id, customer_id)
    ON CONFLICT (review_id) DO UPDATE SET
        customer_id      = EXCLUDED.customer_id,
        revision         = work.revision OPERATOR(pg_catalog.+) 1,
        status           = 'pending',
        attempts         = 0,
        available_at     = pg_catalog.now(),
        lease_token      = NULL,
        lease_expires_at = NULL,
        last_error       = NULL,
        enqueued_at      = pg_catalog.clock_timestamp(),
        completed_at     = NULL,
        updated_at       = pg_catalog.now();
    PERFORM crm.wake_workers('ondo_review_work');
END
$function$;

CREATE FUNCTION crm.on_reviews_inserted() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    PERFORM crm.enqueue_reviews(ARRAY(SELECT id FROM new_rows ORDER BY id),
                                ARRAY(SELECT customer_id FROM new_rows ORDER BY id));
    RETURN NULL;
END
$function$;

-- Only reviews whose body or rating changed are re-queued (a review whose id changed counts as new).
CREATE FUNCTION crm.on_reviews_updated() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    review_ids bigint[];
    customer_ids bigint[];
BEGIN
    SELECT array_agg(n.id ORDER BY n.id), array_agg(n.customer_id ORDER BY n.id)
    INTO review_ids, customer_ids
    FROM new_rows AS n LEFT JOIN old_rows AS o ON o.id = n.id
    WHERE o.id IS NULL OR o.body IS DISTINCT FROM n.body OR o.rating IS DISTINCT FROM n.rating;
    IF review_ids IS NOT NULL THEN
        PERFORM crm.enqueue_reviews(review_ids, customer_ids);
    END IF;
    RETURN NULL;
END
$function$;

DROP TRIGGER reviews_enqueue_work_on_insert ON shop.reviews;
DROP TRIGGER reviews_enqueue_work_on_update ON shop.reviews;
DROP FUNCTION crm.enqueue_review_work();

-- Same names as before, so scripts that disable and enable them keep working.
CREATE TRIGGER reviews_enqueue_work_on_insert
    AFTER INSERT ON shop.reviews REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm.on_reviews_inserted();
CREATE TRIGGER reviews_enqueue_work_on_update
    AFTER UPDATE ON shop.reviews REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm.on_reviews_updated();

REVOKE ALL ON FUNCTION crm.enqueue_reviews(bigint[], bigint[]) FROM PUBLIC, ondo_app;
REVOKE ALL ON FUNCTION crm.on_reviews_inserted() FROM PUBLIC, ondo_app;
REVOKE ALL ON FUNCTION crm.on_reviews_updated() FROM PUBLIC, ondo_app;
