-- What the worksheets' role may do, once coopkit_owner has created the tables (docs/DEPLOY.md). Run as a superuser
-- or as coopkit_owner:
--
--   psql -h DB-HOST -U coopkit_owner -d coopkit -f deploy/postgres-grants.sql
--
-- A save is `UPDATE coopkit_cases SET head = head + 1 ... RETURNING head` and an INSERT into coopkit_revisions;
-- revisions are append-only, so the app role gets no UPDATE on them, and no DELETE anywhere.
\set ON_ERROR_STOP on

GRANT SELECT, INSERT, UPDATE ON coopkit_cases TO coopkit_app;
GRANT SELECT, INSERT ON coopkit_revisions TO coopkit_app;
