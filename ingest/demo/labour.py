"""The demo's internal labour: who logged which hours where, and what an hour costs.

The demo organisation's GL carries only external spend for the projects whose people log time: for
each of them the share of cost that is internal labour (LABOUR_SHARE) is logged as worklogs, and the
GL's spend of that month is lowered by the cost of the hours logged (`Project.labour_cents`, taken off
in `finance.monthly_actuals`), so the actual cost (GL + labour) stays what it was.

- Tempo Timesheets: P001 (Claims Automation, EUR) and P015 (UK Claims Digitisation, GBP) log time in
  Tempo: landing/worklogs/tempo_worklogs_2025.xlsx (the worklogs of 2024 and 2025) and
  tempo_worklogs_2026.csv (2026), with a custom `PSP Element` attribute. A few of P001's worklogs
  are also in the Jira CSV export's Log Work columns (the same worklogs seen from Jira, without a
  worklog id): counted once, Tempo wins. A few worklogs are on OPS-7, an issue of an IT operations
  Jira project that no registry project names, booked to an account no project has: unmapped.
- Jira's own worklogs: P004 (Fraud Detection Analytics) and P006 (Customer Self-Service App) log
  time in Jira itself: fields.worklog of their issues in the /search/jql pages (at most 20 per issue,
  so no block is incomplete).
- Rates (landing/rates/): rate_card.csv with role rates raised on 2025-07-01 (the mid-year pay
  round), a role rate for one project (P015 developers in GBP), a person rate for one project, a
  contractor (Oliver Hughes) rated in GBP who also works on EUR projects, and a resource group rate
  for the roles without one; people.csv gives everyone's role (one person changes role). Yusuf Demir,
  a data scientist in the Analytics group, has no rate at all: his hours are unrated.

Who logs time on an issue is the issue's assignee (else its reporter): the Jira issues' people.
Everything is drawn from its own `random.Random` (seeded from the demo seed), after the other sources
took their draws, so the other files are what they were.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ingest.demo.jira import Issue, JiraData
from ingest.demo.org import (
    HISTORY_START,
    PEOPLE,
    TODAY,
    Project,
    is_workday,
    month_end,
    months_between,
)

LABOUR_SHARE = {"P001": 0.30, "P004": 0.25, "P006": 0.25, "P015": 0.30}  # of each month's cost
TEMPO_PROJECTS = ("P001", "P015")  # the others log their work in Jira
TEMPO_ACCOUNTS = {"P001": ("CLM-DEV", "Claims Automation delivery"), "P015": ("UKC-BUILD", "UK Claims build")}
UNMAPPED_ISSUE = ("OPS-7", "Patch the claims servers", "IT-RUN", "IT operations run")
UNMAPPED_WORKLOGS = 6
CSV_DUPLICATES = 5  # P001 worklogs also exported in the Jira CSV's Log Work columns
MAX_EMBEDDED = 20  # Jira embeds at most 20 worklogs in fields.worklog
FIRST_WORKLOG_ID = 30000
FIRST_TEMPO_ID = 700000
GBP_PER_EUR = 0.845  # about the demo's ECB rate: only to size the hours, never written

ROLE_OF = {  # person -> (role, resource group); Sofia Lindqvist becomes an architect on 2026-04-01
    "Aoife Brennan": ("Developer", "Internal"),
    "Lukas Meier": ("Architect", "Internal"),
    "Priya Raman": ("Developer", "Internal"),
    "Tomasz Nowak": ("Tester", "Internal"),
    "Sofia Lindqvist": ("Business Analyst", "Internal"),
    "James Okafor": ("Project Manager", "Internal"),
    "Marta Silva": ("Developer", "Internal"),
    "Henrik Dahl": ("Tester", "Internal"),
    "Chloe Martin": ("Business Analyst", "Internal"),
    "Ravi Patel": ("Developer", "Internal"),
    "Elena Rossi": ("Developer", "Internal"),
    "Daniel Weber": ("Architect", "Internal"),
    "Grace Thompson": ("Developer", "Internal"),
    "Yusuf Demir": ("Data Scientist", "Analytics"),
    "Nina Kowalski": ("Tester", "Internal"),
    "Oliver Hughes": ("Developer", "Contractors"),
}
ROLE_CHANGE = ("Sofia Lindqvist", dt.date(2026, 4, 1), "Architect")
UNRATED_PERSON = "Yusuf Demir"
UNRATED_ON = "P001"
CONTRACTOR = "Oliver Hughes"
PAY_ROUND = dt.date(2025, 7, 1)
FIRST_DAY = dt.date(2024, 11, 1)
# (person, role, resource_group, project_id, rate, currency, valid_from, valid_to, note)
RATE_CARD = [
    ("", "Developer", "", "", "78.00", "EUR", FIRST_DAY, PAY_ROUND - dt.timedelta(days=1), ""),
    ("", "Developer", "", "", "81.50", "EUR", PAY_ROUND, None, "2025 pay round"),
    ("", "Tester", "", "", "66.00", "EUR", FIRST_DAY, PAY_ROUND - dt.timedelta(days=1), ""),
    ("", "Tester", "", "", "69.00", "EUR", PAY_ROUND, None, "2025 pay round"),
    ("", "Business Analyst", "", "", "72.00", "EUR", FIRST_DAY, PAY_ROUND - dt.timedelta(days=1), ""),
    ("", "Business Analyst", "", "", "75.50", "EUR", PAY_ROUND, None, "2025 pay round"),
    ("", "Architect", "", "", "104.00", "EUR", FIRST_DAY, PAY_ROUND - dt.timedelta(days=1), ""),
    ("", "Architect", "", "", "108.00", "EUR", PAY_ROUND, None, "2025 pay round"),
    ("", "Developer", "", "P015", "64.00", "GBP", FIRST_DAY, None, "UK developers are charged in GBP"),
    (
        "Lukas Meier",
        "",
        "",
        "P001",
        "115.00",
        "EUR",
        FIRST_DAY,
        None,
        "claims platform lead",
    ),
    (CONTRACTOR, "", "", "", "85.00", "GBP", FIRST_DAY, None, "contractor invoiced in GBP"),
    ("", "", "Internal", "", "70.00", "EUR", FIRST_DAY, None, "roles without a rate of their own"),
]
TEMPO_HEADER = [
    "Issue Key",
    "Issue summary",
    "Hours",
    "Work date",
    "Username",
    "Full name",
    "Period",
    "Account Key",
    "Account Name",
    "Account Lead",
    "Account Category",
    "Account Customer",
    "Activity Name",
    "Component",
    "All Components",
    "Version Name",
    "Issue Type",
    "Issue Status",
    "Project Key",
    "Project Name",
    "Epic",
    "Epic Link",
    "Work Description",
    "Parent Key",
    "Reporter",
    "External Hours",
    "Billed Hours",
    "Issue Original Estimate",
    "Issue Remaining Estimate",
    "Worklog Id",
    "Jira Worklog Id",
    "PSP Element",
]
ACTIVITIES = {"Developer": "Development", "Tester": "Testing", "Architect": "Design"}
COMMENTS = ["", "", "Implementation", "Review and fixes", "Pairing session", "Workshop", "Test run"]
HOURS = (2.0, 3.0, 4.0, 4.5, 6.0, 7.5, 8.0)
TEMPO_CSV_FROM = dt.date(2026, 1, 1)  # 2024-25 in XLSX (the smaller file: openpyxl is slow), 2026 in CSV
XLSX_TIME = (2026, 10, 31, 18, 0, 0)  # fixed time in the workbook: same seed, same bytes


@dataclass
class Worklog:
    wid: int  # Jira's worklog id
    issue_key: str
    issue: Issue | None  # None: the unmapped OPS issue (not in the Jira exports)
    project_key: str
    person: str
    tempo_id: str  # Tempo's own worklog id ("" for Jira's own worklogs)
    started: dt.datetime  # UTC (the demo's people work in UTC)
    seconds: int
    comment: str
    tempo: bool
    account_key: str = ""
    account_name: str = ""
    psp: str = ""

    @property
    def hours(self) -> float:
        return self.seconds / 3600


@dataclass
class Labour:
    tempo: list[Worklog] = field(default_factory=list)
    jira: list[Worklog] = field(default_factory=list)
    csv_duplicates: list[Worklog] = field(default_factory=list)


def role_on(person: str, day: dt.date) -> tuple[str, str]:
    role, group = ROLE_OF[person]
    if person == ROLE_CHANGE[0] and day >= ROLE_CHANGE[1]:
        role = ROLE_CHANGE[2]
    return role, group


def rate_on(person: str, project_id: str, day: dt.date) -> tuple[Decimal, str] | None:
    """The rate in force, most specific first (the order the labour model applies), or None."""
    role, group = role_on(person, day)
    for who, column in ((person, 0), (role, 1), (group, 2)):
        for project in (project_id, ""):
            for row in RATE_CARD:
                if (
                    row[column] == who
                    and row[3] == project
                    and row[6] <= day
                    and (row[7] is None or day <= row[7])
                ):
                    return Decimal(row[4]), row[5]
    return None


def cost_cents(person: str, project: Project, day: dt.date, seconds: int) -> int:
    """About what the hours cost in the project's currency (FX at a fixed rate: sizing only)."""
    found = rate_on(person, project.pid, day)
    if found is None:
        return 0
    rate, currency = found
    value = float(rate) * seconds / 3600
    if currency != project.currency:
        value = value * GBP_PER_EUR if project.currency == "GBP" else value / GBP_PER_EUR
    return round(value * 100)


