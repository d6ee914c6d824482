-- Migration 0008's review_work_pending_customer_idx (customer_id) WHERE status = 'pending' had the same
-- predicate as the claim index, so the planner could answer crm.wake_workers' probe for claimable rows
-- (status = 'pending' AND available_at <= now(), run on every shop insert) from it, and did: it then reads
-- pending rows in customer order and filters available_at in the table, which grows with every review backing
-- off. The requeue it was made for only looks for rows backing off, which have been attempted at least once
-- (a fresh, edited, re-scored or retried row is pending with attempts = 0 and available_at = now()), so the
-- index now holds only those: the probe cannot use it, and a new review no longer writes an entry into it.
--
-- Building it reads crm.review_work once while holding off every write to it (the shop's review inserts and
-- Ondo's claims and completions wait); on a copy of a 2-million-row queue the 0008 index took 0.19 s.

SET LOCAL ROLE ondo_owner;

CREATE INDEX review_work_retrying_customer_idx ON crm.review_work (customer_id)
    WHERE status = 'pending' AND attempts > 0;
DROP INDEX crm.review_work_pending_customer_idx;

-- As in 0004, with `attempts > 0` added so that the lookup by customer matches the new index's predicate.
CREATE OR REPLACE FUNCTION crm.requeue_reviews_waiting_for(reason text, ids bigint[]) RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
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
