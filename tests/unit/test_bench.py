"""The benchmark harness and the scale generator: M/L specs without writing the big files, the
streamed writer and the delta batch on tiny scales (the harness end to end on S: tests/e2e)."""

from __future__ import annotations

import collections
import csv
import dataclasses
import hashlib
import json
import os
import random
from pathlib import Path

import pytest

from ingest.demo.build import write_demo
from ingest.demo.delta import delta_files, write_delta
from ingest.demo.org import SCALES, build_projects
from ingest.demo.stream import planned_counts, write_streamed
from orchestration.tools import bench

# ---- the M and L specs (nothing written) ---------------------------------------------------------


def test_scale_m_plans_200_projects_200k_issues_1m_gl_lines_200_schedules():
    plan = planned_counts(SCALES["M"])
    assert plan["projects"] == 200
    assert plan["msp_files"] == 200  # one (latest) snapshot per project
    assert abs(plan["jira_json_issues"] - 200_000) / 200_000 < 0.02
    assert abs(plan["gl_lines"] - 1_000_000) / 1_000_000 < 0.05


def test_scale_l_plans_its_volumes():
    plan = planned_counts(SCALES["L"])
    assert plan["projects"] == 2000
    assert plan["msp_files"] == 2000
    assert abs(plan["jira_csv_issues"] - 1_000_000) / 1_000_000 < 0.02  # every project in the CSV pages
    assert abs(plan["jira_json_issues"] - 200_000) / 200_000 < 0.02  # every 5th project in the JSON
    assert abs(plan["gl_lines"] - 10_000_000) / 10_000_000 < 0.05
    assert abs(plan["measurements"] - 100_000) / 100_000 < 0.05


def test_scale_s_plan_matches_what_s_writes(tmp_path):
    # the nominal figures are close to the real ones where they can be checked cheaply (scale S)
    plan = planned_counts(SCALES["S"])
    summary = write_demo(tmp_path / "landing", seed=7, scale="S")
    assert plan["msp_files"] == summary.msp_files == 39
    assert abs(plan["jira_json_issues"] - summary.jira_issues) / summary.jira_issues < 0.05
    assert abs(plan["gl_lines"] - sum(summary.gl_lines.values())) / plan["gl_lines"] < 0.15
    assert plan["measurements"] >= summary.measurements  # the stale KPI stops early


def test_larger_scales_stream_and_s_does_not():
    assert not SCALES["S"].stream and SCALES["M"].stream and SCALES["L"].stream
    assert [SCALES[s].projects for s in "SML"] == [20, 200, 2000]


# ---- the streamed writer on a tiny scale ----------------------------------------------------------

TINY = dataclasses.replace(
    SCALES["M"],
    name="T",
    projects=22,
    issues_per_project=30,
    gl_documents_per_project_month=2,
    json_page_size=50,
    csv_page_size=40,
    csv_project_every=2,
    json_project_every=3,
    rework_rounds=2,
    benefits_per_extra_project=2,
)


