-- ondo_app had rights Ondo never uses (review finding): INSERT and DELETE on the two work queues, which only the
-- shop's triggers fill (through SECURITY DEFINER functions) and nothing empties, and DELETE on crm.customer_state.
-- With them the server's login could forge work or make reviews and customers vanish from the queue and the
-- reports. Ondo claims, completes, fails and re-queues work with UPDATE, and writes states with an upsert.

SET LOCAL ROLE ondo_owner;

REVOKE INSERT, DELETE, TRUNCATE ON crm.review_work, crm.customer_work FROM ondo_app;
REVOKE DELETE, TRUNCATE ON crm.customer_state FROM ondo_app;
