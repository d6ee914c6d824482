-- A review the shop moves to another customer (an account merge, a fixed import) is re-queued like an edited
-- one, so that it is scored again under its new customer and that customer's state is recomputed with it.
-- Before, only a new body or rating re-queued a review; a moved review kept its score under the old customer_id,
-- and the customer facts read scores by the score's own customer_id (CustomerFactsQuery), so the new customer's
-- state would not have counted it. As in 0007, otherwise unchanged.

SET LOCAL ROLE ondo_owner;

CREATE OR REPLACE FUNCTION crm.on_reviews_updated() RETURNS trigger
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
    WHERE o.id IS NULL OR o.body IS DISTINCT FROM n.body OR o.rating IS DISTINCT FROM n.rating
       OR o.customer_id IS DISTINCT FROM n.customer_id;
    IF review_ids IS NOT NULL THEN
        PERFORM crm.enqueue_reviews(review_ids, customer_ids);
    END IF;
    RETURN NULL;
END
$function$;
