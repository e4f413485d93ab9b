"""Store fixtures: every test that takes ``database_url`` runs once on SQLite and once on a real PostgreSQL server.

The PostgreSQL server comes from ``COOPKIT_TEST_DATABASE_URL``, which ``.ci/run`` sets with ``scripts/ensure-postgres``.
Each PostgreSQL test gets a fresh database of its own on that server, dropped afterwards.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from coopkit.store.cases import CaseStore, cases_table, revisions_table

DATABASE_URL_ENV = "COOPKIT_TEST_DATABASE_URL"
HOW_TO_RUN = (
    f"{DATABASE_URL_ENV} is not set; to run the PostgreSQL tests on a throwaway local server: "
    f'export {DATABASE_URL_ENV}="$(scripts/ensure-postgres start /tmp/coopkit-pg)" '
    "(afterwards: scripts/ensure-postgres stop /tmp/coopkit-pg)"
)


def database_prefix() -> str:
    """The start of the names of this test process's PostgreSQL databases: one per pytest-xdist worker."""
    return f"coopkit_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_kind(request: pytest.FixtureRequest) -> str:
    """The database a test runs on; ``@pytest.mark.parametrize("database_kind", ["postgresql"])`` picks one."""
    return request.param


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[sa.Engine]:
    """An AUTOCOMMIT engine on the test server's own database, for creating and dropping the tests' databases."""
    url = os.environ.get(DATABASE_URL_ENV)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test PostgreSQL: {HOW_TO_RUN}", pytrace=False)
        pytest.skip(HOW_TO_RUN)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def database_url(database_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The SQLAlchemy URL of an empty database, on the engine ``database_kind`` names."""
    if database_kind == "sqlite":
        yield f"sqlite:///{tmp_path}/cases.db"
        return
    server: sa.Engine = request.getfixturevalue("postgres_server")
    name = f"{database_prefix()}{uuid.uuid4().hex[:16]}"
    with server.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.url.set(database=name).render_as_string(hide_password=False)
    finally:
        # FORCE (PostgreSQL 13+) ends the connections a test's engines still hold.
        for attempt in range(5):  # a background worker of the server can hold the database for a moment
            try:
                with server.connect() as connection:
                    connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                break
            except sa.exc.DBAPIError:
                if attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))


@pytest.fixture
def store(database_url: str) -> Iterator[CaseStore]:
    store = CaseStore(database_url)
    yield store
    store.close()


def table_rows(store: CaseStore) -> dict[str, list[tuple]]:
    """Every row of both tables, in primary-key order: what "nothing was written" compares."""
    with store.engine.connect() as conn:
        return {
            table.name: [tuple(row) for row in conn.execute(sa.select(table).order_by(*table.primary_key.columns))]
            for table in (cases_table, revisions_table)
        }
