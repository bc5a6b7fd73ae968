"""End to end: a finance file the pipeline cannot read blocks publication (the finance
files_readable check is blocking by default): `vro run` exits 1, the published file stays
byte-identical, and the run report names the file and the check."""

from __future__ import annotations

import hashlib
import json
import shutil

from support.demo_run import copy_home
from support.vro_command import vro


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_run_with_an_unreadable_finance_file_exits_1_and_keeps_the_published_file(demo_run, tmp_path):
    home = copy_home(demo_run, tmp_path, parts=("raw", "published"))
    landing = tmp_path / "landing"
    shutil.copytree(demo_run.landing, landing, copy_function=shutil.copy2)  # keeps mtimes: untouched
    published = home / "published" / "vro.duckdb"
    before = {p.relative_to(home): _sha(p) for p in (home / "published").rglob("*") if p.is_file()}
    # A GL export whose headers fit no mapping profile: rejected whole, 2 lines read and rejected.
    (landing / "finance" / "gl_export_unknown_erp.csv").write_text(
        "Buchungskreis;Betrag;Waehrung\n1000;12,50;EUR\n1000;7,10;EUR\n", encoding="utf-8"
    )
    result = vro("run", "--landing", landing, "--home", home)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "gx_ingest_finance_files_readable" in result.stdout
    assert "NOT published" in result.stdout
    after = {p.relative_to(home): _sha(p) for p in (home / "published").rglob("*") if p.is_file()}
    assert after == before and _sha(published) == before[published.relative_to(home)]
    report = json.loads((home / "reports" / "last_run.json").read_text())
    assert report["published"] is False
    bad = next(f for f in report["files"] if f["path"] == "finance/gl_export_unknown_erp.csv")
    assert (bad["status"], bad["rows_read"], bad["rows_loaded"], bad["rows_rejected"]) == (
        "rejected",
        2,
        0,
        2,
    )
    failed = [c for c in report["checks"] if not c["passed"]]
    assert any(c["name"].endswith("gx_ingest_finance_files_readable") and c["blocking"] for c in failed)
    # The file stays unreadable on the next run: still blocked, still byte-identical.
    again = vro("run", "--landing", landing, "--home", home)
    assert again.returncode == 1
    assert _sha(published) == before[published.relative_to(home)]
