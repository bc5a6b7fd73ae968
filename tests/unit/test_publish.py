"""Publish writes a whole new version and switches one pointer to it; readers never block it or see a mix."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import textwrap

import duckdb
import pyarrow.parquet as pq

from orchestration.defs.publish.publish import PublishedTable, publish, published_from_manifest

# what dbt's config marks for publication (publish.published_from_manifest), in the schemas dbt builds
PUBLISHED = {"dim_project": PublishedTable("core"), "mart_project_evm": PublishedTable("marts")}
MARTS = {"mart_project_evm": PublishedTable("marts"), "mart_value_scorecard": PublishedTable("marts")}


def _warehouse(path, evm_rows: int):
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists staging; create schema if not exists intermediate")
    con.execute("create schema if not exists core; create schema if not exists marts")
    con.execute(
        "create or replace table marts.mart_project_evm as select range as month_no from range(?)", [evm_rows]
    )
    con.execute("create or replace table core.dim_project as select 'P001' as project_id")
    con.execute("create or replace view staging.stg_x as select 1 as a")  # views are not published
    con.execute(
        "create or replace table intermediate.int_scratch as select 1 as a"
    )  # nor intermediate tables
    con.close()


def test_publish_copies_gated_tables_in_old_storage_format(tmp_path):
    wh = tmp_path / "warehouse.duckdb"
    _warehouse(wh, 24)
    result = publish(wh, tmp_path / "published", PUBLISHED)
    assert result.tables == {"dim_project": 1, "mart_project_evm": 24}
    header = (tmp_path / "published" / "vro.duckdb").read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    assert struct.unpack("<Q", header[12:20])[0] == 64  # DuckDB 1.x reads storage versions 64..68
    assert pq.read_table(tmp_path / "published" / "parquet" / "mart_project_evm.parquet").num_rows == 24
    assert not list((tmp_path / "published").rglob(".*"))  # no temporary file left


def test_reader_holding_the_file_neither_blocks_nor_sees_a_mix(tmp_path):
    wh, pub = tmp_path / "warehouse.duckdb", tmp_path / "published"
    _warehouse(wh, 3)
    publish(wh, pub, PUBLISHED)
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
    publish(wh, pub, PUBLISHED)  # must not raise "Could not set lock on file"
    reader.stdin.write("\n")
    reader.stdin.flush()
    assert reader.stdout.readline().strip() == "3"  # the open connection still sees the old file whole
    assert reader.wait(timeout=30) == 0
    con = duckdb.connect(str(pub / "vro.duckdb"), read_only=True)
    assert con.execute("select count(*) from mart_project_evm").fetchone()[0] == 5
    con.close()


def test_leftover_from_a_killed_publish_is_cleaned_and_old_version_untouched(tmp_path):
    wh, pub = tmp_path / "warehouse.duckdb", tmp_path / "published"
    _warehouse(wh, 2)
    publish(wh, pub, PUBLISHED)
    before = hashlib.sha256((pub / "vro.duckdb").read_bytes()).hexdigest()
    half = pub / "versions" / ".999.partial"
    (half / "parquet").mkdir(parents=True)
    (half / "vro.duckdb").write_bytes(b"half a file")
    con = duckdb.connect(str(pub / "vro.duckdb"), read_only=True)
    assert con.execute("select count(*) from mart_project_evm").fetchone()[0] == 2
    con.close()
    assert hashlib.sha256((pub / "vro.duckdb").read_bytes()).hexdigest() == before
    publish(wh, pub, PUBLISHED)
    assert not half.exists()


def test_one_pointer_switches_file_and_parquet_set_and_keeps_only_the_previous_version(tmp_path):
    wh, pub = tmp_path / "warehouse.duckdb", tmp_path / "published"
    names = []
    for rows in (2, 3, 4):
        _warehouse(wh, rows)
        publish(wh, pub, PUBLISHED)
        names.append((pub / "current").resolve().name)
        assert pq.read_table(pub / "parquet" / "mart_project_evm.parquet").num_rows == rows
        con = duckdb.connect(str(pub / "vro.duckdb"), read_only=True)
        assert con.execute("select count(*) from mart_project_evm").fetchone()[0] == rows
        con.close()
    assert len(set(names)) == 3
    assert os.readlink(pub / "vro.duckdb") == "current/vro.duckdb"
    assert os.readlink(pub / "parquet") == "current/parquet"
    assert os.readlink(pub / "current") == f"versions/{names[-1]}"
    assert sorted(p.name for p in (pub / "versions").iterdir()) == sorted(names[-2:])


def test_a_home_published_in_the_older_layout_is_migrated(tmp_path):
    """Before the pointer: vro.duckdb a plain file, parquet a link into parquet_versions/."""
    wh, pub = tmp_path / "warehouse.duckdb", tmp_path / "published"
    (pub / "parquet_versions" / "1").mkdir(parents=True)
    (pub / "vro.duckdb").write_bytes(b"an old published file")
    os.symlink("parquet_versions/1", pub / "parquet")
    _warehouse(wh, 6)
    publish(wh, pub, PUBLISHED)
    assert (pub / "vro.duckdb").is_symlink() and (pub / "parquet").is_symlink()
    assert not (pub / "parquet_versions").exists()
    assert pq.read_table(pub / "parquet" / "mart_project_evm.parquet").num_rows == 6


def test_preview_reads_the_first_rows_of_a_published_mart(tmp_path):
    from orchestration.defs.gate.checks import _markdown_table
    from orchestration.defs.publish.publish import preview

    wh = tmp_path / "warehouse.duckdb"
    _warehouse(wh, 7)
    result = publish(wh, tmp_path / "published", PUBLISHED)
    columns, rows = preview(result.path, "mart_project_evm", rows=3)
    assert columns == ["month_no"] and rows == [(0,), (1,), (2,)]
    assert (
        _markdown_table(["a", "b"], [(1, None), ("x|y", 2)])
        == "| a | b |\n|---|---|\n| 1 |  |\n| x\\|y | 2 |"
    )


KILL_AT_REPLACE = """
import os, signal, sys
from pathlib import Path
from orchestration.defs.publish import publish as p