def _working_days(month: dt.date, first: dt.date, last: dt.date) -> list[dt.date]:
    day, out = max(month, first), []
    while day <= min(month_end(month), last):
        if is_workday(day):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def _open_issues(issues: list[Issue], day: dt.date) -> list[Issue]:
    return [
        i
        for i in issues
        if i.created.date() <= day and (i.resolved is None or i.resolved.date() >= day) and i.type != "Epic"
    ]


def plan_labour(seed: int, projects: list[Project], jira: JiraData) -> Labour:
    """Worklogs for the labour projects, month by month, until each month's labour share is logged;
    sets each project's `labour_cents` (month -> cost of the hours logged) for the GL to leave out."""
    rng = random.Random(seed * 1000 + 15)
    labour = Labour()
    next_id, next_tempo = FIRST_WORKLOG_ID, FIRST_TEMPO_ID
    by_key = {p.pid: p for p in projects}
    for pid, share in LABOUR_SHARE.items():
        project = by_key.get(pid)
        if project is None or not project.jira_keys:
            continue
        issues = [i for i in jira.issues if i.jira_key in project.jira_keys]
        tempo = pid in TEMPO_PROJECTS
        if tempo:
            project.tempo_account_keys = [TEMPO_ACCOUNTS[pid][0]]
        last = min(TODAY, project.closed_on or TODAY)
        previous = 0.0
        for month in months_between(max(project.start, HISTORY_START), last):
            earned = project.earned_cents(min(month_end(month), TODAY))
            target = share * (earned - previous) / project.cpi  # cents, as monthly_actuals' spend
            previous = earned
            days = _working_days(month, project.start, last)
            logged = 0
            while logged < target and days:
                day = rng.choice(days)
                candidates = _open_issues(issues, day) or [
                    i for i in issues if i.created.date() <= day and i.type != "Epic"
                ]
                if not tempo:
                    candidates = [i for i in candidates if len(i.worklogs) < MAX_EMBEDDED]
                if not candidates:
                    days.remove(day)
                    continue
                issue = rng.choice(candidates)
                person = issue.assignee or issue.reporter
                if pid == UNRATED_ON and rng.random() < 0.04:  # the data scientist helps the claims team
                    person = UNRATED_PERSON
                seconds = int(rng.choice(HOURS) * 3600)
                started = dt.datetime.combine(day, dt.time(8 + rng.randint(0, 6), rng.choice((0, 15, 30))))
                log = Worklog(
                    next_id,
                    issue.key,
                    issue,
                    issue.jira_key,
                    person,
                    "",
                    started,
                    seconds,
                    rng.choice(COMMENTS),
                    tempo,
                )
                next_id += 1
                cost = cost_cents(person, project, day, seconds)
                logged += cost if cost else seconds / 3600 * 8000  # unrated hours still take time
                project.labour_cents[month] = project.labour_cents.get(month, 0) + cost
                if tempo:
                    log.account_key, log.account_name = TEMPO_ACCOUNTS[pid]
                    if rng.random() < 0.1:  # booked without an account: mapped by its PSP element
                        log.account_key, log.account_name = "", ""
                    log.psp = project.finance_codes[0]
                    log.tempo_id = str(next_tempo)
                    next_tempo += 1
                    labour.tempo.append(log)
                else:
                    issue.worklogs.append(log)
                    labour.jira.append(log)
    tempo_p001 = [w for w in labour.tempo if w.project_key == "CLM"]
    labour.csv_duplicates = sorted(rng.sample(tempo_p001, min(CSV_DUPLICATES, len(tempo_p001))), key=_order)
    for log in labour.csv_duplicates:
        log.issue.csv_worklogs.append(log)
    key, summary, account, account_name = UNMAPPED_ISSUE
    for n in range(UNMAPPED_WORKLOGS):
        day = dt.date(2026, 9, 7) + dt.timedelta(days=n)
        started = dt.datetime.combine(day, dt.time(9, 0))
        person = PEOPLE[(n * 5) % len(PEOPLE)]
        log = Worklog(next_id, key, None, "OPS", person, str(next_tempo), started, 7200, summary, True)
        log.account_key, log.account_name = account, account_name
        next_id, next_tempo = next_id + 1, next_tempo + 1
        labour.tempo.append(log)
    labour.tempo.sort(key=_order)
    for issue in jira.issues:
        issue.worklogs.sort(key=_order)
    return labour


