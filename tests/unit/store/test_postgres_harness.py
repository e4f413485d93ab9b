"""The store's database fixtures: each test gets an empty database it can use, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tests.unit.store.conftest import database_prefix


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(database_url)
    yield engine
    engine.dispose()


def test_database_url_connects(engine: sa.Engine, database_kind: str) -> None:
    assert engine.dialect.name == database_kind
    with engine.connect() as connection:
        assert connection.execute(sa.text("select 1")).scalar_one() == 1


@pytest.mark.parametrize("turn", [1, 2])
def test_each_test_gets_its_own_empty_database(engine: sa.Engine, turn: int) -> None:
    # Whichever turn runs second would find the first one's table if the two shared a database.
    assert sa.inspect(engine).get_table_names() == []
    table = sa.Table("harness_marker", sa.MetaData(), sa.Column("turn", sa.Integer, primary_key=True))
    with engine.begin() as connection:
        table.create(connection)
        connection.execute(table.insert().values(turn=turn))
    assert sa.inspect(engine).get_table_names() == ["harness_marker"]


@pytest.mark.parametrize("database_kind", ["postgresql"])
def test_postgres_listens_only_on_loopback(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(sa.text("show listen_addresses")).scalar_one() == "127.0.0.1"
        assert connection.execute(sa.text("select host(inet_server_addr())")).scalar_one() == "127.0.0.1"


@pytest.mark.parametrize("database_kind", ["postgresql"])
def test_postgres_databases_of_finished_tests_are_dropped(database_url: str, postgres_server: sa.Engine) -> None:
    # Each worker runs its tests one at a time and names its databases with its own prefix, so the only
    # database of this worker left on the server is this test's (another worker's may be in use right now).
    pattern = database_prefix().replace("_", "\\_") + "%"
    with postgres_server.connect() as connection:
        names = connection.execute(sa.text("select datname from pg_database where datname like :p"), {"p": pattern})
        assert names.scalars().all() == [sa.make_url(database_url).database]
