"""The fictional value office behind the demo exports: projects, their schedules and their progress.

Everything here is plain data derived from one `random.Random`; the writers in `ingest.demo`
turn it into tool exports. Calendar and progress helpers live here so that the schedule (MSPDI),
the general ledger and the benefits all agree on when work happened.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HISTORY_START = dt.date(2024, 11, 1)
TODAY = dt.date(2026, 10, 31)
SNAPSHOT_DATES = (dt.date(2026, 4, 30), dt.date(2026, 10, 31))
CENT = Decimal("0.01")
HOURS_PER_DAY = 8


@dataclass(frozen=True)
class Scale:
    """Volume knobs. S is the small tested demo; M and L only change these numbers.

    S is written in memory, as it always was (its bytes are pinned by tests/unit/test_demo.py). A scale
    with `stream=True` is written by `ingest.demo.stream`: Jira issues generated board by board and
    written page by page, each source in its own process with its own random stream.
    """

    name: str
    projects: int
    issues_per_project: int  # stories, tasks and bugs (epics come on top)
    gl_documents_per_project_month: int  # each document has 1-3 lines
    json_page_size: int
    csv_page_size: int
    leaf_tasks_per_phase: int
    stream: bool = False
    msp_snapshots: int = len(SNAPSHOT_DATES)  # latest status dates written per active project
    json_project_every: int = 1  # every n-th project's boards go to the JSON pages (1: all)
    csv_project_every: int = 0  # every n-th project's boards go to the CSV pages (0: the CSV_KEYS only)
    rework_rounds: int = 0  # extra chances of an In Review -> In Progress round trip per issue
    benefits_per_extra_project: int = 0  # generated benefits (one KPI each) for the non-curated projects


SCALES: dict[str, Scale] = {
    "S": Scale(
        "S",
        projects=20,
        issues_per_project=16,
        gl_documents_per_project_month=4,
        json_page_size=100,
        csv_page_size=45,
        leaf_tasks_per_phase=2,
    ),
    "M": Scale(
        "M",
        projects=200,
        issues_per_project=995,
        gl_documents_per_project_month=168,
        json_page_size=1000,
        csv_page_size=1000,
        leaf_tasks_per_phase=4,
        stream=True,
        msp_snapshots=1,
        json_project_every=1,
        csv_project_every=4,
        benefits_per_extra_project=1,
    ),
    "L": Scale(
        "L",
        projects=2000,
        issues_per_project=497,
        gl_documents_per_project_month=168,
        json_page_size=1000,
        csv_page_size=1000,
        leaf_tasks_per_phase=4,
        stream=True,
        msp_snapshots=1,
        json_project_every=5,
        csv_project_every=1,
        rework_rounds=8,
        benefits_per_extra_project=3,
    ),
}


def money(value: Decimal | float | int) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def csv_cell(text: str, line_end: str = "\r\n") -> str:
    """`text` as csv.writer (QUOTE_MINIMAL, lines ending in `line_end`) writes a cell: quoted when it
    holds a comma, a quote or a character of the line end. For writers that build lines themselves."""
    if (
        "," in text
        or '"' in text
        or ("\n" in text and "\n" in line_end)
        or ("\r" in text and "\r" in line_end)
    ):
        return '"' + text.replace('"', '""') + '"'
    return text


# ---- calendar ----------------------------------------------------------------------------------


def is_workday(day: dt.date) -> bool:
    return day.weekday() < 5


def next_workday(day: dt.date) -> dt.date:
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


@functools.lru_cache(maxsize=1 << 16)  # pure; called per GL document and MSPDI figure at scale
def workday_at(start: dt.date, index: int) -> dt.date:
    """The `index`-th working day (0-based) counting from `start` (a working day)."""
    weeks, rest = divmod(index, 5)
    day = start + dt.timedelta(weeks=weeks)
    for _ in range(rest):
        day = next_workday(day + dt.timedelta(days=1))
    return next_workday(day)


@functools.lru_cache(maxsize=1 << 16)
def workdays_until(start: dt.date, day: dt.date) -> int:
    """Working days from `start` up to and including `day` (0 when `day` < `start`)."""
    if day < start:
        return 0
    full_weeks, rest = divmod((day - start).days + 1, 7)
    count = full_weeks * 5
    for offset in range(rest):
        if is_workday(start + dt.timedelta(weeks=full_weeks, days=offset)):
            count += 1
    return count


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of the months from `first`'s month to `last`'s month, inclusive."""
    out, cur = [], month_start(first)
    while cur <= last:
        out.append(cur)
        cur = add_months(cur, 1)
    return out


