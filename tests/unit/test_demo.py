"""The demo generator: deterministic bytes, and a summary that ties out against the files it wrote."""

from __future__ import annotations

import collections
import csv
import datetime as dt
import hashlib
import io
import json
import random
import time
import xml.etree.ElementTree as ET
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from ingest.demo.build import write_demo
from ingest.demo.finance import is_target_day
from ingest.demo.jira import csv_date

NS = {"p": "http://schemas.microsoft.com/project"}


def _hashes(landing: Path) -> dict[str, str]:
    return {
        str(p.relative_to(landing)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(landing.rglob("*"))
        if p.is_file()
    }


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    landing = tmp_path_factory.mktemp("demo") / "landing"
    started = time.perf_counter()
    summary = write_demo(landing, seed=7, scale="S")
    return landing, summary, time.perf_counter() - started


@pytest.fixture(scope="module")
def jira_issues(demo) -> list[dict]:
    landing, _, _ = demo
    issues = []
    for page in sorted((landing / "jira").glob("search_jql_page_*.json")):
        issues += json.loads(page.read_text(encoding="utf-8"))["issues"]
    return issues


# ---- determinism ---------------------------------------------------------------------------------


def test_same_seed_gives_identical_bytes_and_other_seed_differs(demo, tmp_path):
    landing, summary, _ = demo
    again = write_demo(tmp_path / "again", seed=7)
    other = write_demo(tmp_path / "other", seed=8)
    first = _hashes(landing)
    assert len(first) == sum(summary.files.values()) == 62
    assert _hashes(tmp_path / "again") == first
    assert again.to_dict() == summary.to_dict()
    other_hashes = _hashes(tmp_path / "other")
    changed = [name for name in first if other_hashes.get(name) != first[name]]
    assert len(changed) > len(first) // 2
    assert other.gl_totals != summary.gl_totals


def test_summary_is_json_serialisable(demo):
    _, summary, _ = demo
    data = json.loads(json.dumps(summary.to_dict()))
    assert data["projects"] == 20
    assert data["files"] == {
        "jira": 6,
        "msproject": 39,
        "finance": 4,
        "benefits": 5,
        "strategy": 2,
        "registry": 2,
        "worklogs": 2,
        "rates": 2,
    }


def test_unknown_scale_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown demo scale 'XL'"):
        write_demo(tmp_path, scale="XL")


# ---- registry and strategy -----------------------------------------------------------------------


def test_registry_rows_and_special_projects(demo):
    landing, summary, _ = demo
    rows = {r["project_id"]: r for r in _rows(landing / "registry" / "projects.csv")}
    assert summary.registry_projects == len(rows) == 20
    assert list(rows) == [f"P{n:03d}" for n in range(1, 21)]
    assert rows["P002"]["jira_project_keys"] == "CRM;CRMD"
    assert rows["P005"]["finance_codes"] == "PR-1005.01;PR-1005.02"
    assert rows["P012"]["jira_project_keys"] == ""
    assert rows["P012"]["jira_epic_keys"] == "PLAT-1;PLAT-2"
    assert (rows["P003"]["status"], rows["P003"]["closed_date"]) == ("closed", "2025-12-19")
    assert [r["project_id"] for r in rows.values() if r["status"] == "closed"] == ["P003"]
    assert {r["finance_codes"][3] for r in rows.values()} == {"1", "2"}  # two company codes


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    out, cur = [], first.replace(day=1)
    while cur <= last:
        out.append(cur)
        cur = (cur.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def test_alignment_weights_at_most_one_per_project_in_every_month(demo):
    landing, summary, _ = demo
    rows = _rows(landing / "strategy" / "alignment.csv")
    assert summary.alignment_rows == len(rows)
    months = _month_starts(dt.date(2024, 11, 1), dt.date(2026, 10, 1))
    per_project = collections.defaultdict(list)
    for r in rows:
        per_project[r["project_id"]].append(r)
    assert len(per_project) == 20
    for project, items in per_project.items():
        for month in months:
            month_last = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            active = [
                r
                for r in items
                if dt.date.fromisoformat(r["effective_from"]) <= month_last
                and (not r["effective_to"] or dt.date.fromisoformat(r["effective_to"]) >= month)
            ]
            assert sum(Decimal(r["weight"]) for r in active) <= 1, (project, month)
    moved = [(r["objective_id"], r["effective_from"], r["effective_to"]) for r in per_project["P009"]]
    assert [(m[0], m[2]) for m in moved] == [("OBJ-3", "2025-12-31"), ("OBJ-1", "")]
    assert moved[1][1] == "2026-01-01" and moved[0][1] < moved[1][1]
    objectives = _rows(landing / "strategy" / "objectives.csv")
    assert [o["objective_id"] for o in objectives] == ["TH-1", "TH-2", "OBJ-1", "OBJ-2", "OBJ-3", "OBJ-4"]
    assert {r["objective_id"] for r in rows} <= {o["objective_id"] for o in objectives}


# ---- finance -------------------------------------------------------------------------------------


def _gl_lines(landing: Path) -> dict[str, list[dict]]:
    """Signed Decimal amounts re-read from both GL files."""
    out = {}
    cji3 = []
    for r in _rows(landing / "finance" / "gl_actuals_1000_cji3.csv"):
        amount = Decimal(r["Value TranCurr"].replace(",", ""))
        assert r["Debit/Credit ind"] in ("S", "H")
        cji3.append(
            {
                "doc": r["Document Number"],
                "code": r["WBS Element"],
                "currency": r["Transaction Currency"],
                "text": r["Document Header Text"],
                "amount": amount if r["Debit/Credit ind"] == "S" else -amount,
                "posted_on": dt.datetime.strptime(r["Posting Date"], "%d.%m.%Y").date(),
            }
        )
    out["finance/gl_actuals_1000_cji3.csv"] = cji3
    generic = []
    for r in _rows(landing / "finance" / "gl_actuals_2000_generic.csv"):
        text = r["amount"]
        amount = -Decimal(text[1:-1]) if text.startswith("(") else Decimal(text)
        generic.append(
            {
                "doc": r["document_number"],
                "code": r["project_code"],
                "currency": r["currency"],
                "amount": amount,
                "text": r["description"],
                "posted_on": dt.date.fromisoformat(r["posting_date"]),
            }
        )
    out["finance/gl_actuals_2000_generic.csv"] = generic
    return out


def test_gl_line_counts_and_totals_tie_out_to_the_cent(demo):
    landing, summary, _ = demo
    files = _gl_lines(landing)
    assert summary.gl_lines == {name: len(lines) for name, lines in files.items()}
    assert all(n > 500 for n in summary.gl_lines.values())
    totals = collections.defaultdict(Decimal)
    for lines in files.values():
        for line in lines:
            totals[line["currency"]] += line["amount"]
    assert summary.gl_totals == {cur: f"{total:.2f}" for cur, total in totals.items()}
    assert set(summary.gl_totals) == {"EUR", "GBP"}


def test_registry_codes_cover_all_but_the_deliberately_unknown_gl_codes(demo):
    landing, summary, _ = demo
    known = {c for r in _rows(landing / "registry" / "projects.csv") for c in r["finance_codes"].split(";")}
    lines = [line for lines in _gl_lines(landing).values() for line in lines]
    unknown = [line for line in lines if line["code"] and line["code"] not in known]
    assert 3 <= len(unknown) <= 5
    assert sorted({line["code"] for line in unknown}) == summary.gl_unknown_codes
    assert sum(1 for line in lines if not line["code"]) == 5  # overhead, kept
    assert {line["code"] for line in lines if line["code"] in known} == known  # every code has spend


def test_reversals_mirror_their_original_documents(demo):
    landing, _, _ = demo
    reversals = 0
    for lines in _gl_lines(landing).values():
        by_doc = collections.defaultdict(list)
        for line in lines:
            by_doc[line["doc"]].append(line)
        for doc_lines in by_doc.values():
            if doc_lines[0]["text"].startswith("Reversal of "):
                original = by_doc[doc_lines[0]["text"].removeprefix("Reversal of ")]
                mirrored = [(x["code"], -x["amount"]) for x in doc_lines]
                assert mirrored == [(x["code"], x["amount"]) for x in original]
                reversals += 1
    assert reversals == 5


def test_closed_project_stops_spending_at_close(demo):
    landing, _, _ = demo
    rows = _rows(landing / "finance" / "gl_actuals_1000_cji3.csv")
    dates = [
        dt.datetime.strptime(r["Posting Date"], "%d.%m.%Y").date()
        for r in rows
        if r["WBS Element"] == "PR-1003.01"
    ]
    assert dates and max(dates) <= dt.date(2025, 12, 19)


def test_budgets_original_everywhere_and_revised_for_the_rebaselined_project(demo):
    landing, summary, _ = demo
    rows = _rows(landing / "finance" / "budgets.csv")
    assert summary.budgets == len(rows)
    assert {r["version"] for r in rows} == {"original", "revised"}
    assert {r["project_code"] for r in rows if r["version"] == "revised"} == {"PR-1007.01"}
    original = sum(
        Decimal(r["amount"]) for r in rows if r["project_code"] == "PR-1007.01" and r["version"] == "original"
    )
    revised = sum(Decimal(r["amount"]) for r in rows if r["version"] == "revised")
    assert revised > original
    assert {r["currency"] for r in rows if r["project_code"].startswith("PR-2")} == {"GBP"}


def test_fx_file_has_a_gbp_rate_for_every_business_day(demo):
    landing, summary, _ = demo
    text = (landing / "finance" / "eurofxref-hist.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("Date,USD,JPY,BGN,CYP,") and lines[0].endswith(",ZAR,")
    header = lines[0].split(",")
    gbp = header.index("GBP")
    rows = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    dates = [dt.date.fromisoformat(d) for d in rows]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert summary.fx_days == len(rows)
    day, expected = dates[-1], []
    while day <= dates[0]:
        if is_target_day(day):
            expected.append(day)
        day += dt.timedelta(days=1)
    assert sorted(dates) == expected
    assert all(d.weekday() < 5 for d in dates)
    assert dt.date(2025, 12, 25) not in dates and dt.date(2025, 4, 18) not in dates  # TARGET holidays
    assert all(0.7 < float(rows[d.isoformat()][gbp]) < 1.0 for d in dates)
    assert rows["2025-12-31"][header.index("BGN")] == "1.9558"
    assert rows["2026-01-02"][header.index("BGN")] == "N/A"
    assert all(r[-1] == "" for r in rows.values())  # the trailing comma


# ---- MS Project ----------------------------------------------------------------------------------


def _tasks(path: Path) -> list[ET.Element]:
    return ET.parse(path).getroot().findall("p:Tasks/p:Task", NS)


def _num(task: ET.Element, tag: str) -> Decimal:
    return Decimal(task.find(f"p:{tag}", NS).text)


def test_mspdi_files_tasks_and_snapshots(demo):
    landing, summary, _ = demo
    files = sorted((landing / "msproject").glob("*.xml"))
    assert summary.msp_files == len(files) == 39
    assert summary.msp_tasks == sum(len(_tasks(f)) for f in files)
    registry = {r["msproject_names"]: r for r in _rows(landing / "registry" / "projects.csv")}
    by_name = collections.defaultdict(dict)
    for f in files:
        root = ET.parse(f).getroot()
        name = root.find("p:Name", NS).text
        status = root.find("p:StatusDate", NS).text[:10]
        assert f.name == f"{name}_{status}.xml"
        assert root.find("p:SaveVersion", NS).text == "14"
        alias = root.find("p:ExtendedAttributes/p:ExtendedAttribute/p:Alias", NS).text
        assert alias == "VRO Project Id"
        top = _tasks(f)[0]
        assert (top.find("p:UID", NS).text, top.find("p:OutlineLevel", NS).text) == ("0", "0")
        assert top.find("p:ExtendedAttribute/p:Value", NS).text == registry[name]["project_id"]
        by_name[name][status] = int(top.find("p:PercentComplete", NS).text)
    assert set(by_name) == set(registry)
    for name, snaps in by_name.items():
        if registry[name]["status"] == "closed":
            assert snaps == {"2025-12-19": 100}
        else:
            assert list(snaps) == ["2026-04-30", "2026-10-31"]
            assert 0 < snaps["2026-04-30"] < snaps["2026-10-31"]


def test_mspdi_leaf_costs_roll_up_and_earned_value_is_consistent(demo):
    landing, _, _ = demo
    path = landing / "msproject" / "CLM-Claims-Automation_2026-10-31.xml"
    tasks = _tasks(path)
    leaves = [t for t in tasks if t.find("p:Summary", NS).text == "0"]
    for t in tasks:
        baseline0 = [b for b in t.findall("p:Baseline", NS) if b.find("p:Number", NS).text == "0"]
        assert len(baseline0) == 1
    for t in leaves:
        pc = _num(t, "PercentComplete")
        cost = Decimal(t.find("p:Baseline/p:Cost", NS).text)
        assert _num(t, "BCWP") == (cost * pc / 100).to_integral_value(rounding="ROUND_FLOOR")
        assert _num(t, "BCWS") <= cost
        assert _num(t, "Cost") == _num(t, "ActualCost") + _num(t, "RemainingCost")
        assert (t.find("p:ActualFinish", NS) is not None) == (pc == 100)
    top = tasks[0]
    for tag in ("Cost", "BCWS", "BCWP", "ACWP"):
        assert _num(top, tag) == sum(_num(t, tag) for t in leaves), tag


def test_rebaselined_project_keeps_the_original_plan_in_baseline_1(demo):
    landing, _, _ = demo
    top = _tasks(landing / "msproject" / "DMS-Document-Management-Upgrade_2026-10-31.xml")[0]
    baselines = {b.find("p:Number", NS).text: b for b in top.findall("p:Baseline", NS)}
    assert set(baselines) == {"0", "1"}
    assert _num(baselines["0"], "Cost") > _num(baselines["1"], "Cost")
    assert baselines["0"].find("p:Finish", NS).text > baselines["1"].find("p:Finish", NS).text


# ---- Jira ----------------------------------------------------------------------------------------


def test_jira_json_pages_counts_and_tokens(demo, jira_issues):
    landing, summary, _ = demo
    pages = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((landing / "jira").glob("search_jql_page_*.json"))
    ]
    assert summary.jira_json_pages == len(pages) == 4
    assert [("nextPageToken" in p, p["isLast"]) for p in pages] == [(True, False)] * 3 + [(False, True)]
    assert summary.jira_issues == len(jira_issues) == len({i["key"] for i in jira_issues})
    status_items = [
        item
        for i in jira_issues
        for h in i["changelog"]["histories"]
        for item in h["items"]
        if item["field"] == "status"
    ]
    assert summary.jira_status_changes == len(status_items)
    keys = {i["fields"]["project"]["key"] for i in jira_issues}
    assert {"CLM", "CRM", "CRMD", "PLAT", "UKL"} <= keys


def test_jira_changelogs_agree_with_status_and_dates(jira_issues):
    ids = {
        "To Do": "10000",
        "In Progress": "3",
        "In Review": "10001",
        "Done": "10002",
        "Ready for Review": "10003",
        "Blocked": "10004",
    }
    categories = {"10000": "new", "10002": "done"} | {
        i: "indeterminate" for i in ("3", "10001", "10003", "10004")
    }
    back_and_forth = queued_then_reviewed = unblocked = 0
    for issue in jira_issues:
        f = issue["fields"]
        assert ids[f["status"]["name"]] == f["status"]["id"]
        assert categories[f["status"]["id"]] == f["status"]["statusCategory"]["key"]
        histories = issue["changelog"]["histories"]
        created = [h["created"] for h in histories]
        assert created == sorted(created, reverse=True)  # newest first
        moves = [item for h in reversed(histories) for item in h["items"] if item["field"] == "status"]
        current = "10000"
        for move in moves:
            assert move["from"] == current
            current = move["to"]
            back_and_forth += move["to"] == "3" and move["from"] == "10001"
            queued_then_reviewed += move["to"] == "10001" and move["from"] == "10003"
            unblocked += move["to"] == "3" and move["from"] == "10004"
        assert current == f["status"]["id"]
        if f["status"]["id"] == "10002":
            done_at = [h["created"] for h in histories if any(i["field"] == "status" for i in h["items"])][0]
            assert f["resolutiondate"] == done_at
        else:
            assert f["resolutiondate"] is None
        assert all(f["created"] <= c <= f["updated"] for c in created)
        if f["issuetype"]["name"] != "Epic":
            assert f["parent"]["fields"]["issuetype"]["name"] == "Epic"
    assert back_and_forth > 0
    # the queues: work waits for review, some of it is blocked for a while and back in progress
    assert queued_then_reviewed > 0 and unblocked > 0
    types = collections.Counter(i["fields"]["issuetype"]["name"] for i in jira_issues)
    assert set(types) == {"Epic", "Story", "Task", "Bug"}
    statuses = collections.Counter(i["fields"]["status"]["name"] for i in jira_issues)
    assert set(statuses) == set(ids)


def test_jira_csv_pages_match_the_json(demo, jira_issues):
    landing, summary, _ = demo
    by_key = {i["key"]: i for i in jira_issues}
    headers = []
    multiline = 0
    for n, rows_expected in enumerate(summary.jira_csv_rows, start=1):
        path = landing / "jira" / f"export_all_fields_page_{n}.csv"
        assert path.read_bytes().startswith(b"\xef\xbb\xbf") == (n == 1)
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        header, data = rows[0], rows[1:]
        assert header[0] == "Summary" and header[-2:] == ["Status Category", "Status Category Changed"]
        assert len(data) == rows_expected
        headers.append(collections.Counter(header))
        for row in data:
            record = dict(zip(header, row, strict=True))  # the last of repeated columns wins; fine here
            issue = by_key[record["Issue key"]]
            updated = dt.datetime.strptime(issue["fields"]["updated"][:19], "%Y-%m-%dT%H:%M:%S")
            assert record["Updated"] == csv_date(updated)
            assert record["Status"] == issue["fields"]["status"]["name"]
            labels = [v for h, v in zip(header, row, strict=True) if h == "Labels" and v]
            assert labels == issue["fields"]["labels"]
            sprints = [v for h, v in zip(header, row, strict=True) if h == "Sprint" and v]
            assert sprints == [s["name"] for s in issue["fields"]["customfield_10020"] or []]
            multiline += "\n" in record["Description"]
    assert len(headers) == 2
    assert headers[0]["Labels"] != headers[1]["Labels"]
    assert headers[0]["Sprint"] != headers[1]["Sprint"]
    assert multiline >= 3


# ---- hand-built text: what json.dumps and csv.writer would write ----------------------------------


def test_json_pages_are_what_json_dumps_writes(demo):
    """The pages are put together from pre-encoded pieces: re-encoding a page gives the same text."""
    landing, _, _ = demo
    for page in sorted((landing / "jira").glob("search_jql_page_*.json")):
        text = page.read_text(encoding="utf-8")
        assert json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":")) == text


