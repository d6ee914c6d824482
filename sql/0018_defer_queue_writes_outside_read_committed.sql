-- A shop transaction at REPEATABLE READ or SERIALIZABLE failed because of Ondo (review finding): the shop's
-- triggers upsert and update queue rows that Ondo's workers update all the time (a customer's work row, a
-- review's work row, a quarantined review's work row), and at those isolation levels updating a row that
-- another transaction changed after the snapshot was taken fails with SQLSTATE 40001 ("could not serialize
-- access due to concurrent update"). An order for a customer whose recompute finished a moment earlier was
-- enough.
--
-- Outside READ COMMITTED the three queue functions the triggers call now only append their arguments to
-- crm.deferred_work, a table nobody updates, so the shop's statement cannot conflict. Ondo's lease sweeper
-- applies those calls, in order, in its own READ COMMITTED transactions (crm.apply_deferred_work), on every
-- sweep: such changes reach the queue within a sweep interval. At READ COMMITTED (PostgreSQL's default) nothing
-- changes. Otherwise the functions are as in 0004, 0007 and 0015 (forward-only migrations redefine them whole).

SET LOCAL ROLE ondo_owner;

CREATE TABLE crm.deferred_work (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call         text NOT NULL,
    ids          bigint[] NOT NULL,
    other_ids    bigint[],
    label        text,
    requested_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT deferred_work_call_known
        CHECK (call IN ('enqueue_reviews', 'enqueue_customer_work', 'requeue_reviews_waiting_for'))
);
COMMENT ON TABLE crm.deferred_work IS
    'Queue calls made by shop transactions outside READ COMMITTED, applied by crm.apply_deferred_work.';

CREATE OR REPLACE FUNCTION crm.enqueue_customer_work(customer_ids bigint[], cause text, cause_ids bigint[]) RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
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
    IF reason = 'unknown_customer' THEN
        UPDATE crm.review_work AS work SET available_at = now()
        WHERE work.customer_id = ANY (ids) AND work.status = 'pending' AND work.attempts > 0
          AND work.available_at > now();
    END IF;
    PERFORM crm.wake_workers('ondo_review_work');
END
$function$;

-- Applies up to max_calls deferred calls, oldest first, and returns how many. Calls another process is
-- applying right now are skipped; a call that fails is kept, with a warning, and the others go on. Must run at READ COMMITTED, or each call would be deferred again.
CREATE FUNCTION crm.apply_deferred_work(max_calls integer) RETURNS integer
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    request crm.deferred_work;
    applied integer := 0;
BEGIN
    IF pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'crm.apply_deferred_work must run at READ COMMITTED, not %',
            current_setting('transaction_isolation')
            USING ERRCODE = '25001';
    END IF;
    FOR request IN
        SELECT * FROM crm.deferred_work ORDER BY id LIMIT max_calls FOR UPDATE SKIP LOCKED
    LOOP
        -- Each call in a subtransaction: one that fails stays for the next sweep and holds up no other.
        BEGIN
            CASE request.call
                WHEN 'enqueue_reviews' THEN
                    PERFORM crm.enqueue_reviews(request.ids, request.other_ids);
                WHEN 'enqueue_customer_work' THEN
                    PERFORM crm.enqueue_customer_work(request.ids, request.label, request.other_ids);
                WHEN 'requeue_reviews_waiting_for' THEN
                    PERFORM crm.requeue_reviews_waiting_for(request.label, request.ids);
            END CASE;
            DELETE FROM crm.deferred_work WHERE id = request.id;
            applied := applied OPERATOR(pg_catalog.+) 1;
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'deferred queue call % (%) failed, kept for the next sweep: %',
                request.id, request.call, SQLERRM;
        END;
    END LOOP;
    RETURN applied;
END
$function$;

-- The shop's triggers insert through the SECURITY DEFINER functions above; no role needs the table itself
-- beyond the owner, and only Ondo's server applies the calls.
REVOKE ALL ON TABLE crm.deferred_work FROM ondo_app, ondo_report, ondo_shop;
GRANT SELECT ON TABLE crm.deferred_work TO ondo_app;
REVOKE ALL ON FUNCTION crm.apply_deferred_work(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crm.apply_deferred_work(integer) TO ondo_app;