# ---- the organisation ----------------------------------------------------------------------------

# (name, jira keys, portfolio, programme) for the curated first projects.
CURATED = [
    ("Claims Automation", ["CLM"], "Claims", "Claims Transformation"),
    ("CRM Replacement", ["CRM", "CRMD"], "Customer", "Customer 360"),
    ("Online Payments Portal", ["PAY"], "Customer", "Digital Channels"),
    ("Fraud Detection Analytics", ["FRD"], "Claims", "Claims Transformation"),
    ("Policy Admin Modernisation", ["POL"], "Operations", "Core Systems"),
    ("Customer Self-Service App", ["APP"], "Customer", "Digital Channels"),
    ("Document Management Upgrade", ["DMS"], "Operations", "Core Systems"),
    ("Underwriting Workbench", ["UW"], "Operations", "Underwriting"),
    ("Data Warehouse Migration", ["DWH"], "Technology", "Data Platform"),
    ("Broker Portal", ["BRK"], "Customer", "Digital Channels"),
    ("Contact Centre Telephony", ["CCT"], "Customer", "Customer 360"),
    ("Data Quality Programme", [], "Technology", "Data Platform"),
    ("Cyber Security Hardening", ["SEC"], "Technology", "Resilience"),
    ("HR and Payroll Cloud", ["HRP"], "Operations", "Corporate Services"),
    ("UK Claims Digitisation", ["UKC"], "Claims", "UK Transformation"),
    ("UK Pricing Engine", ["UKP"], "Operations", "UK Transformation"),
    ("UK Agent Onboarding", ["UKA"], "Customer", "UK Transformation"),
    ("UK Regulatory Reporting", ["UKR"], "Technology", "UK Transformation"),
    ("UK Customer Comms Hub", ["UKM"], "Customer", "UK Transformation"),
    ("UK Finance Ledger Consolidation", ["UKL"], "Operations", "UK Transformation"),
]
SHARED_JIRA_KEY = "PLAT"  # a shared platform project; P012 is identified by its epics in it
CLOSED_PROJECT = "P003"
REBASELINED_PROJECT = "P007"
TWO_CODE_PROJECT = "P005"
EPIC_KEYED_PROJECT = "P012"
# Projects whose story needs a known start: the closed one, the CRM programme whose benefit target
# is re-baselined between the two benefit register snapshots (it must be in the first one), and the
# data warehouse migration that moves to another objective on 2026-01-01 (it must start before).
FIXED_STARTS = {
    CLOSED_PROJECT: dt.date(2024, 11, 4),
    "P002": dt.date(2024, 11, 11),
    "P009": dt.date(2025, 3, 17),
}
PEOPLE = [
    "Aoife Brennan",
    "Lukas Meier",
    "Priya Raman",
    "Tomasz Nowak",
    "Sofia Lindqvist",
    "James Okafor",
    "Marta Silva",
    "Henrik Dahl",
    "Chloe Martin",
    "Ravi Patel",
    "Elena Rossi",
    "Daniel Weber",
    "Grace Thompson",
    "Yusuf Demir",
    "Nina Kowalski",
    "Oliver Hughes",
]
PHASES = [
    ("Initiation", ["Business case", "Project set-up", "Stakeholder mapping"]),
    ("Analysis and design", ["Requirements", "Solution design", "Security design"]),
    ("Build", ["Build increment 1", "Build increment 2", "Integration build"]),
    ("Test", ["System test", "User acceptance test", "Performance test"]),
    ("Deployment", ["Data migration", "Training", "Cut-over"]),
]
ROLES = [  # resource name, hourly rate in the project currency, phases it works in
    ("Project Manager", 95, (0,)),
    ("Business Analyst", 80, (1,)),
    ("Solution Architect", 120, (1,)),
    ("Development Team", 85, (2,)),
    ("Test Team", 70, (3,)),
    ("Implementation Team", 75, (4,)),
]