@pytest.mark.parametrize("pattern, line_end", [("jira/*.csv", "\n"), ("finance/gl_actuals_*.csv", "\r\n")])
def test_csv_lines_are_what_csv_writer_writes(demo, pattern, line_end):
    """The Jira and GL lines are built as text: csv.writer writes the same for the cells read back."""
    landing, _, _ = demo
    paths = sorted(landing.glob(pattern))
    assert paths
    for path in paths:
        text = path.read_bytes().decode("utf-8-sig")
        out = io.StringIO()
        csv.writer(out, lineterminator=line_end).writerows(csv.reader(io.StringIO(text, newline="")))
        assert out.getvalue() == text


def test_gl_shares_round_as_decimal_does():
    """The GL splits amounts in integer cents; they round as money(total * Decimal(str(share))) does,
    ties and near-ties included."""
    from ingest.demo.finance import _cents_times

    def decimal_cents(total: int, share: float) -> int:
        exact = Decimal(total) / 100 * Decimal(str(share))
        return int(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)

    rng = random.Random(3)
    cases = [(rng.randrange(1, 10 ** rng.randint(2, 10)), rng.random()) for _ in range(20000)]
    for _ in range(20000):  # shares that put the product on (or next to) half a cent
        total = rng.randrange(2, 10**8)
        cases.append((total, (rng.randrange(total - 1) + 0.5) / total))
    cases += [(1, 0.5), (3, 0.5), (5, 0.1), (12345, 0.0001), (7, 1e-05)]
    assert all(_cents_times(total, share) == decimal_cents(total, share) for total, share in cases)


