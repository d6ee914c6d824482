-- The history named a review that no longer exists as the cause of its customer's recompute (review follow-up H2.3).
-- When a review leaves its id (the shop gives it another id, or an operator deletes it), migration 0022 recomputes
-- the customer it counted for with cause 'review' and the old id, so crm.customer_state_history read as if review
-- 5 had been scored or edited, and looking review 5 up found nothing (or, once the shop reused the id, another
-- review). The cause is now 'review_removed' with the old id: the id says which review went, the kind says it is
-- gone (a renumbered review is scored anew under its new id, with cause 'review' for its customer).
--
-- crm.forget_reviews is as in 0022 but for the cause; the two checks on the cause allow the new kind (widening a
-- check reads crm.customer_state once, under the migration's lock).

SET LOCAL ROLE ondo_owner;

ALTER TABLE crm.customer_work DROP CONSTRAINT customer_work_cause_known;
ALTER TABLE crm.customer_work ADD CONSTRAINT customer_work_cause_known
    CHECK (cause IN ('order', 'signup', 'review', 'review_removed'));

ALTER TABLE crm.customer_state DROP CONSTRAINT customer_state_cause_known;
ALTER TABLE crm.customer_state ADD CONSTRAINT customer_state_cause_known
    CHECK (cause IN ('review', 'review_removed', 'order', 'signup', 'scheduler', 'recompute'));

COMMENT ON VIEW report.state_transitions IS
    'Every state change with its cause (review, review_removed, order, signup, scheduler, recompute).';

-- The customers the given reviews counted for are recomputed without them, and the reviews are re-queued so that
-- the worker, finding them gone, forgets their score and quarantine rows.
CREATE OR REPLACE FUNCTION crm.forget_reviews(review_ids bigint[], customer_ids bigint[]) RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    PERFORM crm.enqueue_customer_work(customer_ids, 'review_removed', review_ids);
    PERFORM crm.enqueue_reviews(review_ids, customer_ids);
END
$function$;

-- CREATE OR REPLACE keeps the function's privileges; restated so that this file alone shows who may call it.
REVOKE ALL ON FUNCTION crm.forget_reviews(bigint[], bigint[]) FROM PUBLIC, ondo_app;