@dataclass
class PlanTask:
    uid: int
    name: str
    outline: str  # "2.1"
    level: int
    summary: bool
    milestone: bool
    role: int | None  # index into ROLES for leaf tasks
    units: Decimal  # assignment units (team size)
    start_idx: int  # baseline working-day index from project start
    finish_idx: int  # inclusive
    original_start_idx: int | None = None  # re-baselined project: the original plan (Baseline 1)
    original_finish_idx: int | None = None
    original_units: Decimal | None = None

    @property
    def days(self) -> int:
        return 0 if self.milestone else self.finish_idx - self.start_idx + 1

    def cost_cents(self, rate: int) -> int:
        return int(self.days * HOURS_PER_DAY * self.units * rate * 100)

    def original_cost_cents(self, rate: int) -> int:
        if self.original_units is None or self.milestone:
            return self.cost_cents(rate)
        days = self.original_finish_idx - self.original_start_idx + 1
        return int(days * HOURS_PER_DAY * self.original_units * rate * 100)


@dataclass
class Project:
    pid: str
    name: str
    portfolio: str
    programme: str
    sponsor: str
    manager: str
    status: str
    start: dt.date
    company_code: str
    currency: str
    jira_keys: list[str]
    finance_codes: list[str]
    code_split: list[Decimal]  # share of spend per finance code
    msp_name: str
    cpi: float  # cost performance: earned value / actual cost
    pace: float  # schedule pace: <1 slower than the baseline
    closed_on: dt.date | None = None
    epic_keys: list[str] = field(default_factory=list)
    tasks: list[PlanTask] = field(default_factory=list)
    tempo_account_keys: list[str] = field(default_factory=list)
    # Internal labour logged as worklogs (ingest.demo.labour): month -> cost in cents of the project's
    # currency, left out of the GL (whose spend is external only for such projects)
    labour_cents: dict[dt.date, int] = field(default_factory=dict)

    # -- schedule helpers -----------------------------------------------------------------------
    @property
    def leaves(self) -> list[PlanTask]:
        return [t for t in self.tasks if not t.summary]

    def baseline_finish(self) -> dt.date:
        return workday_at(self.start, max(t.finish_idx for t in self.leaves))

    def original_finish(self) -> dt.date:
        idx = max(
            t.original_finish_idx if t.original_finish_idx is not None else t.finish_idx for t in self.leaves
        )
        return workday_at(self.start, idx)

    def real_idx(self, baseline_idx: int) -> int:
        """Where a baseline working-day index really falls, given the project's pace."""
        return int(round(baseline_idx / self.pace))

    def real_span(self, task: PlanTask) -> tuple[int, int]:
        start = self.real_idx(task.start_idx)
        finish = max(start, self.real_idx(task.finish_idx + 1) - 1)
        return start, finish

    def fraction_done(self, task: PlanTask, day: dt.date) -> float:
        """Share of the task's work done by the end of `day` (real schedule)."""
        start, finish = self.real_span(task)
        done = workdays_until(self.start, day)
        if task.milestone:
            return 1.0 if done > start else 0.0
        return min(1.0, max(0.0, (done - start) / (finish - start + 1)))

    def fraction_planned(self, task: PlanTask, day: dt.date) -> float:
        """Share of the task's baseline cost planned by the end of `day` (baseline 0)."""
        done = workdays_until(self.start, day)
        if task.milestone:
            return 1.0 if done > task.start_idx else 0.0
        return min(1.0, max(0.0, (done - task.start_idx) / (task.finish_idx - task.start_idx + 1)))

    def earned_cents(self, day: dt.date) -> float:
        return sum(
            t.cost_cents(ROLES[t.role][1]) * self.fraction_done(t, day)
            for t in self.leaves
            if t.role is not None
        )

    def planned_go_live(self) -> dt.date:
        return self.baseline_finish()