# ---- benefits ------------------------------------------------------------------------------------


def test_benefits_register_snapshots_and_rebaselined_target(demo):
    landing, summary, _ = demo
    first = {r["benefit_id"]: r for r in _rows(landing / "benefits" / "benefits_register_2025-06-30.csv")}
    latest = {r["benefit_id"]: r for r in _rows(landing / "benefits" / "benefits_register_2026-03-31.csv")}
    assert summary.benefit_register_rows == {"2025-06-30": len(first), "2026-03-31": len(latest)}
    assert summary.benefits == len(latest) == 26
    assert set(first) < set(latest)
    assert (first["B04"]["target_value"], latest["B04"]["target_value"]) == ("32", "28")
    assert first["B04"]["target_date"] < latest["B04"]["target_date"]
    changed = [b for b in first if first[b] != latest[b]]
    assert "B04" in changed
    categories = collections.Counter(r["category"] for r in latest.values())
    assert categories["dis_benefit"] == 1
    assert categories["societal"] >= 1 and categories["cash_releasing"] >= 5
    assert {r["aggregation"] for r in latest.values()} == {"sum", "latest"}
    assert {r["direction"] for r in latest.values()} == {"increase", "decrease"}
    assert all(r["value_per_unit"] for r in latest.values() if r["category"] == "cash_releasing")


