-- coopkit's database and its two roles (docs/DEPLOY.md, "Cases in PostgreSQL"). Run once, as a superuser:
--
--   psql -h DB-HOST -U postgres -v owner_password="$OWNER_PW" -v app_password="$APP_PW" -f deploy/postgres-roles.sql
--
-- coopkit_owner owns the database and creates the two tables, once (the first `coopkit cases` run with its URL).
-- coopkit_app is what the worksheets connect as: it may read, add cases and revisions, and move a case's head;
-- it may not create, drop, alter or delete anything (deploy/postgres-grants.sql, after the tables exist).
\set ON_ERROR_STOP on

CREATE ROLE coopkit_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE coopkit_app LOGIN PASSWORD :'app_password' CONNECTION LIMIT 200;
CREATE DATABASE coopkit OWNER coopkit_owner ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE coopkit FROM PUBLIC;
GRANT CONNECT ON DATABASE coopkit TO coopkit_app;

\connect coopkit
-- PostgreSQL 15 and later already keep PUBLIC from creating in schema public; older versions do not.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO coopkit_app;