def _hashes(landing: Path) -> dict[str, str]:
    return {
        str(p.relative_to(landing)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(landing.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    landing = tmp_path_factory.mktemp("tiny") / "landing"
    projects = build_projects(random.Random(7), TINY)
    return landing, write_streamed(landing, 7, projects, TINY, workers=2)


def test_streamed_writer_is_deterministic_across_processes(tiny, tmp_path):
    landing, result = tiny
    projects = build_projects(random.Random(7), TINY)
    again = write_streamed(tmp_path / "again", 7, projects, TINY, workers=1)  # one process this time
    assert _hashes(tmp_path / "again") == _hashes(landing)
    assert again.jira == result.jira


def test_streamed_jira_pages_tie_out(tiny):
    landing, result = tiny
    jira = result.jira
    pages = [
        json.loads((landing / "jira" / f"search_jql_page_{n}.json").read_text(encoding="utf-8"))
        for n in range(1, jira.json_pages + 1)
    ]
    assert [len(p["issues"]) for p in pages[:-1]] == [50] * (len(pages) - 1)
    assert [("nextPageToken" in p, p["isLast"]) for p in pages] == [(True, False)] * (len(pages) - 1) + [
        (False, True)
    ]
    issues = [i for p in pages for i in p["issues"]]
    assert jira.json_issues == len(issues) == len({i["key"] for i in issues})
    # boards of P001, P004, P007, ... (every 3rd project) and the shared platform board
    assert {i["fields"]["project"]["key"] for i in issues} >= {"CLM", "FRD", "DMS", "PLAT"}
    assert "CRM" not in {i["fields"]["project"]["key"] for i in issues}
    status_items = [
        it
        for i in issues
        for h in i["changelog"]["histories"]
        for it in h["items"]
        if it["field"] == "status"
    ]
    assert jira.status_changes == len(status_items)
    assert jira.epic_keys == ["PLAT-1", "PLAT-2"]


def test_streamed_csv_pages_keep_the_s_quirks(tiny):
    landing, result = tiny
    rows_per_page, headers = [], []
    for n in range(1, len(result.jira.csv_rows) + 1):
        path = landing / "jira" / f"export_all_fields_page_{n}.csv"
        assert path.read_bytes().startswith(b"\xef\xbb\xbf") == (n == 1)
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        headers.append(collections.Counter(rows[0]))
        rows_per_page.append(len(rows) - 1)
        ids = [int(r[2]) for r in rows[1:]]
        assert ids == sorted(ids, reverse=True)  # newest first within a page
    assert rows_per_page == result.jira.csv_rows
    assert all(n == 40 for n in rows_per_page[:-1])
    assert headers[0]["Labels"] == 4 and headers[1]["Labels"] <= 3
    assert headers[0]["Sprint"] <= 2 < headers[1]["Sprint"]


def test_streamed_files_parse_without_rejects(tiny, tmp_path):
    from ingest.parsers import formats
    from ingest.parsers.common.base import ParseContext

    landing, result = tiny
    from ingest.demo.templates import write_registry

    write_registry(landing, build_projects(random.Random(7), TINY))
    loaded = collections.Counter()
    for source in formats.SOURCES:
        for path in sorted((landing / source).glob("*")):
            module, kind = formats.recognise(source, path)
            ctx = ParseContext(
                landing_dir=landing, source_file=str(path.relative_to(landing)), work_dir=tmp_path / path.name
            )
            ctx.work_dir.mkdir()
            parsed = module.parse(path, ctx, kind)
            assert parsed.rejects == [], (path.name, parsed.rejects[:3])
            loaded[kind] += parsed.rows_loaded
    assert loaded["jira_search"] == result.jira.json_issues
    assert loaded["gl_actuals"] == sum(st.lines for st in result.gl)
    assert loaded["mspdi"] == result.msp[1]
    assert result.msp[0] == 22  # one snapshot per project
    assert loaded["benefits_measurements"] == result.templates.benefits.measurements


def test_delta_batch_is_small_new_and_deterministic(tmp_path):
    landing = tmp_path / "landing"
    summary = write_demo(landing, seed=7, scale="S")
    before = _hashes(landing)
    delta = write_delta(landing, seed=7, scale="S")
    after = _hashes(landing)
    assert {k: v for k, v in after.items() if k in before} == before  # nothing rewritten
    assert sorted(set(after) - set(before)) == sorted(delta.files)
    assert sorted(str(p.relative_to(landing)) for p in delta_files(landing, 7, "S")) == sorted(delta.files)
    assert delta.msp_files == 1 and delta.jira_issues == 45  # one CSV page's worth at S
    assert 0 < delta.gl_lines < 0.05 * sum(summary.gl_lines.values())
    page = json.loads((landing / "jira" / "search_jql_delta_page_1.json").read_text(encoding="utf-8"))
    assert page["isLast"] is True and len(page["issues"]) == 45
    assert page["issues"][0]["key"] == "CLM-100001"
    write_delta(tmp_path / "again", seed=7, scale="S")
    assert _hashes(tmp_path / "again") == {k: after[k] for k in delta.files}


# ---- harness pieces ------------------------------------------------------------------------------


def test_tree_rss_counts_this_process():
    rss = bench.tree_rss_bytes(os.getpid())
    assert 10 * 1024**2 < rss < 8 * 1024**3
    assert bench.tree_rss_bytes(2**22 + 12345) == 0  # no such process


def test_bench_refuses_to_empty_a_home_or_landing_it_did_not_make(tmp_path):
    home, landing = tmp_path / "home", tmp_path / "landing"
    (home / "raw").mkdir(parents=True)
    (home / "raw" / "precious.parquet").write_bytes(b"x")
    with pytest.raises(bench.BenchError, match="is not a bench home"):
        bench.run_bench("S", home=home, landing=landing, log=lambda m: None)
    assert (home / "raw" / "precious.parquet").exists() and not landing.exists()
    (landing / "jira").mkdir(parents=True)
    (landing / "jira" / "export.csv").write_text("a\n")
    with pytest.raises(bench.BenchError, match="holds files the bench did not write"):
        bench.run_bench("S", home=tmp_path / "new_home", landing=landing, log=lambda m: None)
    assert (landing / "jira" / "export.csv").exists()
