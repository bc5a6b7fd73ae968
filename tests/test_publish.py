"""Publish writes a whole new file, renamed into place; readers never block it or see a mix."""

from __future__ import annotations

import hashlib
import struct
import subprocess
import sys
import textwrap

import duckdb
import pyarrow.parquet as pq

from orchestration.publish import publish


def _warehouse(path, evm_rows: int):
    con = duckdb.connect(str(path))
    con.execute(
        "create or replace table mart_project_evm as select range as month_no from range(?)", [evm_rows]
    )
    con.execute("create or replace table dim_project as select 'P001' as project_id")
    con.execute("create or replace view stg_x as select 1 as a")  # views are not published
    con.execute("create or replace table int_scratch as select 1 as a")  # nor intermediate tables
    con.close()


def test_publish_copies_gated_tables_in_old_storage_format(tmp_path):
    wh = tmp_path / "warehouse.duckdb"
    _warehouse(wh, 24)
    result = publish(wh, tmp_path / "published")
    assert result.tables == {"dim_project": 1, "mart_project_evm": 24}
    header = (tmp_path / "published" / "vro.duckdb").read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    assert struct.unpack("<Q", header[12:20])[0] == 64  # DuckDB 1.x reads storage versions 64..68
    assert pq.read_table(tmp_path / "published" / "parquet" / "mart_project_evm.parquet").num_rows == 24
    assert not list((tmp_path / "published").glob(".*"))  # no temporary file left


def test_reader_holding_the_file_neither_blocks_nor_sees_a_mix(tmp_path):
    wh, pub = tmp_path / "warehouse.duckdb", tmp_path / "published"
    _warehouse(wh, 3)
    publish(wh, pub)
    # A second process opens the published file read-only and keeps it open across a publish.
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import duckdb, sys
            con = duckdb.connect({str(pub / "vro.duckdb")!r}, read_only=True)
            print(con.execute('select count(*) from mart_project_evm').fetchone()[0], flush=True)
            sys.stdin.readline()
            print(con.execute('select count(*) from mart_project_evm').fetchone()[0], flush=True)
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().strip() == "3"
    _warehouse(wh, 5)
    publish(wh, pub)  # must not raise "Could not set lock on file"
    reader.stdin.write("\n")
    reader.stdin.flush()
    assert reader.stdout.readline().strip() == "3"  # the open connection still sees the old file whole
    assert reader.wait(timeout=30) == 0
    con = duckdb.connect(str(pub / "vro.duckdb"), read_only=True)
    assert con.execute("select count(*) from mart_project_evm").fetchone()[0] == 5
    con.close()


def test_leftover_from_a_killed_publish_is_cleaned_and_old_file_untouched(tmp_path):
    wh, pub = tmp_path / "warehouse.duckdb", tmp_path / "published"
    _warehouse(wh, 2)
    publish(wh, pub)
    before = hashlib.sha256((pub / "vro.duckdb").read_bytes()).hexdigest()
    (pub / ".vro.duckdb.999.new").write_bytes(b"half a file")
    con = duckdb.connect(str(pub / "vro.duckdb"), read_only=True)
    assert con.execute("select count(*) from mart_project_evm").fetchone()[0] == 2
    con.close()
    assert hashlib.sha256((pub / "vro.duckdb").read_bytes()).hexdigest() == before
    publish(wh, pub)
    assert not (pub / ".vro.duckdb.999.new").exists()


def test_parquet_set_switches_whole_and_keeps_only_the_previous_set(tmp_path):
    wh, pub = tmp_path / "warehouse.duckdb", tmp_path / "published"
    sets = []
    for rows in (2, 3, 4):
        _warehouse(wh, rows)
        publish(wh, pub)
        sets.append((pub / "parquet").resolve().name)
        assert pq.read_table(pub / "parquet" / "mart_project_evm.parquet").num_rows == rows
    (pub / "parquet_versions" / "0-half-written-by-a-killed-run").mkdir()
    _warehouse(wh, 5)
    publish(wh, pub)
    current = (pub / "parquet").resolve().name
    assert (pub / "parquet").is_symlink()
    assert sorted(p.name for p in (pub / "parquet_versions").iterdir()) == sorted([sets[-1], current])


def test_preview_reads_the_first_rows_of_a_published_mart(tmp_path):
    from orchestration.gate import _markdown_table
    from orchestration.publish import preview

    wh = tmp_path / "warehouse.duckdb"
    _warehouse(wh, 7)
    result = publish(wh, tmp_path / "published")
    columns, rows = preview(result.path, "mart_project_evm", rows=3)
    assert columns == ["month_no"] and rows == [(0,), (1,), (2,)]
    assert (
        _markdown_table(["a", "b"], [(1, None), ("x|y", 2)])
        == "| a | b |\n|---|---|\n| 1 |  |\n| x\\|y | 2 |"
    )