def _build_plan(
    rng: random.Random,
    project: Project,
    total_days: int,
    per_phase: int,
    target_cost: float,
    rebaselined: bool,
) -> list[PlanTask]:
    weights = [0.08, 0.17, 0.40, 0.22, 0.13]
    tasks = [PlanTask(0, project.name, "0", 0, True, False, None, Decimal(0), 0, 0)]
    uid, idx = 1, 0
    leaves: list[PlanTask] = []
    for p, (phase, names) in enumerate(PHASES):
        tasks.append(PlanTask(uid, phase, str(p + 1), 1, True, False, None, Decimal(0), 0, 0))
        phase_task, uid = tasks[-1], uid + 1
        phase_days = max(per_phase, int(total_days * weights[p]))
        cuts = sorted(rng.sample(range(1, phase_days), per_phase - 1)) if per_phase > 1 else []
        bounds = [0, *cuts, phase_days]
        for k in range(per_phase):
            name = names[k] if k < len(names) else f"{phase} work package {k + 1}"
            days = bounds[k + 1] - bounds[k]
            leaf = PlanTask(
                uid, name, f"{p + 1}.{k + 1}", 2, False, False, p, Decimal(1), idx, idx + days - 1
            )
            tasks.append(leaf)
            leaves.append(leaf)
            uid, idx = uid + 1, idx + days
        phase_task.start_idx, phase_task.finish_idx = bounds[0], idx - 1
    tasks.append(PlanTask(uid, "Go-live", str(len(PHASES) + 1), 1, False, True, None, Decimal(0), idx, idx))
    # Team sizes so that the plan costs about target_cost.
    raw = sum(t.days * HOURS_PER_DAY * ROLES[t.role][1] for t in leaves)
    base_units = target_cost / raw
    for t in leaves:
        t.units = Decimal(str(round(base_units * rng.uniform(0.7, 1.3) * 4) / 4 or 0.25))
    if rebaselined:  # the original plan was shorter and cheaper
        for t in tasks:
            t.original_start_idx = int(t.start_idx * 0.8)
            t.original_finish_idx = max(t.original_start_idx, int((t.finish_idx + 1) * 0.8) - 1)
            t.original_units = (t.units * Decimal("0.9")).quantize(Decimal("0.25")) or Decimal("0.25")
    # summary task spans
    tasks[0].finish_idx = idx
    return tasks


def build_projects(rng: random.Random, scale: Scale) -> list[Project]:
    projects: list[Project] = []
    for n in range(1, scale.projects + 1):
        pid = f"P{n:03d}"
        if n <= len(CURATED):
            name, keys, portfolio, programme = CURATED[n - 1]
        else:
            name, keys = f"Initiative {n:04d}", [f"I{n:04d}"]
            portfolio, programme = rng.choice(CURATED)[2:4]
        uk = name.startswith("UK ")
        company = "2000" if uk else "1000"
        codes = [f"PR-{company[0]}{n:03d}.01"]
        if pid == TWO_CODE_PROJECT:
            codes.append(f"PR-{company[0]}{n:03d}.02")
        split = [Decimal(1)] if len(codes) == 1 else [Decimal("0.65"), Decimal("0.35")]
        if pid in FIXED_STARTS:
            start = FIXED_STARTS[pid]
        else:
            first = add_months(HISTORY_START, rng.randint(0, 14))
            start = next_workday(first + dt.timedelta(days=rng.randint(0, 20)))
        project = Project(
            pid=pid,
            name=name,
            portfolio=portfolio,
            programme=programme,
            sponsor=rng.choice(PEOPLE),
            manager=rng.choice(PEOPLE),
            status="closed" if pid == CLOSED_PROJECT else "active",
            start=start,
            company_code=company,
            currency="GBP" if uk else "EUR",
            jira_keys=list(keys),
            finance_codes=codes,
            code_split=split,
            msp_name=f"{(keys or [SHARED_JIRA_KEY])[0]}-{name.replace(' ', '-')}",
            cpi=1.0 if pid == CLOSED_PROJECT else round(rng.uniform(0.8, 1.15), 3),
            pace=1.0 if pid == CLOSED_PROJECT else round(rng.uniform(0.82, 1.05), 3),
        )
        if pid == CLOSED_PROJECT:
            total_days = 230  # finishes in Oct 2025, closed in Dec 2025
            project.cpi = 0.97
        else:
            # finish (at the project's pace) between 2026-09 and 2028-02
            finish_target = add_months(dt.date(2026, 9, 1), rng.randint(0, 18))
            total_days = int(workdays_until(start, finish_target) * project.pace)
        target = rng.uniform(0.4e6, 2.5e6) if not uk else rng.uniform(0.3e6, 1.6e6)
        project.tasks = _build_plan(
            rng,
            project,
            total_days,
            scale.leaf_tasks_per_phase,
            target,
            rebaselined=pid == REBASELINED_PROJECT,
        )
        if pid == CLOSED_PROJECT:
            project.closed_on = dt.date(2025, 12, 19)
        projects.append(project)
    return projects