def _order(log: Worklog) -> tuple:
    return log.started, log.wid


# ---- writers -------------------------------------------------------------------------------------


def _tempo_row(log: Worklog, jira: JiraData, project_names: dict[str, str]) -> list:
    issue = log.issue
    parent = issue.parent if issue is not None else None
    epic = parent.key if parent is not None and parent.type == "Epic" else ""
    role, _ = role_on(log.person, log.started.date())
    estimate = issue.estimate_seconds if issue is not None else None
    return [
        log.issue_key,
        issue.summary if issue is not None else UNMAPPED_ISSUE[1],
        f"{log.hours:g}",
        f"{log.started.date().isoformat()} 00:00",
        jira.account_ids[log.person],
        log.person,
        f"{log.started:%b %Y}",
        log.account_key,
        log.account_name,
        "James Okafor" if log.account_key else "",
        "Internal" if log.account_key else "",
        "",
        ACTIVITIES.get(role, "General"),
        "",
        "",
        "",
        issue.type if issue is not None else "Task",
        issue.status if issue is not None else "Done",
        log.project_key,
        project_names.get(log.project_key, "IT Operations"),
        parent.summary if epic else "",
        epic,
        log.comment,
        parent.key if parent is not None else "",
        issue.reporter if issue is not None else "James Okafor",
        "0",
        "0",
        "" if estimate is None else f"{estimate / 3600:g}",
        "",
        log.tempo_id,
        str(log.wid),
        log.psp,
    ]


