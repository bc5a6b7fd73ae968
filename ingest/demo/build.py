"""Deterministic demo exports of one fictional value office, for every source of the landing folder.

    from ingest.demo.build import write_demo
    summary = write_demo(Path("landing"), seed=7, scale="S")

Same seed and scale -> the same bytes in every file (no wall-clock time, fixed dates, one
`random.Random(seed)` consumed in a fixed order). The returned summary holds the figures the files
were written from (counts, GL totals per currency from the very Decimal values written), so tests
and pipeline checks can tie out against it. Scale S is built in memory (its bytes are pinned
by the tests); the larger scales (`org.SCALES`, `stream=True`) go through `ingest.demo.stream`:
Jira board by board and page by page, GL month by month, one MSPDI file at a time, the big sources
in their own processes.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.demo.finance import GlFileStats, write_budgets, write_fx, write_gl
from ingest.demo.jira import (
    build_issues,
    csv_pages,
    shape_csv_pages,
    status_change_count,
    write_csv_pages,
    write_json_pages,
)
from ingest.demo.labour import plan_labour, write_labour
from ingest.demo.msproject import write_schedules
from ingest.demo.org import EPIC_KEYED_PROJECT, SCALES, Project, Scale, build_projects
from ingest.demo.stream import write_streamed
from ingest.demo.templates import write_benefits, write_portfolio_scenarios, write_registry, write_strategy


@dataclass
class DemoSummary:
    seed: int
    scale: str
    files: dict[str, int] = field(default_factory=dict)  # source folder -> files written
    projects: int = 0
    jira_issues: int = 0  # issues in the JSON pages (every issue of every project)
    jira_status_changes: int = 0  # status items in the embedded changelogs
    jira_json_pages: int = 0
    jira_csv_rows: list[int] = field(default_factory=list)  # issues per CSV page
    msp_files: int = 0
    msp_tasks: int = 0  # tasks over all MSPDI files, UID 0 included
    gl_lines: dict[str, int] = field(default_factory=dict)  # landing-relative path -> lines
    gl_totals: dict[str, str] = field(default_factory=dict)  # currency -> signed total, 2 decimals
    gl_unknown_codes: list[str] = field(default_factory=list)  # project codes in no registry row
    budgets: int = 0
    fx_days: int = 0
    registry_projects: int = 0
    portfolio_scenarios: int = 0  # rows of registry/portfolio_scenarios.csv
    objectives: int = 0
    alignment_rows: int = 0
    benefits: int = 0  # benefits in the latest register snapshot
    benefit_register_rows: dict[str, int] = field(default_factory=dict)  # snapshot date -> rows
    attribution_rows: int = 0
    benefit_plan_rows: int = 0
    measurements: int = 0
    # Labour (scale S): worklog rows per Tempo file, Jira's own worklogs in fields.worklog, Log Work
    # cells of the CSV export (all also in Tempo), rate card and people rows
    tempo_worklogs: dict[str, int] = field(default_factory=dict)
    jira_worklogs: int = 0
    log_work_cells: int = 0
    rate_card_rows: int = 0
    people_rows: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def write_demo(landing: Path, seed: int = 7, scale: str = "S") -> DemoSummary:
    if scale not in SCALES:
        raise ValueError(f"unknown demo scale {scale!r}; known scales: {', '.join(SCALES)}")
    spec = SCALES[scale]
    landing = Path(landing)
    rng = random.Random(seed)
    summary = DemoSummary(seed=seed, scale=scale)

    projects = build_projects(rng, spec)
    summary.projects = len(projects)
    if spec.stream:
        _write_streamed(landing, seed, projects, spec, summary)
        return summary

    jira = build_issues(rng, projects, spec)  # also fills the epic keys of the epic-keyed project
    labour = plan_labour(seed, projects, jira)  # its own random stream; lowers the GL by the labour
    pages = csv_pages(jira, spec)
    shape_csv_pages(rng, jira, pages)
    summary.jira_json_pages = write_json_pages(landing, rng, jira, spec)
    summary.jira_csv_rows = write_csv_pages(landing, jira, pages)
    summary.jira_issues = len(jira.issues)
    summary.jira_status_changes = status_change_count(jira)

    summary.msp_files, summary.msp_tasks = write_schedules(landing, projects)

    gl_stats = write_gl(landing, rng, projects, spec)
    _gl_summary(summary, projects, gl_stats)
    summary.budgets = write_budgets(landing, projects)
    summary.fx_days, _ = write_fx(landing, rng)

    summary.registry_projects = write_registry(landing, projects)
    summary.portfolio_scenarios = write_portfolio_scenarios(landing)
    summary.objectives, summary.alignment_rows = write_strategy(landing, rng, projects)
    counts = write_benefits(landing, rng, projects)
    summary.benefits = counts.benefits
    summary.benefit_register_rows = counts.register_rows
    summary.attribution_rows = counts.attribution
    summary.benefit_plan_rows = counts.plan
    summary.measurements = counts.measurements

    labour_counts = write_labour(landing, labour, jira)
    summary.tempo_worklogs = {k: v for k, v in labour_counts.items() if k.startswith("worklogs/")}
    summary.jira_worklogs = len(labour.jira)
    summary.log_work_cells = len(labour.csv_duplicates)
    summary.rate_card_rows = labour_counts["rates/rate_card.csv"]
    summary.people_rows = labour_counts["rates/people.csv"]

    _file_counts(summary, len(gl_stats))
    summary.files |= {"worklogs": len(summary.tempo_worklogs), "rates": 2}
    return summary


def _gl_summary(summary: DemoSummary, projects: list[Project], gl_stats: list[GlFileStats]) -> None:
    known = {code for p in projects for code in p.finance_codes}
    totals: dict[str, object] = {}
    for st in gl_stats:
        summary.gl_lines[st.path] = st.lines
        totals[st.currency] = totals.get(st.currency, 0) + st.total
    summary.gl_totals = {cur: f"{total:.2f}" for cur, total in sorted(totals.items())}
    summary.gl_unknown_codes = sorted({c for st in gl_stats for c in st.project_codes} - known)


def _file_counts(summary: DemoSummary, gl_files: int) -> None:
    summary.files = {
        "jira": summary.jira_json_pages + len(summary.jira_csv_rows),
        "msproject": summary.msp_files,
        "finance": gl_files + 2,
        "benefits": len(summary.benefit_register_rows) + 3,
        "strategy": 2,
        "registry": 2,
    }


def _write_streamed(
    landing: Path, seed: int, projects: list[Project], spec: Scale, summary: DemoSummary
) -> None:
    result = write_streamed(landing, seed, projects, spec)
    summary.jira_json_pages = result.jira.json_pages
    summary.jira_csv_rows = result.jira.csv_rows
    summary.jira_issues = result.jira.json_issues
    summary.jira_status_changes = result.jira.status_changes
    summary.msp_files, summary.msp_tasks = result.msp
    _gl_summary(summary, projects, result.gl)
    t = result.templates
    summary.budgets, summary.fx_days = t.budgets, t.fx_days
    summary.objectives, summary.alignment_rows = t.objectives, t.alignment
    summary.benefits = t.benefits.benefits
    summary.benefit_register_rows = t.benefits.register_rows
    summary.attribution_rows = t.benefits.attribution
    summary.benefit_plan_rows = t.benefits.plan
    summary.measurements = t.benefits.measurements
    epic_project = next((p for p in projects if p.pid == EPIC_KEYED_PROJECT), None)
    if epic_project is not None:  # the Jira process found them; the registry lists them
        epic_project.epic_keys = list(result.jira.epic_keys)
    summary.registry_projects = write_registry(landing, projects)
    summary.portfolio_scenarios = write_portfolio_scenarios(landing)
    _file_counts(summary, len(result.gl))
