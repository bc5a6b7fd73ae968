"""Deterministic demo exports of one fictional value office, for every source of the landing folder.

    from ingest.demo import write_demo
    summary = write_demo(Path("landing"), seed=7, scale="S")

Same seed and scale -> the same bytes in every file (no wall-clock time, fixed dates, one
`random.Random(seed)` consumed in a fixed order). The returned summary holds the figures the files
were written from (counts, GL totals per currency from the very Decimal values written), so tests
and pipeline checks can tie out against it. Larger scales only add entries to `demo_org.SCALES`;
the writers stream row by row (GL month by month, one MSPDI file at a time).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.demo_finance import write_budgets, write_fx, write_gl
from ingest.demo_jira import (
    build_issues,
    csv_pages,
    shape_csv_pages,
    status_change_count,
    write_csv_pages,
    write_json_pages,
)
from ingest.demo_msp import write_schedules
from ingest.demo_org import SCALES, build_projects
from ingest.demo_templates import write_benefits, write_registry, write_strategy


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
    objectives: int = 0
    alignment_rows: int = 0
    benefits: int = 0  # benefits in the latest register snapshot
    benefit_register_rows: dict[str, int] = field(default_factory=dict)  # snapshot date -> rows
    attribution_rows: int = 0
    benefit_plan_rows: int = 0
    measurements: int = 0

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

    jira = build_issues(rng, projects, spec)  # also fills the epic keys of the epic-keyed project
    pages = csv_pages(jira, spec)
    shape_csv_pages(rng, jira, pages)
    summary.jira_json_pages = write_json_pages(landing, rng, jira, spec)
    summary.jira_csv_rows = write_csv_pages(landing, jira, pages)
    summary.jira_issues = len(jira.issues)
    summary.jira_status_changes = status_change_count(jira)

    summary.msp_files, summary.msp_tasks = write_schedules(landing, projects)

    gl_stats = write_gl(landing, rng, projects, spec)
    known = {code for p in projects for code in p.finance_codes}
    totals: dict[str, object] = {}
    for st in gl_stats:
        summary.gl_lines[st.path] = st.lines
        totals[st.currency] = totals.get(st.currency, 0) + st.total
    summary.gl_totals = {cur: f"{total:.2f}" for cur, total in sorted(totals.items())}
    summary.gl_unknown_codes = sorted({c for st in gl_stats for c in st.project_codes} - known)
    summary.budgets = write_budgets(landing, projects)
    summary.fx_days, _ = write_fx(landing, rng)

    summary.registry_projects = write_registry(landing, projects)
    summary.objectives, summary.alignment_rows = write_strategy(landing, rng, projects)
    counts = write_benefits(landing, rng, projects)
    summary.benefits = counts.benefits
    summary.benefit_register_rows = counts.register_rows
    summary.attribution_rows = counts.attribution
    summary.benefit_plan_rows = counts.plan
    summary.measurements = counts.measurements

    summary.files = {
        "jira": summary.jira_json_pages + len(summary.jira_csv_rows),
        "msproject": summary.msp_files,
        "finance": len(gl_stats) + 2,
        "benefits": len(summary.benefit_register_rows) + 3,
        "strategy": 2,
        "registry": 1,
    }
    return summary