def test_attribution_shares_at_most_one_per_benefit(demo):
    landing, summary, _ = demo
    rows = _rows(landing / "benefits" / "attribution.csv")
    assert summary.attribution_rows == len(rows)
    shares = collections.defaultdict(Decimal)
    for r in rows:
        shares[r["benefit_id"]] += Decimal(r["share"])
    assert all(s <= 1 for s in shares.values())
    shared = [b for b in shares if sum(r["benefit_id"] == b for r in rows) > 1]
    assert shared == ["B07"] and shares["B07"] == 1


def test_plan_and_measurements(demo):
    landing, summary, _ = demo
    plan = _rows(landing / "benefits" / "benefit_plan.csv")
    readings = _rows(landing / "benefits" / "kpi_measurements.csv")
    assert summary.benefit_plan_rows == len(plan)
    assert summary.measurements == len(readings)
    months = collections.defaultdict(set)
    for r in readings:
        months[r["kpi_id"]].add(r["measured_on"][:7])
    # the closed project's payment benefits are still measured after its closed date (2025-12-19)
    assert "2026-10" in months["KPI-PAY-COST"] and "2026-01" in months["KPI-PAY-COST"]
    # the stale KPI stops reporting after June 2026
    assert max(months["KPI-BRK-ADOPT"]) == "2026-06"
    assert all(max(m) == "2026-10" for kpi, m in months.items() if kpi != "KPI-BRK-ADOPT")
    # plans ramp up: per benefit, planned values never fall
    by_benefit = collections.defaultdict(list)
    for r in plan:
        by_benefit[r["benefit_id"]].append(abs(Decimal(r["planned_value"])))
    assert all(values == sorted(values) for values in by_benefit.values())
    # the dis-benefit's planned improvement is negative (bad)
    assert all(Decimal(r["planned_value"]) <= 0 for r in plan if r["benefit_id"] == "B25")


