-- ondo_app had more rights than Ondo uses (review finding): UPDATE on crm's sequences, which allows setval
-- (rewinding the history's identity would make inserts collide), and UPDATE and DELETE on
-- crm.customer_state_history, which Ondo only ever appends to and reads: the history is the record of what
-- happened, and the server's login must not be able to rewrite it. Tables and sequences created later get
-- the same treatment for sequences through the default privileges.

SET LOCAL ROLE ondo_owner;

REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA crm FROM ondo_app;
ALTER DEFAULT PRIVILEGES FOR ROLE ondo_owner IN SCHEMA crm REVOKE UPDATE ON SEQUENCES FROM ondo_app;
REVOKE UPDATE, DELETE, TRUNCATE ON crm.customer_state_history FROM ondo_app;
