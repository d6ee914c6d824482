-- Least privilege, three leftovers of 0001's default privileges (review findings):
--
-- 1. ondo_app could USAGE and SELECT crm's sequences (nextval, currval) although it never uses them: identity
--    columns draw their values with the table owner's rights, so an INSERT needs no right on the sequence. nextval
--    from the server's login could only burn identities. Revoked, for existing and future sequences.
-- 2. Every function a later migration created in crm was executable by ondo_app at once (the default privileges
--    granted EXECUTE), so each migration had to remember to revoke it. The server calls one function,
--    crm.apply_deferred_work, which 0018 grants explicitly; future functions are granted the same way or not at all.
-- 3. The views that show failed work hide the rows still being retried, whose last_error is visible through the
--    view only if a caller's function can see rows the WHERE clause drops: a function the reporting login defines
--    (in pg_temp, which PostgreSQL lets every connecting role use) was evaluated before the view's own filter.
--    security_barrier makes the view's filter run first.

SET LOCAL ROLE ondo_owner;

REVOKE ALL ON ALL SEQUENCES IN SCHEMA crm FROM ondo_app;
ALTER DEFAULT PRIVILEGES FOR ROLE ondo_owner IN SCHEMA crm REVOKE USAGE, SELECT ON SEQUENCES FROM ondo_app;
ALTER DEFAULT PRIVILEGES FOR ROLE ondo_owner IN SCHEMA crm REVOKE EXECUTE ON FUNCTIONS FROM ondo_app;

ALTER VIEW report.discarded_reviews SET (security_barrier = true);
ALTER VIEW report.discarded_customer_work SET (security_barrier = true);
