"""A deterministic extra batch on top of a demo landing folder: what the next day's exports add.

About 1% of the demo's volume, as new files only (the demo files are never touched):
- a supplementary GL extract for company 1000, October 2026 (document numbers from 4990000001);
- one Jira JSON page and one CSV page with new issues of the first board (ids from 90000000, keys
  from <KEY>-100001, the board's own sprints);
- mid-year MS Project snapshots (status date 2026-07-31) of about 1% of the projects.

    from ingest.demo.delta import write_delta, delta_files
    summary = write_delta(landing, seed=7, scale="M")
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from ingest.demo.finance import write_gl_batch
from ingest.demo.jira import (
    JiraData,
    assign_history_ids,
    generate_board,
    jira_boards,
    new_account_ids,
    write_csv_page,
    write_json_page,
)
from ingest.demo.msproject import write_schedule
from ingest.demo.org import SCALES, Project, Scale, build_projects, money

DELTA_MONTH = dt.date(2026, 10, 1)
DELTA_STATUS = dt.date(2026, 7, 31)
GL_FILE = "finance/gl_actuals_1000_cji3_supplement_2026-10.csv"
JSON_FILE = "jira/search_jql_delta_page_1.json"
CSV_FILE = "jira/export_all_fields_delta_page_1.csv"
FIRST_DOCUMENT, FIRST_ISSUE_ID = 90_000_001, 90_000_000
FIRST_ISSUE_NUMBER, FIRST_HISTORY_ID = 100_001, 900_000_000


@dataclass
class DeltaSummary:
    files: list[str] = field(default_factory=list)  # landing-relative paths written
    gl_lines: int = 0
    jira_issues: int = 0
    msp_files: int = 0


def _delta_projects(seed: int, spec: Scale) -> tuple[list[Project], dict[str, str]]:
    """The demo's projects and Jira account ids, drawn exactly as the demo drew them."""
    rng = random.Random(seed)
    projects = build_projects(rng, spec)
    accounts = new_account_ids(random.Random(f"{seed}/jira") if spec.stream else rng)
    return projects, accounts


def delta_files(landing: Path, seed: int = 7, scale: str = "S") -> list[Path]:
    """The files write_delta writes (to remove them before a fresh full run)."""
    projects, _ = _delta_projects(seed, SCALES[scale])
    msp = [
        landing / "msproject" / f"{p.msp_name}_{DELTA_STATUS:%Y-%m-%d}.xml" for p in _msp_projects(projects)
    ]
    return [landing / GL_FILE, landing / JSON_FILE, landing / CSV_FILE, *msp]


def _msp_projects(projects: list[Project]) -> list[Project]:
    active = [p for p in projects if p.closed_on is None]
    return active[: max(1, math.ceil(len(projects) / 100))]


def write_delta(landing: Path, seed: int = 7, scale: str = "S") -> DeltaSummary:
    spec = SCALES[scale]
    landing = Path(landing)
    projects, accounts = _delta_projects(seed, spec)
    rng = random.Random(f"{seed}/delta")
    out = DeltaSummary()

    # GL: a late posting run for about 1% of the lines, spread over ~17% of the company's projects
    members = [p for p in projects if p.company_code == "1000" and p.closed_on is None]
    picked = members[: max(1, round(len(projects) * 0.17))]
    spend = [(p, money(rng.uniform(5000, 50000))) for p in picked]
    st = write_gl_batch(landing, GL_FILE, rng, "1000", DELTA_MONTH, spend, spec, FIRST_DOCUMENT)
    out.gl_lines = st.lines
    out.files.append(GL_FILE)

    # Jira: one page of new issues on the first board, in both export formats
    boards = jira_boards(projects)
    board = boards[0]
    size = min(spec.json_page_size, spec.csv_page_size)
    items = dataclasses.replace(spec, issues_per_project=max(1, size - 3))
    # board 1's sprints are numbered from 1, as in the demo: the new issues sit in the same sprints
    issues, _, _ = generate_board(rng, board, None, items, FIRST_ISSUE_ID, 1, FIRST_ISSUE_NUMBER)
    issues = issues[:size]
    assign_history_ids(issues, FIRST_HISTORY_ID)
    data = JiraData([], [], {b.key: b.name for b in boards}, accounts)
    for path in (landing / JSON_FILE, landing / CSV_FILE):
        path.parent.mkdir(parents=True, exist_ok=True)
    write_json_page(landing / JSON_FILE, data, issues, None)
    write_csv_page(landing / CSV_FILE, data, sorted(issues, key=lambda i: -i.id), bom=True)
    out.jira_issues = len(issues)
    out.files += [JSON_FILE, CSV_FILE]

    # MS Project: a mid-year snapshot of ~1% of the projects
    folder = landing / "msproject"
    folder.mkdir(parents=True, exist_ok=True)
    for project in _msp_projects(projects):
        name = f"{project.msp_name}_{DELTA_STATUS:%Y-%m-%d}.xml"
        write_schedule(folder / name, project, DELTA_STATUS)
        out.files.append(f"msproject/{name}")
        out.msp_files += 1
    return out