# ---- the benefits story as of 2026-10 (ingest/demo/templates.py tells it as a table) -------------

AS_OF_MONTH = dt.date(2026, 10, 1)
ON_TRACK = {
    "B01",
    "B02",
    "B04",
    "B06",
    "B09",
    "B13",
    "B14",
    "B16",
    "B17",
    "B18",
    "B19",
    "B20",
    "B22",
    "B23",
    "B26",
}
LAGGING = {"B03", "B07", "B10", "B11", "B21", "B24"}


def _month(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:7] + "-01")


@pytest.fixture(scope="module")
def benefit_story(demo) -> dict[str, dict]:
    """Per benefit, by the value office's rules: the first planned month, the readings since then, and
    realized / planned improvement cumulated to 2026-10 (readings before the plan count in nothing)."""
    landing, _, _ = demo
    register = {r["benefit_id"]: r for r in _rows(landing / "benefits" / "benefits_register_2026-03-31.csv")}
    plan = collections.defaultdict(dict)
    for r in _rows(landing / "benefits" / "benefit_plan.csv"):
        plan[r["benefit_id"]][_month(r["period"])] = float(r["planned_value"])
    readings = collections.defaultdict(list)
    for r in _rows(landing / "benefits" / "kpi_measurements.csv"):
        readings[r["kpi_id"]].append((_month(r["measured_on"]), float(r["value"])))
    out = {}
    for bid, b in register.items():
        first = min(m for m, v in plan[bid].items() if v != 0)
        sign = 1 if b["direction"] == "increase" else -1
        base = float(b["baseline_value"])
        since = [(m, sign * (v - base)) for m, v in readings[b["kpi_id"]] if first <= m <= AS_OF_MONTH]
        planned = sum(v for m, v in plan[bid].items() if m <= AS_OF_MONTH)
        realized = sum(v for _, v in since)
        out[bid] = {
            "register": b,
            "plan_from": first,
            "readings_since_plan": len(since),
            "before_plan": [v for m, v in readings[b["kpi_id"]] if m < first],
            "improvements": since,
            "realization": realized / planned if planned else None,
        }
    return out


