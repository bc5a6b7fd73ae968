"""Demo exports at the larger scales (M, L): streamed, bounded memory, sources written in parallel.

Same formats and quirks as scale S (`ingest.demo.build` writes S in memory; its bytes are pinned), but:
- Jira issues are generated board by board and written page by page: at most one board's issues
  and one JSON plus one CSV page are held in memory. Which boards go to the JSON pages and which
  to the CSV pages is set per scale (`Scale.json_project_every`, `Scale.csv_project_every`).
- Each source has its own random stream (`random.Random(f"{seed}/<source>")`), so the sources can
  be written by separate processes and the bytes still depend only on (seed, scale).
- MS Project: only the latest `Scale.msp_snapshots` status dates per project.
"""

from __future__ import annotations

import multiprocessing
import os
import random
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ingest.demo.finance import GlFileStats, write_budgets, write_fx, write_gl
from ingest.demo.jira import (
    CSV_KEYS,
    EXTRA_LABEL,
    FIRST_HISTORY_ID,
    FIRST_ISSUE_ID,
    LABELS,
    Board,
    Issue,
    JiraData,
    Sprint,
    assign_history_ids,
    generate_board,
    jira_boards,
    new_account_ids,
    page_token,
    write_csv_page,
    write_json_page,
)
from ingest.demo.msproject import write_schedules
from ingest.demo.org import EPIC_KEYED_PROJECT, Project, Scale
from ingest.demo.templates import TemplateCounts, write_benefits, write_strategy
from ingest.parsers.common.base import gc_paused


def source_rng(seed: int, source: str) -> random.Random:
    return random.Random(f"{seed}/{source}")


def board_routes(board: Board, scale: Scale) -> tuple[bool, bool]:
    """(in the JSON pages, in the CSV pages) for one board at this scale."""
    if board.owner is None:  # the shared platform board: its epics identify a project
        return True, scale.csv_project_every > 0
    n = int(board.owner.pid[1:])
    in_json = (n - 1) % scale.json_project_every == 0
    in_csv = board.key in CSV_KEYS or (scale.csv_project_every > 0 and (n - 1) % scale.csv_project_every == 0)
    return in_json, in_csv


class _Pager:
    """Collects issues into pages of `size`; writes a page once the next issue arrives (so the
    writer knows whether a page is the last), and the rest on close()."""

    def __init__(self, size: int, flush) -> None:
        self.size, self.flush = size, flush
        self.buffer: list[Issue] = []

    def add(self, issue: Issue) -> None:
        if len(self.buffer) == self.size:
            self.flush(self.buffer, False)
            self.buffer = []
        self.buffer.append(issue)

    def close(self) -> None:
        if self.buffer:
            self.flush(self.buffer, True)
            self.buffer = []


@dataclass
class JiraStreamStats:
    json_pages: int = 0
    json_issues: int = 0
    status_changes: int = 0  # status items in the JSON changelogs
    csv_rows: list[int] = field(default_factory=list)
    epic_keys: list[str] = field(default_factory=list)  # the epic-keyed project's platform epics


class _CsvShaper:
    """The CSV quirks of scale S, applied as issues are routed (before either page is written, so
    the JSON and the CSV agree): page 1 has at most 2 sprints per issue and one issue with 4
    labels; page 2 has an issue carried over 3 sprints. So the repeated Labels and Sprint column
    counts differ between the first two pages."""

    def __init__(self, size: int) -> None:
        self.size, self.seen = size, 0
        self.labels_done = self.sprints_done = False

    def shape(self, issue: Issue, board_sprints: list[Sprint]) -> None:
        index, self.seen = self.seen, self.seen + 1
        if index < self.size:
            issue.sprints = issue.sprints[-2:]
            if not self.labels_done and issue.type != "Epic":
                fill = [x for x in LABELS if x not in issue.labels][: 3 - len(issue.labels)]
                issue.labels = sorted([*issue.labels, *fill, EXTRA_LABEL])
                self.labels_done = True
        elif index < 2 * self.size and not self.sprints_done and issue.sprints:
            if len(issue.sprints) >= 3:
                self.sprints_done = True
                return
            pos = board_sprints.index(issue.sprints[0])
            earlier = [
                s for s in board_sprints[max(0, pos - 3 + len(issue.sprints)) : pos] if s.end > issue.created
            ]
            if len(earlier) + len(issue.sprints) >= 3:
                issue.sprints = [*earlier, *issue.sprints][-3:]
                self.sprints_done = True


