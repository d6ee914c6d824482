-- Takes back the first part of 0012. Re-queueing a customer's (or product's) in-flight reviews from the shop's
-- customer and product triggers made the shop's insert wait for a worker writing that customer's batch, could
-- make it fail with a serialization error in a REPEATABLE READ or SERIALIZABLE shop transaction (the rows it
-- updated are the ones workers update all the time), scanned every in-flight row on each signup, and still did
-- not close the race it was written for: a review still backing off, claimed and read before the shop's insert
-- committed, was quarantined after the trigger had run. The lease sweeper now re-queues, on every sweep, the
-- reviews quarantined as unknown_customer or unknown_product whose customer or product exists
-- (QuarantineCatchUp in CRMStore), which closes every such window within a sweep interval;
-- the trigger keeps re-queueing at once what it can see. The function is as in 0009 again.

SET LOCAL ROLE ondo_owner;

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