def test_most_benefits_started_realizing_between_2025_and_mid_2026(benefit_story):
    started = [
        b for b, s in benefit_story.items() if dt.date(2025, 1, 1) <= s["plan_from"] <= dt.date(2026, 7, 1)
    ]
    assert len(started) == 25 and set(benefit_story) - set(started) == {"B12"}
    assert all(benefit_story[b]["readings_since_plan"] >= 4 for b in started)  # a forecast needs 3
    assert benefit_story["B12"]["plan_from"] == dt.date(2027, 1, 1)
    assert benefit_story["B12"]["realization"] is None  # nothing planned yet: no realization %


def test_benefits_are_on_track_lagging_ahead_as_the_story_says(benefit_story):
    pct = {b: s["realization"] for b, s in benefit_story.items()}
    assert {b for b in ON_TRACK if not 0.95 <= pct[b] <= 1.10} == set()
    assert {b for b in LAGGING if not 0.50 <= pct[b] <= 0.75} == set()
    assert pct["B08"] > 1.2  # ahead
    # stale: readings stop after June, the plan goes on, so realization falls behind
    assert benefit_story["B15"]["improvements"][-1][0] == dt.date(2026, 6, 1)
    assert pct["B15"] < 0.5
    # the dis-benefit: planned and realized improvement are negative, and worse than planned
    dis = benefit_story["B25"]
    assert dis["register"]["category"] == "dis_benefit"
    assert all(v < 0 for _, v in dis["improvements"])
    assert 1.0 < pct["B25"] < 1.2