def write_jira_stream(landing: Path, seed: int, projects: list[Project], scale: Scale) -> JiraStreamStats:
    rng, token_rng = source_rng(seed, "jira"), source_rng(seed, "jira-tokens")
    folder = landing / "jira"
    folder.mkdir(parents=True, exist_ok=True)
    boards = jira_boards(projects)
    data = JiraData([], [], {b.key: b.name for b in boards}, new_account_ids(rng))
    epic_project = next((p for p in projects if p.pid == EPIC_KEYED_PROJECT), None)
    stats = JiraStreamStats()

    def flush_json(page: list[Issue], last: bool) -> None:
        stats.json_pages += 1
        token = None if last else page_token(token_rng)
        write_json_page(folder / f"search_jql_page_{stats.json_pages}.json", data, page, token)

    def flush_csv(page: list[Issue], _last: bool) -> None:
        n = len(stats.csv_rows) + 1
        write_csv_page(
            folder / f"export_all_fields_page_{n}.csv", data, sorted(page, key=lambda i: -i.id), bom=n == 1
        )
        stats.csv_rows.append(len(page))

    json_pager, csv_pager = _Pager(scale.json_page_size, flush_json), _Pager(scale.csv_page_size, flush_csv)
    shaper = _CsvShaper(scale.csv_page_size)
    next_id, next_sprint, next_history = FIRST_ISSUE_ID, 1, FIRST_HISTORY_ID
    for board in boards:
        issues, sprints, epic_keys = generate_board(rng, board, epic_project, scale, next_id, next_sprint)
        stats.epic_keys += epic_keys
        next_id += len(issues)
        next_sprint += len(sprints)
        next_history = assign_history_ids(issues, next_history)
        in_json, in_csv = board_routes(board, scale)
        for issue in issues:
            if in_csv:
                shaper.shape(issue, sprints)
            if in_json:
                json_pager.add(issue)
                stats.json_issues += 1
                stats.status_changes += len(issue.transitions)
            if in_csv:
                csv_pager.add(issue)
    json_pager.close()
    csv_pager.close()
    return stats


def write_gl_stream(landing: Path, seed: int, projects: list[Project], scale: Scale) -> list[GlFileStats]:
    with gc_paused():
        return write_gl(landing, source_rng(seed, "gl"), projects, scale)


@dataclass
class TemplateStats:
    budgets: int
    fx_days: int
    objectives: int
    alignment: int
    benefits: TemplateCounts


def write_templates_stream(landing: Path, seed: int, projects: list[Project], scale: Scale) -> TemplateStats:
    rng = source_rng(seed, "templates")
    budgets = write_budgets(landing, projects)
    fx_days, _ = write_fx(landing, rng)
    objectives, alignment = write_strategy(landing, rng, projects)
    benefits = write_benefits(landing, rng, projects, scale.benefits_per_extra_project)
    return TemplateStats(budgets, fx_days, objectives, alignment, benefits)


def write_msp_stream(landing: Path, projects: list[Project], scale: Scale) -> tuple[int, int]:
    return write_schedules(landing, projects, scale.msp_snapshots)


@dataclass
class StreamResult:
    jira: JiraStreamStats
    gl: list[GlFileStats]
    msp: tuple[int, int]
    templates: TemplateStats


def write_streamed(
    landing: Path, seed: int, projects: list[Project], scale: Scale, workers: int | None = None
) -> StreamResult:
    """Write every source but the registry; Jira and the GL (the big ones) in their own processes."""
    workers = workers if workers is not None else min(3, os.cpu_count() or 1)
    if workers <= 1:
        return StreamResult(
            write_jira_stream(landing, seed, projects, scale),
            write_gl_stream(landing, seed, projects, scale),
            write_msp_stream(landing, projects, scale),
            write_templates_stream(landing, seed, projects, scale),
        )
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        jira: Future = pool.submit(write_jira_stream, landing, seed, projects, scale)
        gl: Future = pool.submit(write_gl_stream, landing, seed, projects, scale)
        msp: Future = pool.submit(write_msp_stream, landing, projects, scale)
        templates: Future = pool.submit(write_templates_stream, landing, seed, projects, scale)
        return StreamResult(jira.result(), gl.result(), msp.result(), templates.result())


def planned_counts(scale: Scale, seed: int = 7) -> dict[str, int]:
    """What a scale will write, from its projects alone (no files): exact for projects, boards and
    MSPDI files; nominal (expected value) for the Jira issues, GL lines and KPI measurements."""
    from ingest.demo.msproject import snapshot_dates
    from ingest.demo.org import HISTORY_START, TODAY, build_projects, month_start, months_between
    from ingest.demo.templates import BENEFITS, BENEFITS_CURATED_PROJECTS

    projects = build_projects(random.Random(seed), scale)
    by_id = {p.pid: p for p in projects}
    json_issues = csv_issues = 0
    for board in jira_boards(projects):
        primary = board.owner is None or board.key == board.owner.jira_keys[0]
        n = (scale.issues_per_project if primary else max(4, scale.issues_per_project // 3)) + 2.5
        in_json, in_csv = board_routes(board, scale)
        json_issues += n * in_json
        csv_issues += n * in_csv

    def measured_months(p: Project) -> int:
        return len(months_between(max(month_start(p.start), HISTORY_START), TODAY))

    gl_lines = 0.0
    for p in projects:
        last = min(TODAY, p.closed_on or TODAY)
        months = len(months_between(max(p.start, HISTORY_START), last))
        gl_lines += months * len(p.finance_codes) * scale.gl_documents_per_project_month * 1.75
    curated = [b for b in BENEFITS if all(pid in by_id for pid, _ in b[10])]
    measurements = sum(measured_months(by_id[b[10][0][0]]) for b in curated)
    measurements += sum(
        scale.benefits_per_extra_project * measured_months(p) for p in projects[BENEFITS_CURATED_PROJECTS:]
    )
    snapshots = sum(len(snapshot_dates(p)[-scale.msp_snapshots :]) for p in projects)
    return {
        "projects": len(projects),
        "boards": len(jira_boards(projects)),
        "msp_files": snapshots,
        "jira_json_issues": round(json_issues),
        "jira_csv_issues": round(csv_issues),
        "gl_lines": round(gl_lines),
        "measurements": measurements,
    }
