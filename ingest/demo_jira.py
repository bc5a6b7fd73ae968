"""Demo Jira exports: REST /search/jql pages with changelogs, and Cloud "All fields" CSV pages.

Issues, sprints and changelogs are generated once; both formats are written from the same objects,
so the CSV carries the same issues, statuses and Updated times as the JSON.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from ingest.demo_org import (
    EPIC_KEYED_PROJECT,
    PEOPLE,
    SHARED_JIRA_KEY,
    TODAY,
    Project,
    Scale,
)

SITE = "https://vro-demo.atlassian.net"
NOW = dt.datetime.combine(TODAY, dt.time(17, 0))
STATUSES = {  # name: (id, category key, category id, category name, colour)
    "To Do": ("10000", "new", 2, "To Do", "blue-gray"),
    "In Progress": ("3", "indeterminate", 4, "In Progress", "yellow"),
    "In Review": ("10001", "indeterminate", 4, "In Progress", "yellow"),
    "Done": ("10002", "done", 3, "Done", "green"),
}
ISSUE_TYPES = {"Epic": ("10000", 1), "Story": ("10001", 0), "Task": ("10002", 0), "Bug": ("10003", 0)}
PRIORITIES = {"Highest": "1", "High": "2", "Medium": "3", "Low": "4"}
# choices() with these cumulative weights draws exactly as with weights [1, 3, 10, 3] and [6, 3, 2]
PRIORITY_NAMES, PRIORITY_CUM = list(PRIORITIES), [1, 4, 14, 17]
ITEM_KINDS, ITEM_KIND_CUM = ["Story", "Task", "Bug"], [6, 9, 11]
LABELS = [
    "backend",
    "frontend",
    "integration",
    "migration",
    "regulatory",
    "reporting",
    "security",
    "ux",
    "tech-debt",
    "data",
]
EXTRA_LABEL = "customer-impact"
CSV_KEYS = ["CLM", "CRM", "CRMD", "PAY", "UKC"]  # the projects someone also exported as CSV
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
EPIC_THEMES = ["Foundations", "Core capability", "Integration", "Reporting and MI", "Roll-out"]
WORK_ITEMS = [
    "Capture {x} details",
    "Validate {x} rules",
    "Migrate {x} records",
    "Show {x} status to the customer",
    "Notify handler about {x}",
    "Report on {x} volumes",
    "Secure access to {x}",
    "Archive old {x}",
    "Integrate {x} with the ledger",
    "Automate {x} triage",
]
TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
NOUNS = ["claim", "policy", "payment", "customer", "broker", "document", "quote", "invoice", "case", "agent"]


@dataclass
class Sprint:
    id: int
    board_id: int
    name: str
    start: dt.datetime
    end: dt.datetime

    @property
    def state(self) -> str:
        if self.end <= NOW:
            return "closed"
        return "active" if self.start <= NOW else "future"

    def as_json(self) -> dict:
        out = {
            "id": self.id,
            "name": self.name,
            "state": self.state,
            "boardId": self.board_id,
            "goal": "",
            "startDate": _iso_z(self.start),
            "endDate": _iso_z(self.end),
        }
        if self.state == "closed":
            out["completeDate"] = _iso_z(self.end - dt.timedelta(hours=2))
        return out


@dataclass
class Transition:
    at: dt.datetime
    from_status: str
    to_status: str


@dataclass
class Issue:
    id: int
    key: str
    jira_key: str
    type: str
    summary: str
    created: dt.datetime
    priority: str
    reporter: str
    assignee: str | None
    transitions: list[Transition] = field(default_factory=list)
    # (at, field, from, to) of non-status changes
    other_changes: list[tuple[dt.datetime, str, str, str]] = field(default_factory=list)
    story_points: float | None = None
    labels: list[str] = field(default_factory=list)
    sprints: list[Sprint] = field(default_factory=list)
    parent: Issue | None = None
    description: list[str] | None = None
    watchers: list[str] = field(default_factory=list)
    estimate_seconds: int | None = None
    spent_seconds: int | None = None
    history_ids: list[int] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.transitions[-1].to_status if self.transitions else "To Do"

    @property
    def resolved(self) -> dt.datetime | None:
        return self.transitions[-1].at if self.status == "Done" else None

    @property
    def updated(self) -> dt.datetime:
        times = [self.created] + [t.at for t in self.transitions] + [c[0] for c in self.other_changes]
        return max(times)

    @property
    def category_changed(self) -> dt.datetime:
        at = self.created
        for t in self.transitions:
            if STATUSES[t.from_status][1] != STATUSES[t.to_status][1]:
                at = t.at
        return at


@dataclass
class JiraData:
    issues: list[Issue]
    sprints: list[Sprint]
    project_names: dict[str, str]
    account_ids: dict[str, str]


def _iso(value: dt.datetime) -> str:
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}+0000"


def _iso_z(value: dt.datetime) -> str:
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}Z"


def csv_date(value: dt.datetime) -> str:
    hour = value.hour % 12 or 12
    half = "AM" if value.hour < 12 else "PM"
    return f"{value.day:02d}/{MONTHS[value.month - 1]}/{value:%y} {hour}:{value:%M} {half}"


def _working_time(rng: random.Random, value: dt.datetime) -> dt.datetime:
    """Move a time forward (never back) into office hours, Monday to Friday 08:00-18:00."""
    day, hour = value.date(), value.hour
    if hour >= 18:
        day, hour = day + dt.timedelta(days=1), rng.randint(8, 10)
    elif hour < 8:
        hour = rng.randint(8, 10)
    if day.weekday() >= 5:
        day, hour = day + dt.timedelta(days=7 - day.weekday()), rng.randint(8, 10)
    return dt.datetime.combine(day, dt.time(hour, value.minute, value.second, rng.randrange(1000) * 1000))


def _later(rng: random.Random, value: dt.datetime, low_days: float, high_days: float) -> dt.datetime:
    return _working_time(rng, value + dt.timedelta(hours=rng.uniform(low_days * 24, high_days * 24)))


def _sprints_for_board(board_id: int, key: str, start: dt.date, first_id: int) -> list[Sprint]:
    monday = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    sprints, n = [], 1
    begin = dt.datetime.combine(monday, dt.time(9, 0))
    while True:
        sprint = Sprint(first_id + n - 1, board_id, f"{key} Sprint {n}", begin, begin + dt.timedelta(days=14))
        sprints.append(sprint)
        if sprint.start > NOW:
            return sprints
        begin, n = sprint.end, n + 1


def _lifecycle(rng: random.Random, issue: Issue, rework_rounds: int = 0) -> None:
    """Status transitions To Do -> In Progress -> (In Review, sometimes back) -> Done, up to now."""
    steps = ["In Progress"]
    if issue.type in ("Story", "Bug") and rng.random() < 0.65:
        steps.append("In Review")
        if rng.random() < 0.25:
            steps += ["In Progress", "In Review"]
        for _ in range(rework_rounds):  # larger scales: longer review ping-pong (more status changes)
            if rng.random() < 0.5:
                steps += ["In Progress", "In Review"]
    steps.append("Done")
    if issue.created > NOW - dt.timedelta(days=45):
        # the current sprint's work: stopped somewhere along the way, spread over the days since
        reached = rng.choices(range(len(steps) + 1), weights=[2] + [3] * (len(steps) - 1) + [3])[0]
        gaps = sorted(rng.uniform(0, (NOW - issue.created).total_seconds()) for _ in range(reached))
        latest = NOW - dt.timedelta(minutes=10)
        ats = [min(latest, _working_time(rng, issue.created + dt.timedelta(seconds=g))) for g in gaps]
        for k in range(1, len(ats)):
            ats[k] = max(ats[k], ats[k - 1] + dt.timedelta(minutes=1))
        current = "To Do"
        for step, at in zip(steps[:reached], ats, strict=True):
            issue.transitions.append(Transition(at, current, step))
            current = step
        return
    if issue.created > NOW - dt.timedelta(days=180) and rng.random() < 0.2:
        return  # still in the backlog
    wait = (0.5, 20) if rng.random() < 0.7 else (20, 120)
    at = _later(rng, issue.created, *wait)
    current = "To Do"
    for step in steps:
        if at > NOW:
            return
        issue.transitions.append(Transition(at, current, step))
        current = step
        at = _later(rng, at, 0.5, 9 if step == "In Progress" else 4)


def _sprint_at(sprints: list[Sprint], when: dt.datetime) -> int:
    for i, sprint in enumerate(sprints):
        if when < sprint.end:
            return i
    return len(sprints) - 1


def _assign_sprints(rng: random.Random, issue: Issue, sprints: list[Sprint]) -> None:
    started = [t.at for t in issue.transitions]
    if not started:
        active = _sprint_at(sprints, NOW)
        if issue.created > NOW - dt.timedelta(days=60):
            issue.sprints = [sprints[min(active + rng.randint(0, 1), len(sprints) - 1)]]
        return
    first = _sprint_at(sprints, started[0])
    last = _sprint_at(sprints, issue.resolved or NOW)
    chosen = sprints[first : last + 1]
    issue.sprints = chosen[-3:]


def _description(rng: random.Random, issue: Issue) -> list[str] | None:
    if issue.type == "Bug":
        return [
            f"Steps to reproduce: open the {rng.choice(NOUNS)} screen and save.",
            "Expected: the record is saved.",
            'Actual: "Error 500", the change is lost.',
        ]
    if issue.type == "Story" and rng.random() < 0.4:
        return [
            f"As a {rng.choice(['claims handler', 'customer', 'broker', 'underwriter'])}, "
            f"I want to {issue.summary.lower()}, so that work gets done faster."
        ]
    return None


@dataclass(frozen=True)
class Board:
    board_id: int
    key: str
    name: str
    start: dt.date
    owner: Project | None  # None: the shared platform project


def new_account_ids(rng: random.Random) -> dict[str, str]:
    return {p: "".join(rng.choice("0123456789abcdef") for _ in range(24)) for p in PEOPLE}


def jira_boards(projects: list[Project]) -> list[Board]:
    """Every Jira project (board) in creation order; the shared platform one last."""
    boards: list[Board] = []
    for project in projects:
        for i, key in enumerate(project.jira_keys):
            boards.append(
                Board(
                    len(boards) + 1,
                    key,
                    project.name if i == 0 else f"{project.name} Data Migration",
                    project.start,
                    project,
                )
            )
    if any(p.pid == EPIC_KEYED_PROJECT for p in projects):
        boards.append(
            Board(len(boards) + 1, SHARED_JIRA_KEY, "Data Platform", min(p.start for p in projects), None)
        )
    return boards


def generate_board(
    rng: random.Random,
    board: Board,
    epic_project: Project | None,
    scale: Scale,
    first_id: int,
    first_sprint: int,
    first_number: int = 1,
) -> tuple[list[Issue], list[Sprint], list[str]]:
    """One board's sprints and issues (ids from `first_id`, keys from `first_number`); returns also
    the platform epic keys that belong to the epic-keyed project (empty for every other board)."""
    key, start, owner = board.key, board.start, board.owner
    sprints = _sprints_for_board(board.board_id, key, start, first_sprint)
    team = rng.sample(PEOPLE, 5)
    issues: list[Issue] = []
    next_id, number = first_id, first_number - 1
    epic_keys: list[str] = []

    def new_issue(kind: str, summary: str, created: dt.datetime, parent: Issue | None) -> Issue:
        nonlocal next_id, number
        number += 1
        issue = Issue(
            next_id,
            f"{key}-{number}",
            key,
            kind,
            summary,
            created,
            rng.choices(PRIORITY_NAMES, cum_weights=PRIORITY_CUM)[0],
            rng.choice(team),
            rng.choice(team) if rng.random() < 0.9 else None,
            parent=parent,
        )
        next_id += 1
        issues.append(issue)
        return issue

    start_at = _working_time(rng, dt.datetime.combine(start, dt.time(9, 30)))
    epic_specs: list[tuple[str, Project | None]]
    if owner is None:  # the shared platform project
        epic_specs = [(f"{epic_project.name}: {t}", epic_project) for t in EPIC_THEMES[:2]]
        epic_specs.append(("Platform run and maintain", None))
    else:
        epic_specs = [(f"{t}", owner) for t in EPIC_THEMES[: 2 + (rng.random() < 0.5)]]
    epics = []
    for summary, epic_owner in epic_specs:
        epic = new_issue("Epic", summary, _later(rng, start_at, 0, 3), None)
        epic.transitions.append(Transition(_later(rng, epic.created, 2, 6), "To Do", "In Progress"))
        if epic_owner is not None and epic_owner.closed_on is not None:
            epic.transitions.append(
                Transition(dt.datetime.combine(epic_owner.closed_on, dt.time(11, 0)), "In Progress", "Done")
            )
        if owner is None and epic_owner is not None:
            epic_keys.append(epic.key)
        epics.append(epic)
    n_items = (
        scale.issues_per_project
        if key == (owner.jira_keys[0] if owner else key)
        else max(4, scale.issues_per_project // 3)
    )
    horizon = owner.closed_on if owner and owner.closed_on else TODAY
    span_days = max(10, (horizon - start).days - 3)
    recent = max(1, span_days - 60)  # a quarter of the items were raised in the last two months
    created_times = sorted(
        _later(rng, start_at, 1 + recent * (rng.random() < 0.25), 1 + span_days) for _ in range(n_items)
    )
    for created in created_times:
        kind = rng.choices(ITEM_KINDS, cum_weights=ITEM_KIND_CUM)[0]
        summary = rng.choice(WORK_ITEMS).format(x=rng.choice(NOUNS))
        if kind == "Bug":
            summary = f"Error when saving {rng.choice(NOUNS)} changes"
        issue = new_issue(kind, summary, min(created, NOW - dt.timedelta(days=1)), rng.choice(epics))
        _lifecycle(rng, issue, scale.rework_rounds)
        if kind == "Story":
            issue.story_points = float(rng.choice([1, 2, 3, 5, 8, 13]))
        elif kind == "Task" and rng.random() < 0.5:
            issue.story_points = float(rng.choice([1, 2, 3]))
        if kind == "Task":
            issue.estimate_seconds = rng.choice([4, 8, 16, 24, 40]) * 3600
            if issue.status == "Done":
                issue.spent_seconds = int(issue.estimate_seconds * rng.uniform(0.6, 1.6)) // 900 * 900
        issue.labels = sorted(rng.sample(LABELS, rng.choice([0, 1, 1, 2, 3])))
        issue.description = _description(rng, issue)
        _assign_sprints(rng, issue, sprints)
        if issue.story_points and rng.random() < 0.2:
            when = _later(rng, issue.created, 0, 2)
            if when < issue.updated:
                issue.other_changes.append((when, "Story Points", "", f"{issue.story_points:g}"))
    for issue in issues:
        watchers = [issue.reporter] + ([issue.assignee] if issue.assignee else [])
        if rng.random() < 0.3:
            watchers.append(rng.choice(team))
        issue.watchers = list(dict.fromkeys(watchers))
    return issues, sprints, epic_keys


def assign_history_ids(issues: list[Issue], first: int) -> int:
    """Changelog ids in issue order from `first`; returns the next free id."""
    history_id = first
    for issue in issues:
        count = len(issue.transitions) + len(issue.other_changes)
        issue.history_ids = list(range(history_id, history_id + count))
        history_id += count
    return history_id


FIRST_ISSUE_ID, FIRST_HISTORY_ID = 10000, 100000


def build_issues(rng: random.Random, projects: list[Project], scale: Scale) -> JiraData:
    account_ids = new_account_ids(rng)
    boards = jira_boards(projects)
    epic_project = next((p for p in projects if p.pid == EPIC_KEYED_PROJECT), None)
    issues: list[Issue] = []
    sprints_all: list[Sprint] = []
    next_id, next_sprint = FIRST_ISSUE_ID, 1
    for board in boards:
        board_issues, sprints, epic_keys = generate_board(
            rng, board, epic_project, scale, next_id, next_sprint
        )
        if epic_project is not None:
            epic_project.epic_keys.extend(epic_keys)
        next_id += len(board_issues)
        next_sprint += len(sprints)
        sprints_all.extend(sprints)
        issues.extend(board_issues)
    assign_history_ids(issues, FIRST_HISTORY_ID)
    names = {b.key: b.name for b in boards}
    return JiraData(issues, sprints_all, names, account_ids)


# ---- CSV page shaping --------------------------------------------------------------------------


def csv_pages(data: JiraData, scale: Scale) -> list[list[Issue]]:
    subset = sorted((i for i in data.issues if i.jira_key in CSV_KEYS), key=lambda i: -i.id)
    pages_n = max(2, math.ceil(len(subset) / scale.csv_page_size))
    size = math.ceil(len(subset) / pages_n)
    return [subset[i : i + size] for i in range(0, len(subset), size)]


def shape_csv_pages(rng: random.Random, data: JiraData, pages: list[list[Issue]]) -> None:
    """Make the repeated Labels and Sprint column counts differ between the first two pages."""
    first, second = pages[0], pages[1]
    for issue in first:
        issue.sprints = issue.sprints[-2:]
    target = next((i for i in first if i.type != "Epic"), first[0])
    fill = [x for x in LABELS if x not in target.labels][: 3 - len(target.labels)]
    target.labels = sorted([*target.labels, *fill, EXTRA_LABEL])
    if max(len(i.sprints) for i in second) < 3:
        # one item sat, not started, in earlier sprints before it was worked on (carried over)
        for issue in sorted((i for i in second if i.sprints), key=lambda i: (-len(i.sprints), i.id)):
            board = [s for s in data.sprints if s.board_id == issue.sprints[0].board_id]
            pos = board.index(issue.sprints[0])
            earlier = [s for s in board[max(0, pos - 3 + len(issue.sprints)) : pos] if s.end > issue.created]
            if len(earlier) + len(issue.sprints) >= 3:
                issue.sprints = [*earlier, *issue.sprints][-3:]
                break


# ---- writers -------------------------------------------------------------------------------------


def _user(data: JiraData, name: str | None) -> dict | None:
    if name is None:
        return None
    account = data.account_ids[name]
    return {
        "self": f"{SITE}/rest/api/3/user?accountId={account}",
        "accountId": account,
        "displayName": name,
        "active": True,
        "timeZone": "Europe/Dublin",
        "accountType": "atlassian",
    }


def _status(name: str) -> dict:
    sid, key, cid, cname, colour = STATUSES[name]
    return {
        "self": f"{SITE}/rest/api/3/status/{sid}",
        "description": "",
        "iconUrl": f"{SITE}/",
        "name": name,
        "id": sid,
        "statusCategory": {
            "self": f"{SITE}/rest/api/3/statuscategory/{cid}",
            "id": cid,
            "key": key,
            "colorName": colour,
            "name": cname,
        },
    }


def _issuetype(name: str) -> dict:
    tid, level = ISSUE_TYPES[name]
    return {
        "self": f"{SITE}/rest/api/3/issuetype/{tid}",
        "id": tid,
        "name": name,
        "subtask": False,
        "hierarchyLevel": level,
    }


def _adf(lines: list[str] | None) -> dict | None:
    if not lines:
        return None
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": line}]} for line in lines],
    }


def _histories(data: JiraData, issue: Issue) -> list[dict]:
    events: list[tuple[dt.datetime, list[dict]]] = []
    for t in issue.transitions:
        items = []
        if t.to_status == "Done":
            items.append(
                {
                    "field": "resolution",
                    "fieldtype": "jira",
                    "fieldId": "resolution",
                    "from": None,
                    "fromString": None,
                    "to": "10000",
                    "toString": "Done",
                }
            )
        items.append(
            {
                "field": "status",
                "fieldtype": "jira",
                "fieldId": "status",
                "from": STATUSES[t.from_status][0],
                "fromString": t.from_status,
                "to": STATUSES[t.to_status][0],
                "toString": t.to_status,
            }
        )
        events.append((t.at, items))
    for at, fld, old, new in issue.other_changes:
        events.append(
            (
                at,
                [
                    {
                        "field": fld,
                        "fieldtype": "custom",
                        "fieldId": "customfield_10016",
                        "from": None,
                        "fromString": old or None,
                        "to": None,
                        "toString": new,
                    }
                ],
            )
        )
    events.sort(key=lambda e: e[0])
    author = issue.assignee or issue.reporter
    out = [
        {"id": str(hid), "author": _user(data, author), "created": _iso(at), "items": items}
        for hid, (at, items) in zip(issue.history_ids, events, strict=True)
    ]
    return list(reversed(out))  # newest first


def issue_json(data: JiraData, issue: Issue) -> dict:
    fields: dict = {
        "summary": issue.summary,
        "issuetype": _issuetype(issue.type),
        "project": {
            "self": f"{SITE}/rest/api/3/project/{issue.jira_key}",
            "key": issue.jira_key,
            "name": data.project_names[issue.jira_key],
            "projectTypeKey": "software",
        },
        "status": _status(issue.status),
        "priority": {
            "self": f"{SITE}/rest/api/3/priority/{PRIORITIES[issue.priority]}",
            "id": PRIORITIES[issue.priority],
            "name": issue.priority,
        },
        "assignee": _user(data, issue.assignee),
        "reporter": _user(data, issue.reporter),
        "creator": _user(data, issue.reporter),
        "created": _iso(issue.created),
        "updated": _iso(issue.updated),
        "resolutiondate": _iso(issue.resolved) if issue.resolved else None,
        "resolution": {"id": "10000", "name": "Done"} if issue.resolved else None,
        "statuscategorychangedate": _iso(issue.category_changed),
        "labels": issue.labels,
        "components": [],
        "fixVersions": [],
        "duedate": None,
        "description": _adf(issue.description),
        "timeoriginalestimate": issue.estimate_seconds,
        "timespent": issue.spent_seconds,
        "customfield_10016": issue.story_points,
        "customfield_10020": [s.as_json() for s in issue.sprints] or None,
        "watches": {
            "self": f"{SITE}/rest/api/3/issue/{issue.key}/watchers",
            "watchCount": len(issue.watchers),
            "isWatching": False,
        },
    }
    if issue.parent is not None:
        p = issue.parent
        fields["parent"] = {
            "id": str(p.id),
            "key": p.key,
            "self": f"{SITE}/rest/api/3/issue/{p.id}",
            "fields": {
                "summary": p.summary,
                "status": _status(p.status),
                "priority": {"id": PRIORITIES[p.priority], "name": p.priority},
                "issuetype": _issuetype(p.type),
            },
        }
    histories = _histories(data, issue)
    return {
        "expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields",
        "id": str(issue.id),
        "self": f"{SITE}/rest/api/3/issue/{issue.id}",
        "key": issue.key,
        "changelog": {
            "startAt": 0,
            "maxResults": len(histories),
            "total": len(histories),
            "histories": histories,
        },
        "fields": fields,
    }


def write_json_pages(landing: Path, rng: random.Random, data: JiraData, scale: Scale) -> int:
    folder = landing / "jira"
    folder.mkdir(parents=True, exist_ok=True)
    ordered = sorted(data.issues, key=lambda i: i.id)
    pages = [ordered[i : i + scale.json_page_size] for i in range(0, len(ordered), scale.json_page_size)]
    for n, page in enumerate(pages, start=1):
        token = page_token(rng) if n < len(pages) else None
        write_json_page(folder / f"search_jql_page_{n}.json", data, page, token)
    return len(pages)


def page_token(rng: random.Random) -> str:
    return "".join(rng.choice(TOKEN_CHARS) for _ in range(48))


def write_json_page(path: Path, data: JiraData, page: list[Issue], next_token: str | None) -> None:
    """One /rest/api/3/search/jql response; the last page has no nextPageToken and isLast true."""
    body: dict = {"issues": [issue_json(data, i) for i in page]}
    if next_token is not None:
        body["nextPageToken"] = next_token
    body["isLast"] = next_token is None
    with path.open("w", encoding="utf-8", newline="") as fh:
        # dumps, not dump: json.dump streams through the pure-Python encoder (20x slower), same bytes
        fh.write(json.dumps(body, ensure_ascii=False, separators=(",", ":")))


def status_change_count(data: JiraData) -> int:
    return sum(len(i.transitions) for i in data.issues)


def _pad(values: list[str], width: int) -> list[str]:
    return [*values, *[""] * (width - len(values))]


def write_csv_pages(landing: Path, data: JiraData, pages: list[list[Issue]]) -> list[int]:
    folder = landing / "jira"
    folder.mkdir(parents=True, exist_ok=True)
    for n, page in enumerate(pages, start=1):
        write_csv_page(folder / f"export_all_fields_page_{n}.csv", data, page, bom=n == 1)
    return [len(page) for page in pages]


def write_csv_page(path: Path, data: JiraData, page: list[Issue], bom: bool) -> None:
    """One Jira Cloud "All fields" CSV page: repeated columns as wide as this page needs."""
    n_labels = max(1, max(len(i.labels) for i in page))
    n_sprints = max(1, max(len(i.sprints) for i in page))
    n_watchers = max(1, max(len(i.watchers) for i in page))
    header = [
        "Summary",
        "Issue key",
        "Issue id",
        "Issue Type",
        "Status",
        "Project key",
        "Project name",
        "Project type",
        "Project lead",
        "Project lead id",
        "Project description",
        "Priority",
        "Resolution",
        "Assignee",
        "Assignee Id",
        "Reporter",
        "Reporter Id",
        "Creator",
        "Creator Id",
        "Created",
        "Updated",
        "Last Viewed",
        "Resolved",
        "Due date",
        "Votes",
        *["Labels"] * n_labels,
        "Description",
        "Environment",
        *["Watchers"] * n_watchers,
        *["Watchers Id"] * n_watchers,
        "Original estimate",
        "Remaining Estimate",
        "Time Spent",
        "Work Ratio",
        "Σ Original Estimate",
        "Σ Remaining Estimate",
        "Σ Time Spent",
        "Security Level",
        "Attachment",
        "Custom field (Development)",
        "Custom field (Issue color)",
        "Custom field (Rank)",
        *["Sprint"] * n_sprints,
        "Custom field (Start date)",
        "Custom field (Story Points)",
        "Custom field (Story point estimate)",
        "Custom field (Team)",
        "Custom field (Vulnerability)",
        "Parent",
        "Parent key",
        "Parent summary",
        "Status Category",
        "Status Category Changed",
    ]
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for issue in page:
            lead = issue.reporter
            est, spent = issue.estimate_seconds, issue.spent_seconds
            remaining = None if est is None else max(0, est - (spent or 0))
            writer.writerow(
                [
                    issue.summary,
                    issue.key,
                    issue.id,
                    issue.type,
                    issue.status,
                    issue.jira_key,
                    data.project_names[issue.jira_key],
                    "software",
                    lead,
                    data.account_ids[lead],
                    "",
                    issue.priority,
                    "Done" if issue.resolved else "",
                    issue.assignee or "",
                    data.account_ids[issue.assignee] if issue.assignee else "",
                    issue.reporter,
                    data.account_ids[issue.reporter],
                    issue.reporter,
                    data.account_ids[issue.reporter],
                    csv_date(issue.created),
                    csv_date(issue.updated),
                    "",
                    csv_date(issue.resolved) if issue.resolved else "",
                    "",
                    0,
                    *_pad(issue.labels, n_labels),
                    "\n".join(issue.description or []),
                    "",
                    *_pad(issue.watchers, n_watchers),
                    *_pad([data.account_ids[w] for w in issue.watchers], n_watchers),
                    "" if est is None else est,
                    "" if remaining is None else remaining,
                    "" if spent is None else spent,
                    "",
                    "" if est is None else est,
                    "" if remaining is None else remaining,
                    "" if spent is None else spent,
                    "",
                    "",
                    "",
                    "",
                    f"0|i{issue.id:05d}:",
                    *_pad([s.name for s in issue.sprints], n_sprints),
                    "",
                    "" if issue.story_points is None else f"{issue.story_points:.1f}",
                    "",
                    "",
                    "",
                    issue.parent.id if issue.parent else "",
                    issue.parent.key if issue.parent else "",
                    issue.parent.summary if issue.parent else "",
                    STATUSES[issue.status][3],
                    csv_date(issue.category_changed),
                ]
            )
