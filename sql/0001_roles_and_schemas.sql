-- Ondo's group roles, schemas and default privileges.
--
-- Runs as the migrating administrator (a superuser, or a role with CREATEROLE that owns the database).
-- Roles are cluster-wide: several databases on one cluster share them, so each is created only when missing,
-- tolerating a concurrent migration of another database that creates it at the same moment.
-- Every object below the role section is created under SET LOCAL ROLE ondo_owner, so ondo_owner owns it.

DO $roles$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['ondo_owner', 'ondo_app', 'ondo_shop', 'ondo_report'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = role_name) THEN
            BEGIN
                EXECUTE pg_catalog.format(
                    'CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS',
                    role_name);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- another database's migration created it first
            END;
        END IF;
        -- Group roles never log in, whatever someone did to them since. Only touched when needed: pg_authid
        -- is shared by all databases, and two migrations altering one row at once would collide.
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = role_name AND rolcanlogin) THEN
            EXECUTE pg_catalog.format('ALTER ROLE %I NOLOGIN', role_name);
        END IF;
    END LOOP;

    -- A non-superuser administrator must be able to SET ROLE ondo_owner.
    IF NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user)
       AND NOT pg_catalog.pg_has_role(session_user, 'ondo_owner', 'MEMBER') THEN
        EXECUTE pg_catalog.format('GRANT ondo_owner TO %I', session_user);
    END IF;

    -- The owner creates Ondo's schemas; the other roles only connect.
    EXECUTE pg_catalog.format('GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO ondo_owner',
        pg_catalog.current_database());
    EXECUTE pg_catalog.format('GRANT CONNECT ON DATABASE %I TO ondo_app, ondo_shop, ondo_report',
        pg_catalog.current_database());
    EXECUTE pg_catalog.format('REVOKE CREATE ON DATABASE %I FROM PUBLIC', pg_catalog.current_database());
END
$roles$;

-- Nobody but the owner creates objects in public (PostgreSQL 15 already revokes this; older servers do not).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- The migration ledger (created by `ondo migrate` itself, before this file ran) is readable by the app, so
-- `ondo serve` can check the schema version.
GRANT USAGE ON SCHEMA ondo_meta TO ondo_app;
GRANT SELECT ON ondo_meta.schema_migrations TO ondo_app;

SET LOCAL ROLE ondo_owner;

CREATE SCHEMA IF NOT EXISTS shop;
CREATE SCHEMA IF NOT EXISTS crm;
CREATE SCHEMA IF NOT EXISTS report;

COMMENT ON SCHEMA shop IS 'Tables the shop writes (customers, products, orders, reviews): the contract with the shop.';
COMMENT ON SCHEMA crm IS 'Ondo''s own tables (work queue, sentiment, customer state, campaigns).';
COMMENT ON SCHEMA report IS 'Views for analysts; the only schema ondo_report can read.';

GRANT USAGE ON SCHEMA shop TO ondo_shop, ondo_app;
GRANT USAGE ON SCHEMA crm TO ondo_app;
GRANT USAGE ON SCHEMA report TO ondo_report, ondo_app;

-- Privileges for every future object the owner creates, so later migrations need no GRANTs of their own.
ALTER DEFAULT PRIVILEGES FOR ROLE ondo_owner IN SCHEMA shop
    GRANT SELECT, INSERT, UPDATE ON TABLES TO ondo_shop;
ALTER DEFAULT PRIVILEGES FOR ROLE ondo_owner IN SCHEMA shop
    GRANT USAGE, SELECT ON SEQUENCES TO ondo_shop;
ALTER DEFAULT PRIVILEGES FOR ROLE ondo_owner IN SCHEMA shop
    GRANT SELECT ON TABLES TO ondo_app;

ALTER DEFAULT PRIVILEGES FOR ROLE ondo_owner IN SCHEMA crm
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ondo_app;
ALTER DEFAULT PRIVILEGES FOR ROLE ondo_owner IN SCHEMA crm
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ondo_app;
ALTER DEFAULT PRIVILEGES FOR ROLE ondo_owner IN SCHEMA crm
    GRANT EXECUTE ON FUNCTIONS TO ondo_app;

ALTER DEFAULT PRIVILEGES FOR ROLE ondo_owner IN SCHEMA report
    GRANT SELECT ON TABLES TO ondo_report, ondo_app;

-- Functions are not executable by everyone unless a migration says so.
ALTER DEFAULT PRIVILEGES FOR ROLE ondo_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
