"""The published schema reads right in a BI tool: the column naming rules, and a description everywhere.

The rules (README, "Reading the marts from a BI tool"), over every column of every published table:
- a ratio (1.0 = 100%) is named `*_ratio`, never `*_pct`;
- whole numbers (counts, years, periods, ids) are INTEGER; BIGINT only for `*_seconds`, whose values
  can exceed 2^31;
- a DATE column ends in `_on`, a TIMESTAMP column in `_at`, and the other way round;
- money is DECIMAL(18,2) named `amount` or `*_amount`, and every such name is money. The one exception:
  mart_reconciliation keeps DECIMAL(18,4), since export files carry fractions of a cent and the
  control-total checks show them;
- currency codes are VARCHAR named `currency` or `*_currency`.

`naming_offences` is checked first on a small database that breaks every rule, so the demo's clean
result means the rules were applied, not that the check saw nothing.
"""

from __future__ import annotations

import re

import duckdb
import pyarrow.parquet as pq
import pytest

MONEY = "DECIMAL(18,2)"
MONEY_EXCEPTIONS = {
    ("mart_reconciliation", column): "DECIMAL(18,4)"
    for column in ("expected_amount", "actual_amount", "difference_amount")
}
WIDE_INTEGERS = ("BIGINT", "HUGEINT", "UBIGINT", "UINTEGER", "SMALLINT", "TINYINT", "USMALLINT", "UTINYINT")


def naming_offences(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every column of the connection's own tables that breaks a rule, as 'table.column TYPE: rule'."""
    columns = con.execute(
        "select table_name, column_name, data_type from duckdb_columns() "
        "where database_name = current_database() order by table_name, column_index"
    ).fetchall()
    out = []
    for table, column, dtype in columns:

        def offence(rule: str, table=table, column=column, dtype=dtype) -> None:
            out.append(f"{table}.{column} {dtype}: {rule}")

        is_money_name = column == "amount" or column.endswith("_amount")
        if re.search(r"(^|_)pct($|_)", column):
            offence("a ratio is named *_ratio, never *_pct")
        if dtype in WIDE_INTEGERS and not (dtype == "BIGINT" and column.endswith("_seconds")):
            offence("whole numbers are INTEGER (BIGINT only for *_seconds)")
        if column.endswith(("_count", "_items")) and dtype != "INTEGER":
            offence("a count is INTEGER")
        if (dtype == "DATE") != column.endswith("_on"):
            offence("a DATE column ends in _on, and only a DATE column does")
        if dtype.startswith("TIMESTAMP") != column.endswith("_at"):
            offence("a TIMESTAMP column ends in _at, and only a TIMESTAMP column does")
        if dtype.startswith("DECIMAL") or is_money_name:
            expected = MONEY_EXCEPTIONS.get((table, column), MONEY)
            if not is_money_name or dtype != expected:
                offence(f"money is {expected} named amount or *_amount")
        if "currency" in column and not (re.fullmatch(r"(.+_)?currency", column) and dtype == "VARCHAR"):
            offence("a currency code is VARCHAR named currency or *_currency")
    return out


def test_the_rules_name_each_offending_column():
    con = duckdb.connect()
    con.execute(
        """create table mart_bad as select
            0.5::double as realization_pct, 3::bigint as line_count, 7::bigint as wait_seconds,
            2::bigint as fiscal_year, date '2026-01-31' as as_of_month, 'x' as posted_on,
            timestamp '2026-01-01 08:00' as loaded, 1.5::decimal(18, 4) as cost_amount,
            2.5::decimal(18, 2) as fee, 1.0::double as net_amount, 'EUR' as currency_code,
            1::integer as item_count, date '2026-01-01' as month_start_on, 9.99::decimal(18, 2) as amount"""
    )
    con.execute("create table mart_reconciliation as select 1.2345::decimal(18, 4) as expected_amount")
    assert naming_offences(con) == [
        "mart_bad.realization_pct DOUBLE: a ratio is named *_ratio, never *_pct",
        "mart_bad.line_count BIGINT: whole numbers are INTEGER (BIGINT only for *_seconds)",
        "mart_bad.line_count BIGINT: a count is INTEGER",
        "mart_bad.fiscal_year BIGINT: whole numbers are INTEGER (BIGINT only for *_seconds)",
        "mart_bad.as_of_month DATE: a DATE column ends in _on, and only a DATE column does",
        "mart_bad.posted_on VARCHAR: a DATE column ends in _on, and only a DATE column does",
        "mart_bad.loaded TIMESTAMP: a TIMESTAMP column ends in _at, and only a TIMESTAMP column does",
        "mart_bad.cost_amount DECIMAL(18,4): money is DECIMAL(18,2) named amount or *_amount",
        "mart_bad.fee DECIMAL(18,2): money is DECIMAL(18,2) named amount or *_amount",
        "mart_bad.net_amount DOUBLE: money is DECIMAL(18,2) named amount or *_amount",
        "mart_bad.currency_code VARCHAR: a currency code is VARCHAR named currency or *_currency",
    ]
    con.close()


@pytest.fixture(scope="module")
def published(demo_run):
    con = duckdb.connect(str(demo_run.home / "published" / "vro.duckdb"), read_only=True)
    yield con
    con.close()


def test_every_published_column_follows_the_naming_rules(published):
    tables = published.execute(
        "select count(*) from duckdb_tables() where database_name = current_database()"
    ).fetchone()[0]
    assert tables >= 25  # dims, facts, bridges and the marts
    offences = naming_offences(published)
    assert offences == [], "published columns breaking the naming rules:\n" + "\n".join(offences)


def test_every_published_table_and_column_carries_its_description(demo_run, published):
    """Dimensions, facts and bridges too, not only the marts: BI tools show COMMENT ON."""
    undocumented_tables = published.execute(
        "select table_name from duckdb_tables() where database_name = current_database() "
        "and coalesce(comment, '') = '' order by 1"
    ).fetchall()
    assert undocumented_tables == []
    undocumented = published.execute(
        "select table_name || '.' || column_name from duckdb_columns() "
        "where database_name = current_database() and coalesce(trim(comment), '') = '' order by 1"
    ).fetchall()
    assert undocumented == [], "columns without a description: " + ", ".join(r[0] for r in undocumented)
    folder = demo_run.home / "published" / "parquet"
    files = sorted(folder.glob("*.parquet"))
    marts = {
        r[0]
        for r in published.execute(
            "select table_name from duckdb_tables() where database_name = current_database() "
            "and table_name like 'mart_%'"
        ).fetchall()
    }
    assert {f.stem for f in files} == marts
    for path in files:
        metadata = {k.decode(): v.decode() for k, v in pq.read_schema(path).metadata.items()}
        assert metadata.get("vro.description", "").strip(), path.name
        missing = [c for c in pq.read_schema(path).names if not metadata.get(f"vro.column.{c}", "").strip()]
        assert missing == [], f"{path.name}: columns without vro.column.* metadata: {missing}"