def test_readings_before_the_plan_scatter_around_the_baseline(benefit_story):
    for bid, s in benefit_story.items():
        base = float(s["register"]["baseline_value"])
        before = s["before_plan"]
        assert len(before) >= 5, bid  # every KPI has a baseline period
        if base == 0:  # nothing to measure yet (cloud bill, portal adoption)
            assert set(before) == {0.0}, bid
            continue
        assert all(abs(v - base) <= 0.1 * base for v in before), bid
        if s["register"]["unit"] not in ("incidents",):
            assert len(set(before)) > 1, bid  # noisy, not a flat line


def test_closed_projects_benefit_realizes_after_close(benefit_story):
    after_close = [(m, v) for m, v in benefit_story["B06"]["improvements"] if m > dt.date(2025, 12, 1)]
    assert len(after_close) == 10  # 2026-01 to 2026-10
    assert all(v > 0 for _, v in after_close)
    assert benefit_story["B06"]["register"]["value_per_unit"]  # monetised
    assert benefit_story["B06"]["register"]["status"] == "realizing"  # tracked, not closed


def test_one_benefit_names_its_own_objective_and_one_target_is_rebaselined(demo, benefit_story):
    landing, _, _ = demo
    named = {
        b: s["register"]["objective_id"] for b, s in benefit_story.items() if s["register"]["objective_id"]
    }
    assert named == {"B20": "OBJ-2"}
    p015 = {
        r["objective_id"] for r in _rows(landing / "strategy" / "alignment.csv") if r["project_id"] == "P015"
    }
    assert "OBJ-2" not in p015  # the register row, not the project's alignment, decides B20's objective
    b04 = benefit_story["B04"]
    assert b04["register"]["target_value"] == "28"
    plan = _rows(landing / "benefits" / "benefit_plan.csv")
    assert max(float(r["planned_value"]) for r in plan if r["benefit_id"] == "B04") == 10  # 28 - 18
    assert not all(s["register"]["value_per_unit"] for s in benefit_story.values())  # some not monetised


R_MONTHLY = 0.08 / 12


def _add_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _months_since(first: dt.date, day: dt.date) -> int:
    return (day.year - first.year) * 12 + day.month - first.month


