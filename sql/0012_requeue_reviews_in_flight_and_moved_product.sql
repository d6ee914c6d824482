-- Two ways a review could stay quarantined for good although its customer or product exists:
--
-- 1. The customer (or product) arrives while the review is in flight. A worker read the review, found no
--    customer, and on the review's last waiting attempt writes it quarantined as unknown_customer and
--    completed. crm.requeue_reviews_waiting_for, run by the customer's insert, looked only at completed
--    (quarantined) and backing-off rows, so if it ran between the worker's read and its commit it passed the
--    review over, and nothing re-queued it later. It now re-queues the arriving customer's (or product's)
--    in-flight reviews first (see the function's comments), then the quarantined ones.
-- 2. The shop corrects a review's product_id rather than inserting the missing product: the review was not
--    re-queued (only body, rating and customer were looked at), so an unknown_product quarantine stayed. A
--    changed product now re-queues the review like any other change (it is scored again; its score row's
--    copy of product_id follows).
--
-- Otherwise as in 0009 and 0010 (forward-only migrations redefine functions whole).

SET LOCAL ROLE ondo_owner;

COMMENT ON COLUMN crm.review_work.revision IS 'Bumped whenever the review''s body, rating, customer or product changes.';

CREATE OR REPLACE FUNCTION crm.requeue_reviews_waiting_for(reason text, ids bigint[]) RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    -- In flight first: rows a worker has claimed and may have read with the customer or product missing. Their
    -- leases are cleared, so the worker's write is fenced off and they are claimed again. If the worker holds a
    -- row locked (it is writing its batch), this waits for its commit, after which the row is completed, and the
    -- next statement, with a snapshot taken after the wait, re-queues it if it was quarantined. The processing
    -- rows are few (at most the workers' batches).
    IF reason = 'unknown_customer' THEN
        UPDATE crm.review_work AS work SET
            status = 'pending', attempts = 0, available_at = now(), lease_token = NULL, lease_expires_at = NULL,
            last_error = NULL, enqueued_at = clock_timestamp(), completed_at = NULL, updated_at = now()
        WHERE work.status = 'processing' AND work.customer_id = ANY (ids);
    ELSE
        UPDATE crm.review_work AS work SET
            status = 'pending', attempts = 0, available_at = now(), lease_token = NULL, lease_expires_at = NULL,
            last_error = NULL, enqueued_at = clock_timestamp(), completed_at = NULL, updated_at = now()
        FROM shop.reviews AS r
        WHERE r.product_id = ANY (ids) AND work.review_id = r.id AND work.status = 'processing';
    END IF;

    UPDATE crm.review_work AS work SET
        status = 'pending', attempts = 0, available_at = now(), lease_token = NULL, lease_expires_at = NULL,
        last_error = NULL, enqueued_at = clock_timestamp(), completed_at = NULL, updated_at = now()
    FROM crm.review_quarantine AS q
    WHERE q.review_id = work.review_id
      AND q.reason = requeue_reviews_waiting_for.reason
      AND work.status = 'completed'
      AND (CASE WHEN requeue_reviews_waiting_for.reason = 'unknown_customer' THEN q.customer_id ELSE q.product_id END)
          = ANY (ids);

    IF reason = 'unknown_customer' THEN
        UPDATE crm.review_work AS work SET available_at = now()
        WHERE work.customer_id = ANY (ids) AND work.status = 'pending' AND work.attempts > 0
          AND work.available_at > now();
    END IF;
    PERFORM crm.wake_workers('ondo_review_work');
END
$function$;

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
       OR o.customer_id IS DISTINCT FROM n.customer_id OR o.product_id IS DISTINCT FROM n.product_id;
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
