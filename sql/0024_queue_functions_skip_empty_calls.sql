-- The shop's triggers are statement-level, so they fire for statements that change no row (an INSERT … SELECT that
-- selects nothing, an UPDATE whose WHERE matches nothing). Their queue calls then had nothing to queue, yet at READ
-- COMMITTED each ran an INSERT of nothing and a wake-up check, and outside READ COMMITTED (0018) each appended a
-- call of empty arrays to crm.deferred_work for the sweeper to apply: two empty INSERT … SELECT … WHERE false at
-- REPEATABLE READ, one into shop.reviews and one into shop.customers, added three rows (review finding).
--
-- The three queue functions the triggers call now return at once when given no id. Calls of empty arrays deferred
-- before this migration are applied by crm.apply_deferred_work as nothing and removed as before. Otherwise the
-- functions are as in 0018 (enqueue_customer_work, enqueue_reviews) and 0022 (requeue_reviews_waiting_for);
-- forward-only migrations redefine them whole.

SET LOCAL ROLE ondo_owner;

CREATE OR REPLACE FUNCTION crm.enqueue_customer_work(customer_ids bigint[], cause text, cause_ids bigint[]) RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    -- cardinality is NULL for a NULL array: nothing to queue either.
    IF coalesce(pg_catalog.cardinality(customer_ids), 0) = 0 THEN
        RETURN;
    END IF;
    IF pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
        INSERT INTO crm.deferred_work (call, ids, other_ids, label)
        VALUES ('enqueue_customer_work', customer_ids, cause_ids, cause);
        RETURN;
    END IF;
    INSERT INTO crm.customer_work AS work (customer_id, cause, cause_id)
    SELECT DISTINCT ON (change.customer_id) change.customer_id, enqueue_customer_work.cause, change.cause_id
    FROM unnest(customer_ids, cause_ids) AS change (customer_id, cause_id)
    ORDER BY change.customer_id, change.cause_id DESC NULLS LAST
    ON CONFLICT (customer_id) DO UPDATE SET
        cause            = EXCLUDED.cause,
        cause_id         = EXCLUDED.cause_id,
        status           = 'pending',
        attempts         = 0,
        available_at     = now(),
        lease_token      = NULL,
        lease_expires_at = NULL,
        last_error       = NULL,
        enqueued_at      = clock_timestamp(),
        completed_at     = NULL,
        updated_at       = now();
    PERFORM crm.wake_workers('ondo_customer_work');
END
$function$;

CREATE OR REPLACE FUNCTION crm.enqueue_reviews(review_ids bigint[], customer_ids bigint[]) RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    IF coalesce(pg_catalog.cardinality(review_ids), 0) = 0 THEN
        RETURN;
    END IF;
    IF pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
        INSERT INTO crm.deferred_work (call, ids, other_ids) VALUES ('enqueue_reviews', review_ids, customer_ids);
        RETURN;
    END IF;
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

CREATE OR REPLACE FUNCTION crm.requeue_reviews_waiting_for(reason text, ids bigint[]) RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    IF coalesce(pg_catalog.cardinality(ids), 0) = 0 THEN
        RETURN;
    END IF;
    IF pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
        INSERT INTO crm.deferred_work (call, ids, label) VALUES ('requeue_reviews_waiting_for', ids, reason);
        RETURN;
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
    -- Reviews backing off (pending, attempted before): each attempt so far found the customer or product missing
    -- (checked before anything else but reading the review can fail), so none counts against
    -- retry.maximumAttempts. Their enqueued_at stays: they have been waiting since the shop's insert.
    IF reason = 'unknown_customer' THEN
        UPDATE crm.review_work AS work SET available_at = now(), attempts = 0, last_error = NULL, updated_at = now()
        WHERE work.customer_id = ANY (ids) AND work.status = 'pending' AND work.attempts > 0
          AND work.available_at > now();
    ELSE
        -- The queue has no product column: the reviews of a product that did not exist are few.
        UPDATE crm.review_work AS work SET available_at = now(), attempts = 0, last_error = NULL, updated_at = now()
        FROM shop.reviews AS r
        WHERE r.product_id = ANY (ids) AND work.review_id = r.id AND work.status = 'pending'
          AND work.attempts > 0 AND work.available_at > now();
    END IF;
    PERFORM crm.wake_workers('ondo_review_work');
END
$function$;

-- CREATE OR REPLACE keeps each function's privileges; restated so that this file alone shows who may call them.
REVOKE ALL ON FUNCTION crm.enqueue_customer_work(bigint[], text, bigint[]) FROM PUBLIC, ondo_app;
REVOKE ALL ON FUNCTION crm.enqueue_reviews(bigint[], bigint[]) FROM PUBLIC, ondo_app;
REVOKE ALL ON FUNCTION crm.requeue_reviews_waiting_for(text, bigint[]) FROM PUBLIC, ondo_app;
