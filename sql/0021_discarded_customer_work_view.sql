-- Customer work (a customer to recompute after an order, a signup or a moved review) that failed on every attempt
-- was visible only as a Prometheus counter: the customer's state stays stale until the scheduler's next re-check,
-- and nobody could see which customer or why. This view lists it with its error, as report.discarded_reviews
-- lists discarded reviews; `ondo states retry` re-queues it. Like every report view it runs with its owner's
-- rights, and the default privileges of 0001 let ondo_report and ondo_app read it (no GRANT needed).

SET LOCAL ROLE ondo_owner;

CREATE VIEW report.discarded_customer_work AS
SELECT customer_id, attempts, last_error, updated_at AS discarded_at
FROM crm.customer_work
WHERE status = 'discarded';
COMMENT ON VIEW report.discarded_customer_work IS
    'Customers whose state recompute was given up after its last attempt, with the error; ondo states retry re-queues them.';
