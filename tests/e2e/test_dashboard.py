"""The VRO dashboard (orchestration/dashboard) on the demo marts, driven by Streamlit's AppTest.

The published file comes from the demo run at /tmp/dh when one exists (copied into a temporary home,
never opened in place), otherwise from a fresh `vro demo` + `vro run` (what CI does). Expected
figures are read from the published file here, independently of the app, or checked by hand against
the demo generator (ingest/demo/finance.py, ingest/demo/org.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest
from support.by_hand import evm_at_status, latest_status_on
from support.demo_run import copy_home
from support.paths import REPO

APP = REPO / "orchestration" / "dashboard" / "app.py"
VRO = Path(sys.executable).parent / "vro"
PAGES = ["portfolio", "project", "benefits", "strategy", "optimize", "trust"]


@pytest.fixture(scope="module")
def demo_home(demo_run, tmp_path_factory) -> Path:
    """A private copy of the session's demo run: its published file and run report."""
    return copy_home(demo_run, tmp_path_factory.mktemp("dashboard"))


@pytest.fixture(scope="module")
def marts(demo_home):
    con = duckdb.connect(str(demo_home / "published" / "vro.duckdb"), read_only=True)
    yield con
    con.close()


def open_page(home: Path, page: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("VRO_HOME", str(home))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    if page != "portfolio":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at: AppTest) -> list:
    return list(at.get("vega_lite_chart"))


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def table(at: AppTest, column: str):
    """The first table shown that has the column."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with a column {column!r}: {[list(d.value.columns) for d in at.dataframe]}"
    return found[0]


# --- Portfolio -------------------------------------------------------------------------------------------


def test_portfolio_scorecard_has_every_project_with_rag_and_bubble_chart(demo_home, marts, monkeypatch):
    at = open_page(demo_home, "portfolio", monkeypatch)
    card = table(at, "Value / cost")
    assert len(card) == 20  # the demo organisation's 20 registry projects (ingest/demo/org.py)
    assert list(card["Rank"]) == sorted(card["Rank"])
    best = marts.execute(
        "select project_id, cost_rag from mart_value_scorecard where value_rank = 1"
    ).fetchone()
    assert card.iloc[0]["Project"] == best[0]
    assert card.iloc[0]["Cost RAG"] == best[1]
    assert set(card["Cost RAG"].dropna()) <= {"green", "amber", "red"}
    assert len(charts(at)) == 2  # the bubble chart and the portfolio SPI/CPI trend
    as_of = marts.execute("select max(as_of_month_on) from mart_value_scorecard").fetchone()[0]
    month_end = dt.date(as_of.year + as_of.month // 12, as_of.month % 12 + 1, 1) - dt.timedelta(days=1)
    assert f"As of {month_end.isoformat()} · amounts in EUR" in captions(at)


def test_portfolio_filters_by_portfolio_and_by_objective_in_force(demo_home, marts, monkeypatch):
    at = open_page(demo_home, "portfolio", monkeypatch)
    at.multiselect(key="portfolio_portfolio").select("Claims").run()
    claims = marts.execute("select count(*) from mart_value_scorecard where portfolio = 'Claims'").fetchone()[
        0
    ]
    assert claims > 0
    assert len(table(at, "Value / cost")) == claims
    at.multiselect(key="portfolio_portfolio").unselect("Claims").run()
    objective = next(o for o in at.multiselect(key="portfolio_objective").options if o.startswith("OBJ-3 "))
    at.multiselect(key="portfolio_objective").select(objective).run()
    served = marts.execute(
        """select distinct project_id from bridge_project_objective, (select max(as_of_month_on) m from
           mart_value_scorecard) where objective_id = 'OBJ-3' and weight > 0
           and valid_from_on <= last_day(m) and (valid_to_on is null or valid_to_on >= last_day(m))"""
    ).fetchall()
    shown = set(table(at, "Value / cost")["Project"])
    assert shown == {p for (p,) in served}
    assert "P009" not in shown  # moved from OBJ-3 to OBJ-1 on 2026-01-01 (strategy/alignment.csv)


# --- Project ---------------------------------------------------------------------------------------------


def test_project_page_shows_evm_of_p001_with_cpi_computed_by_hand(demo_run, demo_home, marts, monkeypatch):
    """SPI, CPI and AC as the demo's own files give them: P001's latest MSPDI file and the CJI3 export."""
    at = open_page(demo_home, "project", monkeypatch)
    assert at.selectbox(key="project_id").value == "P001"
    status_on = latest_status_on(demo_run.landing, "P001")
    hand = evm_at_status(demo_run.landing, "P001", status_on)
    shown = metrics(at)
    assert shown["CPI"] == f"{float(hand['ev'] / hand['ac']):.2f}"
    assert shown["SPI"] == f"{float(hand['ev'] / hand['pv']):.2f}"
    assert shown["AC"] == f"{float(hand['ac']):,.0f}"
    assert f"As of {status_on.isoformat()} · amounts in EUR" in captions(at)  # the demo's as-of day
    # S-curve, SPI/CPI trend, throughput, cycle time and sprint velocity
    assert len(charts(at)) == 6
    assert "Baseline changes: none; the baseline in force is the original" in captions(at)
    done = marts.execute(
        "select sum(throughput_items) from mart_delivery_flow where project_id = 'P001'"
    ).fetchone()[0]
    assert shown["Issues done"] == str(int(done))
    benefits = table(at, "Share")
    assert set(benefits["Benefit"]) == {"B01", "B02", "B07"}  # benefits/attribution.csv rows 2, 3, 9
    assert benefits.set_index("Benefit").loc["B07", "Share"] == pytest.approx(0.3)


def test_project_page_switches_project(demo_run, demo_home, monkeypatch):
    """P003 closed after its last status date: its figures are those of its last MSPDI file."""
    at = open_page(demo_home, "project", monkeypatch)
    at.selectbox(key="project_id").select("P003").run()
    hand = evm_at_status(demo_run.landing, "P003", latest_status_on(demo_run.landing, "P003"))
    assert metrics(at)["CPI"] == f"{float(hand['ev'] / hand['ac']):.2f}"


def test_rebaselines_label_the_changes_vs_original_then_previous():
    from orchestration.dashboard.pages.project import rebaselines

    rows = pd.DataFrame(  # mart_project_rebaselines: the re-baselined status dates of one project
        {
            "status_on": pd.to_datetime(["2026-04-30", "2027-01-31"]),
            "baseline_number": [0, 1],
            "compared_with": ["original", "previous"],
            "bac_change_project_amount": [1000.0, 0.0],
            "finish_slip_days": [111, 30],
        }
    )
    changes = rebaselines(rows)
    assert list(changes["change"]) == [
        "baseline 0 vs original: BAC +1,000.00; finish +111 days",
        "baseline 1 vs previous: finish +30 days",
    ]
    assert [d.date().isoformat() for d in changes["status_on"]] == ["2026-04-30", "2027-01-31"]


# --- Benefits --------------------------------------------------------------------------------------------


def test_benefits_page_lists_every_benefit_and_the_stale_kpi_with_its_owner(demo_home, marts, monkeypatch):
    at = open_page(demo_home, "benefits", monkeypatch)
    shown = table(at, "Reading missing")
    assert (
        len(shown)
        == marts.execute("select count(distinct benefit_id) from mart_benefits_realization").fetchone()[0]
    )
    stale = table(at, "stale_months")
    expected = marts.execute(
        "select kpi_id, benefit_owner, count(*) from mart_benefits_realization where is_stale group by all"
    ).fetchall()
    assert sorted(zip(stale["kpi_id"], stale["benefit_owner"], stale["stale_months"], strict=True)) == sorted(
        expected
    )
    # the reconciliation check on the same KPI names the same months
    detail = marts.execute(
        """select detail from mart_reconciliation
           where check_name = 'kpi_reading_missing' and entity_id = 'KPI-BRK-ADOPT'"""
    ).fetchone()[0]
    row = stale.set_index("kpi_id").loc["KPI-BRK-ADOPT"]
    assert row["benefit_owner"] == "Aoife Brennan"
    assert detail.endswith(row["months"])
    assert len(charts(at)) == 1


def test_benefits_page_shows_the_value_realized_after_close_per_owner(demo_home, marts, monkeypatch):
    at = open_page(demo_home, "benefits", monkeypatch)
    owners = table(at, "Past their projects' close").set_index("Owner")
    expected = marts.execute(
        """
        select coalesce(benefit_owner, 'unassigned'), sum(realized_value_reporting_amount)
        from mart_benefits_realization where is_monetised and is_after_project_close group by 1
        """
    ).fetchall()
    assert expected  # the demo has benefits realized after their projects closed
    after_close = next(c for c in owners.columns if c.startswith("Realized after close"))
    for owner, amount in expected:
        assert float(owners.loc[owner, after_close]) == pytest.approx(float(amount), abs=0.01)


def test_benefits_page_shades_after_close_months(demo_home, marts, monkeypatch):
    at = open_page(demo_home, "benefits", monkeypatch)
    after = marts.execute(
        "select benefit_id from mart_benefits_realization where is_after_project_close order by all limit 1"
    ).fetchone()[0]
    at.selectbox(key="benefit_id").select(after).run()
    assert '"type": "rect"' in charts(at)[0].proto.spec  # the grey band over the after-close months
    never = marts.execute(
        """select benefit_id from mart_benefits_realization group by 1
           having not bool_or(is_after_project_close) order by 1 limit 1"""
    ).fetchone()[0]
    at.selectbox(key="benefit_id").select(never).run()
    assert '"type": "rect"' not in charts(at)[0].proto.spec


# --- Strategy --------------------------------------------------------------------------------------------


def test_strategy_page_spend_unaligned_share_and_alignment_as_of_a_date(demo_home, marts, monkeypatch):
    at = open_page(demo_home, "strategy", monkeypatch)
    spend, unaligned = marts.execute(
        """select sum(s), sum(u) from (select month_start_on, any_value(portfolio_spend_amount) s,
           any_value(portfolio_unaligned_spend_amount) u from mart_strategic_alignment group by 1)"""
    ).fetchone()
    shown = metrics(at)
    assert shown["Portfolio spend (EUR)"] == f"{float(spend):,.0f}"
    assert shown["Unaligned spend share, all months"] == f"{float(unaligned) / float(spend):.1%}"
    (last_month,) = marts.execute(
        """select any_value(portfolio_unaligned_spend_amount) / any_value(portfolio_spend_amount)
           from mart_strategic_alignment
           where month_start_on = (select max(month_start_on) from mart_strategic_alignment)"""
    ).fetchone()
    assert shown["Unaligned spend share, latest month"] == f"{float(last_month):.1%}"
    assert len(charts(at)) == 3
    aligned = table(at, "unaligned_share").set_index("project_id")
    assert aligned.loc["P009", "objectives"] == "OBJ-1 (100%)"
    assert aligned.loc["P003", "objectives"] == "none"  # P003's alignment ended 2025-12-31
    at.date_input(key="alignment_as_of").set_value(dt.date(2025, 6, 30)).run()
    aligned = table(at, "unaligned_share").set_index("project_id")
    assert aligned.loc["P009", "objectives"] == "OBJ-3 (100%)"
    assert aligned.loc["P003", "objectives"] == "OBJ-1 (100%)"
    in_force = marts.execute(
        """select count(*) from bridge_project_objective
           where valid_from_on <= date '2025-06-30'
             and (valid_to_on is null or valid_to_on >= date '2025-06-30')"""
    ).fetchone()[0]
    assert f"As of 2025-06-30: {in_force} project-objective weights in force" in captions(at)
    # before the first alignment row every project serves nothing (the page used to fail on such a day)
    at.date_input(key="alignment_as_of").set_value(dt.date(2020, 1, 1)).run()
    assert not at.exception, [e.value for e in at.exception]
    aligned = table(at, "unaligned_share")
    assert set(aligned["objectives"]) == {"none"} and set(aligned["unaligned_share"]) == {1.0}
    assert len(aligned) == marts.execute("select count(*) from dim_project").fetchone()[0]
    assert "As of 2020-01-01: 0 project-objective weights in force, 0 of" in captions(at)


# --- Optimize --------------------------------------------------------------------------------------------


def test_optimize_page_lists_every_recommendation_with_its_reason_and_marks_the_current_portfolio(
    demo_home, marts, monkeypatch
):
    at = open_page(demo_home, "optimize", monkeypatch)
    expected = dict(
        marts.execute("select project_id, recommendation from mart_value_optimization").fetchall()
    )
    shown = table(at, "recommendation_reason")
    assert dict(zip(shown["project_id"], shown["recommendation"], strict=True)) == expected
    assert shown["recommendation_reason"].str.startswith(("marginal NPV", "mandatory")).all()
    # stops first, then reviews, then the rest
    order = {"stop": 0, "review": 1, "continue": 2}
    assert list(shown["recommendation"].map(order)) == sorted(shown["recommendation"].map(order))
    counts = metrics(at)
    assert {k: counts[k] for k in ("Continue", "Review", "Stop")} == {
        k.capitalize(): str(list(expected.values()).count(k)) for k in ("continue", "review", "stop")
    }
    # one chart: the frontier's line and the current portfolio's point
    (chart,) = charts(at)
    shown_points = pd.concat(
        [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets]
    )
    kinds = shown_points.groupby("point_kind")["level"].agg(["size", "nunique"])
    assert kinds.loc["current_portfolio", "size"] == 1
    assert kinds.loc["frontier", "nunique"] == 20
    assert '"shape": "diamond"' in chart.proto.spec  # the current portfolio's mark
    assert "current portfolio" in captions(at)
    scenarios = table(at, "solver_status").set_index("scenario")
    assert scenarios.loc["Freeze", "solver_status"] == "infeasible"
    assert "below the" in scenarios.loc["Freeze", "message"]


# --- Data trust ------------------------------------------------------------------------------------------


def test_data_trust_page_shows_run_checks_and_reconciliation(demo_home, marts, monkeypatch):
    at = open_page(demo_home, "trust", monkeypatch)
    shown = metrics(at)
    # 4 GL lines with unknown project codes + 5 overhead lines without one (ingest/demo/finance.py)
    assert shown["Unmapped GL lines"] == "9"
    unmapped = marts.execute(
        "select count(*) from mart_reconciliation where check_name = 'unmapped_gl_line' and is_issue"
    ).fetchone()[0]
    assert shown["Unmapped GL lines"] == str(unmapped)
    jira = marts.execute(
        "select count(*) from mart_reconciliation where check_name = 'unmapped_jira_issue' and is_issue"
    ).fetchone()[0]
    assert jira > 0  # the shared PLAT project's issues outside P012's epics (ingest/demo/org.py)
    assert shown["Unmapped Jira issues"] == str(jira)
    assert shown["Missing FX rates"] == "0"
    assert shown["GL files tying out"] == "2 of 2"
    report = __import__("json").loads((demo_home / "reports" / "last_run.json").read_text())
    assert shown["Run status"] == "published"
    assert shown["Checks passed"] == str(sum(c["passed"] for c in report["checks"]))
    assert shown["Checks failed"] == "0"
    assert len(table(at, "rows_rejected")) == len(report["files"])
    issues = table(at, "difference_amount")
    assert (
        len(issues) == marts.execute("select count(*) from mart_reconciliation where is_issue").fetchone()[0]
    )
    assert len(charts(at)) == 1


# --- Missing values: "—", never None / nan ---------------------------------------------------------------

NOT_A_VALUE = re.compile(r"\b(None|nan|NaN|NaT|null|<NA>)\b")


def shown_texts(at: AppTest) -> list[str]:
    """What a reader sees as text: metric values, captions, messages, select options and table cells
    (a styled table's display values, else its raw cells)."""
    texts = [m.value for m in at.metric] + [c.value for c in at.caption]
    texts += [e.value for kind in ("info", "warning", "success", "error", "markdown") for e in at.get(kind)]
    texts += [str(o) for s in at.selectbox for o in s.options]
    for d in at.dataframe:
        display = d.proto.arrow_data.styler.display_values
        cells = pa.ipc.open_stream(display).read_all().to_pandas() if display else d.value
        texts += [str(v) for col in cells.columns for v in cells[col]]
    return texts


@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_none_or_nan_and_tables_show_a_dash_for_missing_cells(demo_home, monkeypatch, page):
    at = open_page(demo_home, page, monkeypatch)
    assert at.dataframe, page
    assert [d.key for d in at.dataframe if d.proto.placeholder != "\u2014"] == []
    assert [t for t in shown_texts(at) if NOT_A_VALUE.search(t)] == []


def test_a_benefit_whose_plan_has_not_started_shows_dashes(demo_home, marts, monkeypatch):
    """B12's plan starts in 2027-01 (ingest/demo/templates.py): nothing planned by 2026-10, so no
    realization % and no RAG; the page says so with a dash."""
    assert marts.execute(
        """select realization_ratio, rag from mart_benefits_realization
           where benefit_id = 'B12' order by month_start_on desc limit 1"""
    ).fetchone() == (None, None)
    at = open_page(demo_home, "benefits", monkeypatch)
    at.selectbox(key="benefit_id").select("B12").run()
    shown = metrics(at)
    assert (shown["Realization"], shown["RAG"]) == ("\u2014", "\u2014")
    cells = pa.ipc.open_stream(at.dataframe[0].proto.arrow_data.styler.display_values).read_all().to_pandas()
    b12 = cells[cells["Benefit"] == "B12"].iloc[0]
    assert b12["Realization"] == "\u2014" and b12["RAG"] == "\u2014"
    assert [t for t in shown_texts(at) if NOT_A_VALUE.search(t)] == []


def test_missing_values_are_formatted_as_a_dash():
    from orchestration.dashboard import layout

    assert layout.MISSING == "\u2014"
    for missing in (None, float("nan"), pd.NaT, pd.NA, "", "  "):
        assert layout.text(missing) == layout.number(missing) == layout.day(missing) == "\u2014"
    assert layout.text("B01") == "B01" and layout.text(0) == "0"
    assert layout.number(1234.5) == "1,234" and layout.number(0.456, "{:.0%}") == "46%"
    assert layout.day(pd.Timestamp("2026-10-31")) == "2026-10-31"


# --- Missing and empty data ------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_missing_published_file_says_run_make_run(tmp_path, monkeypatch, page):
    at = open_page(tmp_path / "nohome", page, monkeypatch)
    warnings = " ".join(w.value for w in at.warning)
    assert "run `make run` first" in warnings
    assert not at.dataframe and not charts(at)


@pytest.fixture(scope="module")
def empty_home(demo_home, tmp_path_factory) -> Path:
    """A published file with every table of the demo file and no rows; no run report."""
    home = tmp_path_factory.mktemp("empty") / "home"
    (home / "published").mkdir(parents=True)
    con = duckdb.connect(str(home / "published" / "vro.duckdb"))
    con.execute(f"attach '{demo_home / 'published' / 'vro.duckdb'}' as demo (read_only)")
    for (table,) in con.execute(
        "select table_name from duckdb_tables() where database_name = 'demo'"
    ).fetchall():
        con.execute(f"create table {table} as select * from demo.{table} limit 0")
    con.close()
    return home


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("portfolio", "mart_value_scorecard has no rows"),
        ("project", "dim_project has no rows"),
        ("benefits", "mart_benefits_realization has no rows"),
        ("strategy", "mart_strategic_alignment has no rows"),
        ("optimize", "mart_value_optimization has no rows"),
        ("trust", "mart_reconciliation is empty"),
    ],
)
def test_empty_marts_say_what_is_missing(empty_home, monkeypatch, page, message):
    at = open_page(empty_home, page, monkeypatch)
    infos = " ".join(i.value for i in at.info)
    assert message in infos
    if page == "trust":
        assert "No run report" in " ".join(w.value for w in at.warning)