def write_labour(landing: Path, labour: Labour, jira: JiraData) -> dict[str, int]:
    """The Tempo exports and the rates templates; returns rows per file (landing-relative path)."""
    folder = landing / "worklogs"
    folder.mkdir(parents=True, exist_ok=True)
    names = jira.project_names
    early = [w for w in labour.tempo if w.started.date() < TEMPO_CSV_FROM]
    late = [w for w in labour.tempo if w.started.date() >= TEMPO_CSV_FROM]
    counts = {}
    _write_xlsx(
        folder / "tempo_worklogs_2025.xlsx", [TEMPO_HEADER, *(_xlsx_row(w, jira, names) for w in early)]
    )
    counts["worklogs/tempo_worklogs_2025.xlsx"] = len(early)
    path = folder / "tempo_worklogs_2026.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(TEMPO_HEADER)
        writer.writerows(_tempo_row(w, jira, names) for w in late)
    counts["worklogs/tempo_worklogs_2026.csv"] = len(late)
    counts["rates/rate_card.csv"] = _write_rate_card(landing / "rates" / "rate_card.csv")
    counts["rates/people.csv"] = _write_people(landing / "rates" / "people.csv")
    return counts


def _xlsx_row(log: Worklog, jira: JiraData, names: dict[str, str]) -> list:
    """A Tempo row as Excel holds it: numbers as numbers, the work date as a date-time cell."""
    row: list = _tempo_row(log, jira, names)
    row[2] = log.hours
    row[3] = dt.datetime.combine(log.started.date(), dt.time())
    for i in (25, 26):
        row[i] = 0
    row[27] = float(row[27]) if row[27] else None
    row[29], row[30] = int(log.tempo_id), log.wid
    return [None if v == "" else v for v in row]


def _write_xlsx(path: Path, rows: list[list]) -> None:
    """A workbook whose bytes depend only on its rows: fixed document times and zip entry times."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Worklogs"
    for row in rows:
        ws.append(row)
    fixed = dt.datetime(*XLSX_TIME)
    wb.properties.created = fixed
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = fixed.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"<dcterms:modified([^>]*)>[^<]*<",
                    rb"<dcterms:modified\1>" + stamp.encode() + b"<",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=XLSX_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(entry, data)


def _iso(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


def _write_rate_card(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "person",
                "role",
                "resource_group",
                "project_id",
                "hourly_rate",
                "currency",
                "valid_from",
                "valid_to",
                "note",
            ]
        )
        for person, role, group, project, rate, currency, start, end, note in RATE_CARD:
            writer.writerow([person, role, group, project, rate, currency, _iso(start), _iso(end), note])
    return len(RATE_CARD)


def _write_people(path: Path) -> int:
    rows = []
    for person, (role, group) in ROLE_OF.items():
        if person == ROLE_CHANGE[0]:
            rows.append(
                [person, person, role, group, _iso(FIRST_DAY), _iso(ROLE_CHANGE[1] - dt.timedelta(days=1))]
            )
            rows.append([person, person, ROLE_CHANGE[2], group, _iso(ROLE_CHANGE[1]), ""])
        else:
            rows.append([person, person, role, group, _iso(FIRST_DAY), ""])
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["person", "full_name", "role", "resource_group", "valid_from", "valid_to"])
        writer.writerows(rows)
    return len(rows)
