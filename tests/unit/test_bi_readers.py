"""The README's BI recipes, checked: a reader that stays up across a publish sees the new marts after
the documented refresh, in Python DuckDB, SQLAlchemy (duckdb_engine, as Superset uses it) and
`@duckdb/node-api` (Evidence, Observable Framework); Parquet readers get the amounts to the cent.

A small home with two tiny publishes made by orchestration.defs.publish.publish itself (no pipeline
run), so the whole module takes seconds once `@duckdb/node-api` is installed from npm into `.venv/node-api`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool
from support.paths import REPO

from orchestration.defs.publish.publish import PublishedTable, publish

PUBLISHED = {"mart_project_evm": PublishedTable("marts")}  # as dbt builds and marks it

NODE_API = "@duckdb/node-api@1.5.6-r.1"  # opens storage v1.0.0; its binary ships in the npm package
NODE_DIR = REPO / ".venv" / "node-api"
SQL = "select count(*) as n, sum(ac_amount) as ac from mart_project_evm"


def _warehouse(path: Path, months: int) -> None:
    """A build database holding one mart: `months` rows of 1,234.50 (DECIMAL(18,2)) each."""
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute(
        "create or replace table marts.mart_project_evm as "
        "select range::integer as month_no, 1234.50::decimal(18, 2) as ac_amount from range(?)",
        [months],
    )
    con.close()


@pytest.fixture
def home(tmp_path) -> Path:
    """A home published once, with 3 months (the second publish is made by each test)."""
    _warehouse(tmp_path / "warehouse.duckdb", 3)
    publish(tmp_path / "warehouse.duckdb", tmp_path / "published", PUBLISHED)
    return tmp_path


def _publish_again(home: Path) -> None:
    _warehouse(home / "warehouse.duckdb", 5)
    publish(home / "warehouse.duckdb", home / "published", PUBLISHED)


def test_python_duckdb_a_new_read_only_connection_per_refresh_sees_the_next_publish(home):
    db = str(home / "published" / "vro.duckdb")

    def refresh() -> tuple:  # the README's recipe: connect read-only, query, close
        with duckdb.connect(db, read_only=True) as con:
            return con.execute(SQL).fetchone()

    kept = duckdb.connect(db, read_only=True)  # e.g. a notebook kernel that keeps its connection
    assert refresh() == (3, Decimal("3703.50"))
    _publish_again(home)
    assert refresh() == (5, Decimal("6172.50"))
    assert kept.execute(SQL).fetchone() == (3, Decimal("3703.50"))  # the kept one stays on its version
    kept.close()


def test_sqlalchemy_with_nullpool_sees_the_next_publish_and_the_default_pool_does_not(home):
    url = f"duckdb:///{home / 'published' / 'vro.duckdb'}"
    recipe = sa.create_engine(url, connect_args={"read_only": True}, poolclass=NullPool)
    pooled = sa.create_engine(url, connect_args={"read_only": True})  # what the README warns against
    kept = recipe.connect()  # a dashboard's long query holding one connection open meanwhile
    for engine in (recipe, pooled):
        with engine.connect() as con:
            assert tuple(con.execute(sa.text(SQL)).one()) == (3, Decimal("3703.50"))
    _publish_again(home)
    with recipe.connect() as con:
        assert tuple(con.execute(sa.text(SQL)).one()) == (5, Decimal("6172.50"))
    with pooled.connect() as con:  # the pool hands back the connection still on the old version
        assert tuple(con.execute(sa.text(SQL)).one()) == (3, Decimal("3703.50"))
    assert tuple(kept.execute(sa.text(SQL)).one()) == (3, Decimal("3703.50"))
    # The README's reflection trap (SQLAlchemy 2.1.9, duckdb_engine 0.17.0): reflecting columns or keys
    # fails; the recipe reads the columns, types and descriptions with SQL instead.
    with pytest.raises(sa.exc.ProgrammingError, match="pg_collation"):
        sa.inspect(recipe).get_columns("mart_project_evm")
    with pytest.raises(sa.exc.ProgrammingError, match="REGCLASS"):
        sa.inspect(recipe).get_pk_constraint("mart_project_evm")
    with recipe.connect() as con:
        columns = con.execute(
            sa.text(
                "select column_name, data_type from duckdb_columns() "
                "where database_name = current_database() and table_name = 'mart_project_evm'"
            )
        ).all()
    assert [tuple(c) for c in columns] == [("month_no", "INTEGER"), ("ac_amount", "DECIMAL(18,2)")]
    kept.close()
    recipe.dispose()
    pooled.dispose()


NODE_READER = textwrap.dedent(
    """
    // The README's recipe for Evidence / Observable: a new DuckDBInstance per refresh, never fromCache.
    const { createRequire } = require('node:module');
    const readline = require('node:readline');
    const { DuckDBInstance } = createRequire(process.argv[2] + '/')('@duckdb/node-api');
    const db = process.argv[3];
    const sql = process.argv[4];

    async function query(instance) {
      const con = await instance.connect();
      const rows = (await con.runAndReadAll(sql)).getRowObjectsJson();
      con.closeSync();
      return rows[0];
    }

    async function refresh() {
      const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
      try { return await query(instance); } finally { instance.closeSync(); }
    }

    (async () => {
      const kept = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
      console.log(JSON.stringify({ refresh: await refresh(), kept: await query(kept) }));
      const lines = readline.createInterface({ input: process.stdin });
      for await (const _ of lines) break;  // the test publishes again, then sends a line
      console.log(JSON.stringify({ refresh: await refresh(), kept: await query(kept) }));
      kept.closeSync();
      process.exit(0);  // stdin would keep node waiting
    })();
    """
)


def _node_api() -> Path:
    """`@duckdb/node-api` installed from npm into .venv/node-api (once; `make test` installs npm)."""
    if (NODE_DIR / "node_modules" / "@duckdb" / "node-api" / "package.json").is_file():
        return NODE_DIR
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("SKIPPED LOUDLY: npm is missing (`make node-deps` installs it): node-api recipe untested")
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(NODE_DIR), NODE_API],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        pytest.skip(f"SKIPPED LOUDLY: npm could not install {NODE_API}: {done.stderr.strip()[-500:]}")
    return NODE_DIR


def test_node_api_a_new_instance_per_refresh_sees_the_next_publish(home, tmp_path):
    node_dir = _node_api()
    script = tmp_path / "reader.cjs"
    script.write_text(NODE_READER)
    db = home / "published" / "vro.duckdb"
    reader = subprocess.Popen(
        ["node", str(script), str(node_dir), str(db), SQL],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NODE_PATH": ""},
    )
    try:
        first = json.loads(reader.stdout.readline() or "null")
        assert first == {"refresh": {"n": "3", "ac": "3703.50"}, "kept": {"n": "3", "ac": "3703.50"}}, (
            reader.stderr.read() if first is None else first
        )
        _publish_again(home)
        reader.stdin.write("\n")
        reader.stdin.close()
        second = json.loads(reader.stdout.readline() or "null")
        assert second == {"refresh": {"n": "5", "ac": "6172.50"}, "kept": {"n": "3", "ac": "3703.50"}}
        assert reader.wait(timeout=60) == 0
    finally:
        if reader.poll() is None:
            reader.kill()


def test_parquet_readers_get_the_amounts_to_the_cent_and_the_next_publish_on_reopen(home):
    """Power BI, Tableau, Excel, pandas and polars read the Parquet folder: DECIMAL(18,2) stays exact."""
    path = home / "published" / "parquet" / "mart_project_evm.parquet"
    first = pq.read_table(path)
    assert str(first.schema.field("ac_amount").type) == "decimal128(18, 2)"
    assert sum(first.column("ac_amount").to_pylist()) == Decimal("3703.50")
    _publish_again(home)
    assert pq.read_table(path).num_rows == 5  # the stable path now leads to the new version's file
