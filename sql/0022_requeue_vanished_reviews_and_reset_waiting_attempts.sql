-- Two queue defects in the review triggers (follow-ups to 0010 and 0009):
--
-- 1. A review that leaves its id (`UPDATE shop.reviews SET id = 900, customer_id = 2 WHERE id = 5`, or an
--    operator's DELETE) was never looked at again under that id. crm.on_reviews_updated joins old and new rows by
--    id, so the new id was queued as a new review, but nothing queued the customer the review had counted for:
--    that customer's state kept counting it (at_risk for a negative review that had moved away) until the
--    scheduler's next look, up to maximumRecheckHours later. And the old id's work row stayed completed, so its
--    score and quarantine rows stayed for good (report.quarantined_reviews listed it). Now every review id that
--    leaves shop.reviews, by UPDATE or DELETE, queues its customer for a recompute (cause 'review', the old id),
--    as a review moved to another customer does, and is re-queued itself: the worker finds it vanished and deletes
--    its score and quarantine rows (ReviewResultStore.forgetVanished). A worker holding it loses its lease, so
--    it cannot write a score for the vanished id either.
-- 2. A review backing off while its customer was unknown kept the attempts it had spent waiting when the customer
--    arrived: the customer's trigger only made it claimable, so a genuine failure afterwards was discarded after
--    fewer than retry.maximumAttempts attempts (with maximumAttempts 2 and one attempt spent waiting, after the
--    first). Reviews quarantined for that reason were already re-queued with attempts = 0; reviews still
--    backing off now are too. Reviews backing off for a missing product, which the product's trigger did not
--    touch at all, are now made claimable at once with their attempts reset as well.
--
-- The shop's statements stay set-based: one more join of the transition tables per UPDATE (an anti-join of
-- 100,000 old and new rows took 80 to 150 ms on a busy test machine, the existing join for moved reviews 290 to
-- 360 ms), and one statement per DELETE. Otherwise the functions are as in 0012 and 0018 (forward-only
-- migrations redefine them whole).

SET LOCAL ROLE ondo_owner;

-- The customers the given reviews counted for are recomputed without them, and the reviews are re-queued so that
-- the worker, finding them gone, forgets their score and quarantine rows.
CREATE FUNCTION crm.forget_reviews(review_ids bigint[], customer_ids bigint[]) RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    PERFORM crm.enqueue_customer_work(customer_ids, 'review', review_ids);
    PERFORM crm.enqueue_reviews(review_ids, customer_ids);
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
    vanished_review_ids bigint[];
    vanished_customer_ids bigint[];
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

    -- Ids no row has any more: the review was given another id (queued above under it).
    SELECT array_agg(o.id ORDER BY o.id), array_agg(o.customer_id ORDER BY o.id)
    INTO vanished_review_ids, vanished_customer_ids
    FROM old_rows AS o LEFT JOIN new_rows AS n ON n.id = o.id
    WHERE n.id IS NULL;
    IF vanished_review_ids IS NOT NULL THEN
        PERFORM crm.forget_reviews(vanished_review_ids, vanished_customer_ids);
    END IF;
    RETURN NULL;
END
$function$;

-- The shop role cannot DELETE; an operator (or a script) that does gets the same treatment as a changed id.
CREATE FUNCTION crm.on_reviews_deleted() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    PERFORM crm.forget_reviews(ARRAY(SELECT id FROM old_rows ORDER BY id),
                               ARRAY(SELECT customer_id FROM old_rows ORDER BY id));
    RETURN NULL;
END
$function$;

CREATE TRIGGER reviews_forget_work_on_delete
    AFTER DELETE ON shop.reviews REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm.on_reviews_deleted();

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

REVOKE ALL ON FUNCTION crm.forget_reviews(bigint[], bigint[]) FROM PUBLIC, ondo_app;
REVOKE ALL ON FUNCTION crm.on_reviews_deleted() FROM PUBLIC, ondo_app;