def _project_costs(landing: Path) -> dict[str, dict[dt.date, float]]:
    """Whole-life cost per project and month in its own currency: GL actual cost by posting month up to
    2026-10, then the remaining baseline PV (latest schedule) scaled to ETC = BAC / CPI - AC."""
    registry = _rows(landing / "registry" / "projects.csv")
    code_to = {c: r["project_id"] for r in registry for c in r["finance_codes"].split(";")}
    ac = collections.defaultdict(lambda: collections.defaultdict(float))
    for lines in _gl_lines(landing).values():
        for line in lines:
            if line["code"] in code_to:
                ac[code_to[line["code"]]][line["posted_on"].replace(day=1)] += float(line["amount"])
    latest: dict[str, tuple] = {}
    for path in sorted((landing / "msproject").glob("*.xml")):
        root = ET.parse(path).getroot()
        status = root.find("p:StatusDate", NS).text[:10]
        tasks = _tasks(path)
        pid = tasks[0].find("p:ExtendedAttribute/p:Value", NS).text
        if pid not in latest or latest[pid][0] < status:
            latest[pid] = (status, tasks)
    costs = {}
    for r in registry:
        pid = r["project_id"]
        _, tasks = latest[pid]
        pv = collections.defaultdict(float)
        for t in tasks:
            if t.find("p:Summary", NS).text != "0":
                continue
            b0 = next(b for b in t.findall("p:Baseline", NS) if b.find("p:Number", NS).text == "0")
            cost = float(b0.find("p:Cost", NS).text) / 100
            day, finish = (
                dt.date.fromisoformat(b0.find(f"p:{f}", NS).text[:10]) for f in ("Start", "Finish")
            )
            workdays = [day + dt.timedelta(n) for n in range((finish - day).days + 1)]
            workdays = [d for d in workdays if d.weekday() < 5]
            for d in workdays:
                pv[d.replace(day=1)] += cost / len(workdays)
        bac = sum(pv.values())
        ev = float(tasks[0].find("p:BCWP", NS).text) / 100
        months = {m: v for m, v in ac[pid].items() if m <= AS_OF_MONTH}
        actual = sum(months.values())
        etc = 0.0 if r["status"] == "closed" else max(0.0, bac * actual / ev - actual)
        remaining = {m: v for m, v in pv.items() if m > AS_OF_MONTH}
        for m, v in remaining.items():
            months[m] = months.get(m, 0.0) + v / sum(remaining.values()) * etc
        if etc and not remaining:
            months[_add_month(AS_OF_MONTH)] = etc
        costs[pid] = months
    return costs


def test_whole_life_npv_is_positive_for_six_projects_and_negative_for_the_rest(demo, benefit_story):
    """Benefits: attributed realized value to 2026-10, then attributed planned value to the end of the
    plan; costs as in _project_costs; discounted monthly at 8 %/12 from the project's start month."""
    landing, _, _ = demo
    costs = _project_costs(landing)
    plan = collections.defaultdict(dict)
    for r in _rows(landing / "benefits" / "benefit_plan.csv"):
        plan[r["benefit_id"]][_month(r["period"])] = float(r["planned_value"])
    npv = {}
    for r in _rows(landing / "registry" / "projects.csv"):
        pid, start = r["project_id"], _month(r["start_date"])
        flows = collections.defaultdict(float)
        for m, v in costs[pid].items():
            flows[m] -= v
        for a in _rows(landing / "benefits" / "attribution.csv"):
            if a["project_id"] != pid or not benefit_story[a["benefit_id"]]["register"]["value_per_unit"]:
                continue
            story = benefit_story[a["benefit_id"]]
            money = float(story["register"]["value_per_unit"]) * float(a["share"])
            for m, v in story["improvements"]:
                flows[m] += v * money
            for m, v in plan[a["benefit_id"]].items():
                if m > AS_OF_MONTH:
                    flows[m] += v * money
        npv[pid] = sum(v / (1 + R_MONTHLY) ** _months_since(start, m) for m, v in flows.items())
    positive = {p for p, v in npv.items() if v > 0}
    assert positive == {"P001", "P003", "P004", "P005", "P011", "P018"}, npv
    assert all(abs(v) > 100_000 for v in npv.values()), npv  # no sign hangs on rounding


# ---- the parsers read every demo file ------------------------------------------------------------


def test_every_demo_file_is_recognised_and_parses_without_rejects(demo, tmp_path):
    from ingest.parsers import formats
    from ingest.parsers.common.base import ParseContext

    landing, summary, _ = demo
    loaded = collections.Counter()
    for source in formats.SOURCES:
        for path in sorted((landing / source).glob("*")):
            found = formats.recognise(source, path)
            assert found is not None, path
            module, kind = found
            ctx = ParseContext(
                landing_dir=landing, source_file=str(path.relative_to(landing)), work_dir=tmp_path / path.name
            )
            ctx.work_dir.mkdir()
            result = module.parse(path, ctx, kind)
            assert result.rejects == [], (path.name, result.rejects[:3])
            assert result.rows_read == result.rows_loaded
            loaded[kind] += result.rows_loaded
    assert loaded["jira_search"] == summary.jira_issues
    assert loaded["gl_actuals"] == sum(summary.gl_lines.values())
    assert loaded["mspdi"] == summary.msp_tasks
    assert loaded["budgets"] == summary.budgets
    assert loaded["benefits_measurements"] == summary.measurements