def test_missing_mart_table_is_a_message_not_a_stack_trace(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "published").mkdir(parents=True)
    duckdb.connect(str(home / "published" / "vro.duckdb")).close()
    at = open_page(home, "project", monkeypatch)
    assert "lacks a table or column" in " ".join(w.value for w in at.warning)


def test_new_publication_is_picked_up_and_readers_never_lock_the_file(
    demo_home, empty_home, tmp_path, monkeypatch
):
    home = tmp_path / "home"
    (home / "published").mkdir(parents=True)
    target = home / "published" / "vro.duckdb"
    shutil.copy2(demo_home / "published" / "vro.duckdb", target)
    at = open_page(home, "portfolio", monkeypatch)
    assert len(table(at, "Value / cost")) == 20
    # The app keeps no connection open: a writer in another process can take the file's lock.
    writer = subprocess.run(
        [sys.executable, "-c", f"import duckdb; duckdb.connect({str(target)!r}).close()"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert writer.returncode == 0, writer.stderr
    # A run publishes by an atomic rename; the next rerun shows the new file (cache keyed by mtime).
    staged = home / "published" / "vro.duckdb.tmp"
    shutil.copy2(empty_home / "published" / "vro.duckdb", staged)
    os.replace(staged, target)
    at.run()
    assert "mart_value_scorecard has no rows" in " ".join(i.value for i in at.info)


# --- the value office's new marts ------------------------------------------------------------------------


def _money(text) -> float:
    return float(str(text).replace(",", ""))


def test_portfolio_page_shows_the_evm_trend_with_spi_cpi_from_the_project_marts(
    demo_home, marts, monkeypatch
):
    at = open_page(demo_home, "portfolio", monkeypatch)
    month, month_end = marts.execute(
        "select max(month_start_on), max(month_end_on) from mart_project_evm"
    ).fetchone()
    # the portfolio indices from the project mart's sums at the same month (not from mart_portfolio_evm)
    ev, pv, ac = marts.execute(
        "select sum(ev_amount), sum(pv_amount), sum(ac_amount) from mart_project_evm "
        "where month_start_on = ?",
        [month],
    ).fetchone()
    shown = metrics(at)
    assert shown["Portfolio SPI"] == f"{float(ev) / float(pv):.2f}"
    assert shown["Portfolio CPI"] == f"{float(ev) / float(ac):.2f}"
    trend = [c for c in charts(at) if "Portfolio SPI and CPI by month" in c.spec]  # a layered chart
    assert len(trend) == 1
    assert f"As of {month_end.isoformat()} · amounts in EUR · SPI = sum EV / sum PV" in captions(at)


def test_portfolio_page_budget_vs_actual_of_the_current_fiscal_year_ties_to_the_gl(
    demo_run, demo_home, marts, monkeypatch
):
    at = open_page(demo_home, "portfolio", monkeypatch)
    shown = table(at, "Actual capex").set_index("Project")
    as_of_end = marts.execute("select last_day(max(as_of_month_on)) from mart_value_scorecard").fetchone()[0]
    fiscal_year, start = marts.execute(
        """select fiscal_year, min(date_day_on) from dim_date
           where fiscal_year = (select fiscal_year from dim_date where date_day_on = ?)
           group by fiscal_year""",
        [as_of_end],
    ).fetchone()
    # actual spend of the fiscal year to the as-of month end, straight from the GL and labour facts
    actual = dict(
        marts.execute(
            """select project_id, sum(amount) from (
                   select project_id, reporting_amount as amount from fct_gl_line
                   where project_id is not null and posting_on between ? and ?
                   union all
                   select project_id, cost_reporting_amount from fct_labour_cost
                   where is_counted and work_on between ? and ?
               ) group by project_id""",
            [start, as_of_end, start, as_of_end],
        ).fetchall()
    )
    assert actual and set(actual) <= set(shown.index)
    for project_id, amount in actual.items():
        row = shown.loc[project_id]
        assert row["Actual"] == pytest.approx(float(amount), abs=0.01)
        split = row["Actual capex"] + row["Actual opex"] + row["Actual unclassified"] + row["Actual labour"]
        assert split == pytest.approx(float(amount), abs=0.05)
    assert metrics(at)[f"Actual {fiscal_year} to date"] == f"{float(sum(actual.values())):,.0f}"
    assert f"fiscal year {fiscal_year}" in captions(at)
    assert f"As of {as_of_end.isoformat()} · amounts in EUR" in captions(at)
    # the scorecard's filters apply: the Claims portfolio's projects, as the registry export lists them
    with (demo_run.landing / "registry" / "projects.csv").open(newline="", encoding="utf-8") as fh:
        claims = {r["project_id"] for r in csv.DictReader(fh) if r["portfolio"] == "Claims"}
    at.multiselect(key="portfolio_portfolio").select("Claims").run()
    kept = set(table(at, "Actual capex")["Project"])
    assert kept and kept <= claims
    assert metrics(at)[f"Actual {fiscal_year} to date"] == (
        f"{float(sum(v for p, v in actual.items() if p in claims)):,.0f}"
    )


def test_project_page_baseline_changes_of_the_rebaselined_project(demo_run, demo_home, marts, monkeypatch):
    at = open_page(demo_home, "project", monkeypatch)
    at.selectbox(key="project_id").select("P007").run()
    assert not at.exception
    shown = table(at, "Slip vs original (days)")
    # one row per schedule snapshot the demo wrote for P007 (file name: <name>_<status date>.xml)
    registry = (demo_run.landing / "registry" / "projects.csv").read_text(encoding="utf-8")
    name = next(line.split(",")[12] for line in registry.splitlines() if line.startswith("P007,"))
    dates = sorted(p.stem.rsplit("_", 1)[1] for p in (demo_run.landing / "msproject").glob(f"{name}_*.xml"))
    assert [pd.Timestamp(d).date().isoformat() for d in shown["Status date"]] == dates
    # BAC at each status date = the leaf tasks' baseline 0 cost in that MSPDI file (cost in cents)
    ns = {"p": "http://schemas.microsoft.com/project"}
    for date, bac in zip(dates, shown["BAC"], strict=True):
        root = ET.parse(demo_run.landing / "msproject" / f"{name}_{date}.xml").getroot()
        cost = sum(
            float(b.findtext("p:Cost", namespaces=ns)) / 100
            for t in root.find("p:Tasks", ns).findall("p:Task", ns)
            if t.findtext("p:UID", namespaces=ns) != "0" and t.findtext("p:Summary", namespaces=ns) != "1"
            for b in t.findall("p:Baseline", ns)
            if b.findtext("p:Number", namespaces=ns) == "0"
        )
        assert float(bac) == pytest.approx(cost, abs=0.01)
    # the demo re-baselined P007 (a shorter, cheaper original plan): the first snapshot differs from it
    assert shown["Re-baselined"].iloc[0]
    assert (shown["Slip vs original (days)"] > 0).all()
    assert "Baseline changes (dashed purple lines on the S-curve):" in captions(at)
    s_curve = next(c for c in charts(at) if "Earned value S-curves" in c.spec)
    assert len(json.loads(s_curve.spec)["layer"]) == 2  # the curves and the re-baseline markers


def test_project_page_budget_by_fiscal_year_and_sprint_velocity(demo_run, demo_home, marts, monkeypatch):
    at = open_page(demo_home, "project", monkeypatch)
    budget = table(at, "Fiscal year")
    years = dict(
        marts.execute(
            """select d.fiscal_year, sum(g.amount) from (
                   select posting_on as day_on, reporting_amount as amount from fct_gl_line
                   where project_id = 'P001'
                   union all
                   select work_on, cost_reporting_amount from fct_labour_cost
                   where project_id = 'P001' and is_counted
               ) g
               join dim_date d on d.date_day_on = g.day_on
               where g.day_on <= (select last_day(max(as_of_month_on)) from mart_value_scorecard)
               group by d.fiscal_year"""
        ).fetchall()
    )
    shown = budget.set_index("Fiscal year")
    for year, amount in years.items():
        assert shown.loc[year, "Actual"] == pytest.approx(float(amount), abs=0.01)
    # the sprints of P001's board (CLM), as the Jira JSON export names them
    names = set()
    for page in (demo_run.landing / "jira").glob("search_jql_page_*.json"):
        for issue in json.loads(page.read_text(encoding="utf-8"))["issues"]:
            if issue["fields"]["project"]["key"] == "CLM":
                names |= {s["name"] for s in issue["fields"]["customfield_10020"] or []}
    velocity = table(at, "Committed points")
    assert set(velocity["Sprint"]) == names
    assert (velocity["Completed points"].fillna(0) <= velocity["Committed points"].fillna(0)).all()
    assert "Velocity, mean of the last 3 closed sprints (points)" in metrics(at)
