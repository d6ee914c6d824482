-- The review work queue and the trigger that fills it in the shop's own transaction.
--
-- One row per review: inserting a review creates it; changing a review's body or rating resets it to
-- pending with the next revision. pg_notify is only a wake-up (delivered at commit); the table is the truth.

SET LOCAL ROLE ondo_owner;

CREATE TABLE crm.review_work (
    review_id        bigint PRIMARY KEY,
    customer_id      bigint NOT NULL,
    revision         integer NOT NULL DEFAULT 1,
    status           text NOT NULL DEFAULT 'pending',
    attempts         integer NOT NULL DEFAULT 0,
    available_at     timestamptz NOT NULL DEFAULT now(),
    lease_token      uuid,
    lease_expires_at timestamptz,
    last_error       text,
    enqueued_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    completed_at     timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT review_work_status_known CHECK (status IN ('pending', 'processing', 'completed', 'discarded'))
);
COMMENT ON COLUMN crm.review_work.revision IS 'Bumped whenever the review''s body or rating changes.';
COMMENT ON COLUMN crm.review_work.available_at IS 'Not claimable before this (retry backoff).';

-- Claiming: the oldest available pending rows. Sweeping: expired leases.
CREATE INDEX review_work_claim_idx ON crm.review_work (available_at) WHERE status = 'pending';
CREATE INDEX review_work_sweep_idx ON crm.review_work (lease_expires_at) WHERE status = 'processing';
CREATE INDEX review_work_customer_idx ON crm.review_work (customer_id);

-- Runs as its owner (ondo_owner), because the shop role has no rights in crm. The search_path is pinned and
-- every name is schema-qualified, so nothing the caller defines (a temp table, a function in a schema on its
-- search_path) can stand in for what this function uses.
CREATE FUNCTION crm.enqueue_review_work() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    INSERT INTO crm.review_work AS work (review_id, customer_id)
    VALUES (NEW.id, NEW.customer_id)
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
    PERFORM pg_catalog.pg_notify('ondo_review_work', '');
    RETURN NULL;
END
$function$;

REVOKE ALL ON FUNCTION crm.enqueue_review_work() FROM PUBLIC;
REVOKE ALL ON FUNCTION crm.enqueue_review_work() FROM ondo_app;

CREATE TRIGGER reviews_enqueue_work_on_insert
    AFTER INSERT ON shop.reviews
    FOR EACH ROW EXECUTE FUNCTION crm.enqueue_review_work();

CREATE TRIGGER reviews_enqueue_work_on_update
    AFTER UPDATE OF body, rating ON shop.reviews
    FOR EACH ROW
    WHEN (OLD.body IS DISTINCT FROM NEW.body OR OLD.rating IS DISTINCT FROM NEW.rating)
    EXECUTE FUNCTION crm.enqueue_review_work();