kill_after, calls, real_replace = int(sys.argv[3]), [0], os.replace

def replace(src, dst):
    real_replace(src, dst)
    calls[0] += 1
    if calls[0] == kill_after:
        os.kill(os.getpid(), signal.SIGKILL)

os.replace = replace
p.publish(Path(sys.argv[1]), Path(sys.argv[2]), {n: p.PublishedTable("marts") for n in sys.argv[4:]})
"""


def _fingerprints(con, relation_of) -> dict:
    return {
        name: con.execute(f"select count(*), sum(hash(t)) from {relation_of(name)} t").fetchone()
        for name in ("mart_project_evm", "mart_value_scorecard")
    }


def _published_view(pub) -> tuple[dict, dict] | None:
    """What a new reader of the stable paths sees: (DuckDB marts, Parquet marts), or None if nothing."""
    if not (pub / "vro.duckdb").exists():
        assert not (pub / "parquet").exists(), "a Parquet set without its DuckDB file"
        return None
    con = duckdb.connect(str(pub / "vro.duckdb"), read_only=True)
    in_db = _fingerprints(con, lambda n: n)
    con.close()
    con = duckdb.connect()
    in_parquet = _fingerprints(con, lambda n: f"read_parquet('{pub / 'parquet' / n}.parquet')")
    con.close()
    return in_db, in_parquet


def _marts_warehouse(path, rows: int):
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute(
        "create or replace table marts.mart_project_evm as select range as month_no from range(?)", [rows]
    )
    con.execute(
        "create or replace table marts.mart_value_scorecard as select range * 2 as r from range(?)", [rows]
    )
    con.close()


def _kill_sequence(tmp_path, prepare) -> list[int]:
    """Publish in a child killed (SIGKILL) right after its k-th rename, for k = 1, 2, ... until a publish
    completes; after every kill the stable paths show one version whole (the DuckDB marts equal the
    Parquet set the link points to, and equal the old or the new warehouse), and the next publish
    recovers. Returns the rename counts at which a kill happened."""
    old_wh, new_wh = tmp_path / "old.duckdb", tmp_path / "new.duckdb"
    _marts_warehouse(old_wh, 3)
    _marts_warehouse(new_wh, 5)
    con = duckdb.connect(str(old_wh), read_only=True)
    old = _fingerprints(con, lambda n: f"marts.{n}")
    con.close()
    con = duckdb.connect(str(new_wh), read_only=True)
    new = _fingerprints(con, lambda n: f"marts.{n}")
    con.close()
    killed_at = []
    for k in range(1, 20):
        pub = tmp_path / f"published_{k}"
        prepare(pub, old_wh)
        before = _published_view(pub)
        child = subprocess.run([sys.executable, "-c", KILL_AT_REPLACE, str(new_wh), str(pub), str(k), *MARTS])
        seen = _published_view(pub)
        if child.returncode == 0:  # the publish needed fewer than k renames: every point was tried
            assert seen == (new, new)
            break
        assert child.returncode == -9, child.returncode
        killed_at.append(k)
        assert seen is not None or before is None, f"kill after rename {k}: the published file vanished"
        if seen is not None:
            in_db, in_parquet = seen
            assert in_db == in_parquet, f"kill after rename {k}: DuckDB file and Parquet set differ"
            assert in_db in (old, new), f"kill after rename {k}: neither the old nor the new marts"
        publish(new_wh, pub, MARTS)  # the next run recovers
        assert _published_view(pub) == (new, new)
        assert not list(pub.rglob(".*")), f"kill after rename {k}: leftovers after the next publish"
    return killed_at


def test_a_kill_after_any_rename_of_a_publish_leaves_file_and_parquet_set_of_one_version(tmp_path):
    killed_at = _kill_sequence(tmp_path, lambda pub, old_wh: publish(old_wh, pub, MARTS))
    assert killed_at == [1, 2]  # the finished version, then the pointer


def test_a_kill_during_the_first_publish_leaves_nothing_or_everything(tmp_path):
    killed_at = _kill_sequence(tmp_path, lambda pub, old_wh: None)
    assert killed_at == [1, 2, 3, 4]  # the version, the two stable links (dangling), the pointer


def test_a_kill_while_adopting_the_older_layout_keeps_the_old_version_whole(tmp_path):
    def older_layout(pub, old_wh):
        """What the previous release published: a plain vro.duckdb and a link into parquet_versions/."""
        publish(old_wh, pub, MARTS)
        version = (pub / "current").resolve()
        (pub / "parquet_versions").mkdir()
        shutil.copytree(version / "parquet", pub / "parquet_versions" / "1")
        (pub / "vro.duckdb").unlink()
        shutil.copy(version / "vro.duckdb", pub / "vro.duckdb")
        (pub / "parquet").unlink()
        os.symlink("parquet_versions/1", pub / "parquet")
        (pub / "current").unlink()
        shutil.rmtree(pub / "versions")

    killed_at = _kill_sequence(tmp_path, older_layout)
    assert killed_at == [1, 2, 3, 4, 5]  # the version, adopting (pointer, two links), the switch


def test_tables_and_columns_carry_their_dbt_descriptions_in_duckdb_and_parquet(tmp_path):
    wh, pub = tmp_path / "warehouse.duckdb", tmp_path / "published"
    _warehouse(wh, 2)
    docs = {
        "mart_project_evm": PublishedTable(
            "marts", "Earned value per project and month (it's monthly).", {"month_no": "Month."}
        ),
        "dim_project": PublishedTable("core", "One row per project.", {"project_id": "The registry's id."}),
    }
    publish(wh, pub, docs)
    con = duckdb.connect(str(pub / "vro.duckdb"), read_only=True)
    tables = dict(
        con.execute(
            "select table_name, comment from duckdb_tables() where database_name = current_database()"
        ).fetchall()
    )
    columns = con.execute(
        "select table_name, column_name, comment from duckdb_columns() "
        "where database_name = current_database() order by 1, 2"
    ).fetchall()
    con.close()
    assert tables == {
        "dim_project": "One row per project.",
        "mart_project_evm": docs["mart_project_evm"].description,
    }
    assert columns == [
        ("dim_project", "project_id", "The registry's id."),
        ("mart_project_evm", "month_no", "Month."),
    ]
    metadata = pq.read_schema(pub / "parquet" / "mart_project_evm.parquet").metadata
    assert metadata[b"vro.description"].decode() == "Earned value per project and month (it's monthly)."
    assert metadata[b"vro.column.month_no"] == b"Month."


def test_a_process_keeping_a_connection_open_sees_the_next_publish_on_a_new_connection(tmp_path):
    """DuckDB caches one database per file within a process; the stable path resolves to the new
    version's file, so a new connection gets the new marts while an old one stays open."""
    wh, pub = tmp_path / "warehouse.duckdb", tmp_path / "published"
    _warehouse(wh, 3)
    publish(wh, pub, PUBLISHED)
    kept = duckdb.connect(str(pub / "vro.duckdb"), read_only=True)
    assert kept.execute("select count(*) from mart_project_evm").fetchone()[0] == 3
    _warehouse(wh, 8)
    publish(wh, pub, PUBLISHED)
    fresh = duckdb.connect(str(pub / "vro.duckdb"), read_only=True)
    assert fresh.execute("select count(*) from mart_project_evm").fetchone()[0] == 8
    assert kept.execute("select count(*) from mart_project_evm").fetchone()[0] == 3  # its snapshot, whole
    fresh.close()
    kept.close()


def test_what_is_published_is_what_the_dbt_config_says_with_the_schema_dbt_built_it_in(tmp_path):
    def model(name, schema, meta, **more):
        return {"resource_type": "model", "name": name, "schema": schema, "config": {"meta": meta}, **more}

    nodes = [
        model(
            "dim_project",
            "core",
            {"publish": True},
            description=" One row per project.\n",
            columns={"project_id": {"description": "The registry's id."}, "status": {"description": ""}},
        ),
        model("mart_project_evm", "marts", {"publish": True}),
        model("mart_scratch", "marts", {"publish": False}),  # a helper of the marts, whatever its name
        model("stg_x", "staging", {}),
        {
            "resource_type": "test",
            "name": "not_null_x",
            "schema": "marts",
            "config": {"meta": {"publish": True}},
        },
    ]
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"nodes": {f"{n['resource_type']}.vro.{n['name']}": n for n in nodes}}))
    assert published_from_manifest(manifest) == {
        "dim_project": PublishedTable("core", "One row per project.", {"project_id": "The registry's id."}),
        "mart_project_evm": PublishedTable("marts"),
    }
