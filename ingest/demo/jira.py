"""Demo Jira exports: REST /search/jql pages with changelogs, and Cloud "All fields" CSV pages.

Issues, sprints and changelogs are generated once; both formats are written from the same objects,
so the CSV carries the same issues, statuses and Updated times as the JSON.

The workflow has queues as real boards do: finished work waits in Ready for Review before In Review
(also, on most boards, work the lifecycle took straight from In Progress to Done), and some issues
sit Blocked for a few days. These waiting statuses (category In Progress, names matching dbt var
flow_waiting_statuses) are cut out of the intervals the main lifecycle drew, never added to them,
with a random stream of their own per board (`_Queues`): the main stream draws what it drew without
them, so every non-Jira file is byte-identical to what the generator wrote before they existed. How
long work waits differs by board, so flow efficiency differs by project.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from ingest.demo.org import (
    EPIC_KEYED_PROJECT,
    PEOPLE,
    SHARED_JIRA_KEY,
    TODAY,
    Project,
    Scale,
    csv_cell,
)

SITE = "https://vro-demo.atlassian.net"
NOW = dt.datetime.combine(TODAY, dt.time(17, 0))
STATUSES = {  # name: (id, category key, category id, category name, colour)
    "To Do": ("10000", "new", 2, "To Do", "blue-gray"),
    "In Progress": ("3", "indeterminate", 4, "In Progress", "yellow"),
    "In Review": ("10001", "indeterminate", 4, "In Progress", "yellow"),
    "Done": ("10002", "done", 3, "Done", "green"),
    # waiting statuses (dbt var flow_waiting_statuses): Jira files them under In Progress
    "Ready for Review": ("10003", "indeterminate", 4, "In Progress", "yellow"),
    "Blocked": ("10004", "indeterminate", 4, "In Progress", "yellow"),
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

    @functools.cached_property
    def json_text(self) -> str:
        """The sprint as customfield_10020 embeds it, encoded once for all its issues."""
        return _dumps(self.as_json())

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


@dataclass(slots=True)
class Transition:
    at: dt.datetime
    from_status: str
    to_status: str


@dataclass(slots=True)
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
    worklogs: list = field(default_factory=list)  # Jira's own worklogs (labour.Worklog), in fields.worklog
    csv_worklogs: list = field(default_factory=list)  # worklogs the CSV export shows in Log Work columns

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


# The date formatters avoid strftime (slow, and called millions of times at scale L); the text is the
# same: isoformat() with milliseconds truncates the microseconds as `microsecond // 1000` does.


def _iso(value: dt.datetime) -> str:
    return f"{value.isoformat(timespec='milliseconds')}+0000"


def _iso_z(value: dt.datetime) -> str:
    return f"{value.isoformat(timespec='milliseconds')}Z"


def csv_date(value: dt.datetime) -> str:
    hour = value.hour % 12 or 12
    half = "AM" if value.hour < 12 else "PM"
    return (
        f"{value.day:02d}/{MONTHS[value.month - 1]}/{value.year % 100:02d} {hour}:{value.minute:02d} {half}"
    )


ONE_DAY, ONE_MINUTE = dt.timedelta(days=1), dt.timedelta(minutes=1)
LAST_45_DAYS, LAST_60_DAYS, LAST_180_DAYS = (NOW - dt.timedelta(days=n) for n in (45, 60, 180))


def _weighted(rng: random.Random, population: list[str], cum_weights: list[int]) -> str:
    """rng.choices(population, cum_weights=cum_weights)[0] without its per-call checks: the same draw."""
    x = rng.random() * (cum_weights[-1] + 0.0)
    return population[bisect.bisect_right(cum_weights, x, 0, len(cum_weights) - 1)]


def _working_time(rng: random.Random, value: dt.datetime) -> dt.datetime:
    """Move a time forward (never back) into office hours, Monday to Friday 08:00-18:00."""
    day, hour = value.date(), value.hour
    if hour >= 18:
        day, hour = day + ONE_DAY, rng.randint(8, 10)
    elif hour < 8:
        hour = rng.randint(8, 10)
    if day.weekday() >= 5:
        day, hour = day + dt.timedelta(days=7 - day.weekday()), rng.randint(8, 10)
    millisecond = rng.randrange(1000)
    return dt.datetime(day.year, day.month, day.day, hour, value.minute, value.second, millisecond * 1000)


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
    if issue.created > LAST_45_DAYS:
        # the current sprint's work: stopped somewhere along the way, spread over the days since
        reached = rng.choices(range(len(steps) + 1), weights=[2] + [3] * (len(steps) - 1) + [3])[0]
        gaps = sorted(rng.uniform(0, (NOW - issue.created).total_seconds()) for _ in range(reached))
        latest = NOW - 10 * ONE_MINUTE
        ats = [min(latest, _working_time(rng, issue.created + dt.timedelta(seconds=g))) for g in gaps]
        for k in range(1, len(ats)):
            ats[k] = max(ats[k], ats[k - 1] + ONE_MINUTE)
        current = "To Do"
        for step, at in zip(steps[:reached], ats, strict=True):
            issue.transitions.append(Transition(at, current, step))
            current = step
        return
    if issue.created > LAST_180_DAYS and rng.random() < 0.2:
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


class _Queues:
    """A board's waiting statuses, cut out of the intervals `_lifecycle` drew (times never move, so
    the current status only changes for work in flight, never to or from Done). Its own random
    stream, seeded by the board and the first issue id: the main stream draws exactly what it drew
    before the queues existed."""

    def __init__(self, board_key: str, first_id: int) -> None:
        self.rng = random.Random(f"queues/{board_key}/{first_id}")
        # how this board's work waits: the share of a hand-over interval spent in the review queue,
        # how often an interval of work is interrupted by a block, how often work the lifecycle
        # took straight to Done was in fact reviewed (queued, then In Review for the last part)
        self.queue_share = self.rng.uniform(0.2, 0.85)
        self.blocked_chance = self.rng.uniform(0.05, 0.5)
        self.review_chance = self.rng.uniform(0.6, 0.95)

    def _at(
        self, start: dt.datetime, end: dt.datetime, share: float, forward: bool = True
    ) -> dt.datetime | None:
        """A time `share` of the way from start to end moved into office hours (Monday to Friday
        08:00-18:00): forward to the next morning for a status someone picks work up in, back to the
        last afternoon for the queue finished work enters. None unless strictly between start and end."""
        raw = start + (end - start) * share
        day, hour, minute = raw.date(), raw.hour, raw.minute
        if forward:
            if hour >= 18:
                day, hour = day + ONE_DAY, 8
            elif hour < 8:
                hour = 8
            if day.weekday() >= 5:
                day, hour = day + dt.timedelta(days=7 - day.weekday()), 8
        else:
            if hour < 8:
                day, hour = day - ONE_DAY, 17
            elif hour >= 18:
                hour = 17
            if day.weekday() >= 5:
                day, hour = day - dt.timedelta(days=day.weekday() - 4), 17
        at = dt.datetime(day.year, day.month, day.day, hour, minute, raw.second)
        at += dt.timedelta(milliseconds=self.rng.randrange(1000))
        return at if start + ONE_MINUTE <= at <= end - ONE_MINUTE else None

    def apply(self, issue: Issue) -> None:
        if issue.type == "Epic" or not issue.transitions:
            return
        out: list[Transition] = []
        moves = issue.transitions
        for k, move in enumerate(moves):
            out.append(move)
            if move.to_status != "In Progress":
                continue
            start = move.at
            following = moves[k + 1] if k + 1 < len(moves) else None
            end = following.at if following else NOW - 10 * ONE_MINUTE
            if end - start < dt.timedelta(hours=4):
                continue
            queue = review = None  # when the work enters Ready for Review; In Review when added here
            if following is not None and following.to_status in ("In Review", "Done"):
                direct = following.to_status == "Done"
                if not direct or self.rng.random() < self.review_chance:
                    share = min(0.9, max(0.1, self.queue_share + self.rng.uniform(-0.15, 0.15)))
                    at = self._at(start, end, 1 - share, forward=False)
                    if direct and at is not None:  # reviewed in the last tenth to third
                        review = self._at(at, end, 1 - self.rng.uniform(0.1, 0.33))
                    if at is not None and (not direct or review is not None):
                        queue = at
            elif following is None:  # work in flight: a third waits for review now, a third is blocked
                r, at = self.rng.random(), self._at(start, end, self.rng.uniform(0.3, 0.8), forward=False)
                if r < 1 / 3:
                    queue = at
                elif r < 2 / 3 and at is not None:
                    out.append(Transition(at, "In Progress", "Blocked"))
                    continue
            work_end = queue or end
            if work_end - start >= dt.timedelta(days=1.5) and self.rng.random() < self.blocked_chance:
                low = self.rng.uniform(0.1, 0.3)
                blocked = self._at(start, work_end, low, forward=False)
                freed = self._at(start, work_end, low + self.rng.uniform(0.35, 0.6))
                if blocked is not None and freed is not None and blocked + ONE_MINUTE <= freed:
                    out.append(Transition(blocked, "In Progress", "Blocked"))
                    out.append(Transition(freed, "Blocked", "In Progress"))
            if queue is not None:
                out.append(Transition(queue, "In Progress", "Ready for Review"))
                if review is not None:
                    out.append(Transition(review, "Ready for Review", "In Review"))
                if following is not None:
                    following.from_status = "In Review" if review is not None else "Ready for Review"
        issue.transitions = out


def _sprint_end(sprint: Sprint) -> dt.datetime:
    return sprint.end


def _sprint_at(sprints: list[Sprint], when: dt.datetime) -> int:
    """The first sprint that ends after `when` (the last one if none does); sprints are consecutive."""
    return min(bisect.bisect_right(sprints, when, key=_sprint_end), len(sprints) - 1)


def _assign_sprints(rng: random.Random, issue: Issue, sprints: list[Sprint]) -> None:
    started = [t.at for t in issue.transitions]
    if not started:
        active = _sprint_at(sprints, NOW)
        if issue.created > LAST_60_DAYS:
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
    queues = _Queues(key, first_id)
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
            _weighted(rng, PRIORITY_NAMES, PRIORITY_CUM),
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
        kind = _weighted(rng, ITEM_KINDS, ITEM_KIND_CUM)
        summary = rng.choice(WORK_ITEMS).format(x=rng.choice(NOUNS))
        if kind == "Bug":
            summary = f"Error when saving {rng.choice(NOUNS)} changes"
        issue = new_issue(kind, summary, min(created, NOW - dt.timedelta(days=1)), rng.choice(epics))
        _lifecycle(rng, issue, scale.rework_rounds)
        queues.apply(issue)
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


# The JSON building blocks below are built once and shared by every issue that embeds them: read-only.


@functools.lru_cache(maxsize=256)
def _user_json(name: str, account: str) -> dict:
    return {
        "self": f"{SITE}/rest/api/3/user?accountId={account}",
        "accountId": account,
        "displayName": name,
        "active": True,
        "timeZone": "Europe/Dublin",
        "accountType": "atlassian",
    }


@functools.cache
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


@functools.cache
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


RESOLVED_ITEM = {
    "field": "resolution",
    "fieldtype": "jira",
    "fieldId": "resolution",
    "from": None,
    "fromString": None,
    "to": "10000",
    "toString": "Done",
}


@functools.cache
def _transition_items(from_status: str, to_status: str) -> list[dict]:
    """A status change's changelog items (the resolution too when it moves to Done)."""
    status = {
        "field": "status",
        "fieldtype": "jira",
        "fieldId": "status",
        "from": STATUSES[from_status][0],
        "fromString": from_status,
        "to": STATUSES[to_status][0],
        "toString": to_status,
    }
    return [RESOLVED_ITEM, status] if to_status == "Done" else [status]


# JSON as the export writes it (compact, UTF-8); one encoder for all (json.dumps with options makes one
# per call). The issue JSON is put together from text: the histories and the fields, from building
# blocks (users, statuses, sprints, epics...) encoded once; the bytes are those of json.dumps of the
# same dict, which a test checks by re-encoding a page.
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
_json_string = json.encoder.encode_basestring  # a str as JSON text, as the encoder above writes it


@functools.lru_cache(maxsize=256)
def _user_text(name: str, account: str) -> str:
    return _dumps(_user_json(name, account))


@functools.cache
def _transition_items_text(from_status: str, to_status: str) -> str:
    return _dumps(_transition_items(from_status, to_status))


def _story_points_items(fld: str, old: str, new: str) -> list[dict]:
    return [
        {
            "field": fld,
            "fieldtype": "custom",
            "fieldId": "customfield_10016",
            "from": None,
            "fromString": old or None,
            "to": None,
            "toString": new,
        }
    ]


def _history_texts(data: JiraData, issue: Issue) -> list[str]:
    """The issue's changelog histories as JSON text, newest first."""
    events = [(t.at, _transition_items_text(t.from_status, t.to_status)) for t in issue.transitions]
    events += [(at, _dumps(_story_points_items(*change))) for at, *change in issue.other_changes]
    events.sort(key=lambda e: e[0])
    author = issue.assignee or issue.reporter
    author_text = _user_text(author, data.account_ids[author])
    out = [
        f'{{"id":"{hid}","author":{author_text},"created":"{_iso(at)}","items":{items}}}'
        for hid, (at, items) in zip(issue.history_ids, events, strict=True)
    ]
    return out[::-1]


@functools.cache
def _status_text(name: str) -> str:
    return _dumps(_status(name))


@functools.cache
def _issuetype_text(name: str) -> str:
    return _dumps(_issuetype(name))


@functools.cache
def _priority_text(name: str) -> str:
    pid = PRIORITIES[name]
    return _dumps({"self": f"{SITE}/rest/api/3/priority/{pid}", "id": pid, "name": name})


@functools.lru_cache(maxsize=1024)
def _project_text(key: str, name: str) -> str:
    return _dumps(
        {"self": f"{SITE}/rest/api/3/project/{key}", "key": key, "name": name, "projectTypeKey": "software"}
    )


@functools.lru_cache(maxsize=256)
def _parent_text(pid: int, key: str, summary: str, status: str, priority: str, kind: str) -> str:
    """An epic as its child issues embed it."""
    fields = {
        "summary": summary,
        "status": _status(status),
        "priority": {"id": PRIORITIES[priority], "name": priority},
        "issuetype": _issuetype(kind),
    }
    return _dumps({"id": str(pid), "key": key, "self": f"{SITE}/rest/api/3/issue/{pid}", "fields": fields})


def _user_or_null(data: JiraData, name: str | None) -> str:
    return "null" if name is None else _user_text(name, data.account_ids[name])


def _number_or_null(value: float | None) -> str:
    return "null" if value is None else repr(value)  # what json.dumps writes for an int or a float


def _fields_text(data: JiraData, issue: Issue) -> str:
    """The issue's fields as JSON text, in the order of the API (what _dumps gives for the same dict)."""
    resolved, parent, sprints = issue.resolved, issue.parent, issue.sprints
    watches = f"{SITE}/rest/api/3/issue/{issue.key}/watchers"
    parts = [
        f'"summary":{_json_string(issue.summary)}',
        f'"issuetype":{_issuetype_text(issue.type)}',
        f'"project":{_project_text(issue.jira_key, data.project_names[issue.jira_key])}',
        f'"status":{_status_text(issue.status)}',
        f'"priority":{_priority_text(issue.priority)}',
        f'"assignee":{_user_or_null(data, issue.assignee)}',
        f'"reporter":{_user_or_null(data, issue.reporter)}',
        f'"creator":{_user_or_null(data, issue.reporter)}',
        f'"created":"{_iso(issue.created)}"',
        f'"updated":"{_iso(issue.updated)}"',
        f'"resolutiondate":"{_iso(resolved)}","resolution":{{"id":"10000","name":"Done"}}'
        if resolved
        else '"resolutiondate":null,"resolution":null',
        f'"statuscategorychangedate":"{_iso(issue.category_changed)}"',
        f'"labels":{_dumps(issue.labels)}',
        '"components":[],"fixVersions":[],"duedate":null',
        f'"description":{_dumps(_adf(issue.description))}',
        f'"timeoriginalestimate":{_number_or_null(issue.estimate_seconds)}',
        f'"timespent":{_number_or_null(issue.spent_seconds)}',
        f'"customfield_10016":{_number_or_null(issue.story_points)}',
        f'"customfield_10020":[{",".join(s.json_text for s in sprints)}]'
        if sprints
        else '"customfield_10020":null',
        f'"watches":{{"self":{_json_string(watches)},"watchCount":{len(issue.watchers)},"isWatching":false}}',
    ]
    if issue.worklogs:
        parts.append(f'"worklog":{_worklog_block(data, issue)}')
    if parent is not None:
        block = _parent_text(
            parent.id, parent.key, parent.summary, parent.status, parent.priority, parent.type
        )
        parts.append(f'"parent":{block}')
    return "{" + ",".join(parts) + "}"


def _time_spent(seconds: int) -> str:
    hours, minutes = divmod(seconds // 60, 60)
    return " ".join(part for part in (f"{hours}h" if hours else "", f"{minutes}m" if minutes else "") if part)


def _worklog_block(data: JiraData, issue: Issue) -> str:
    """fields.worklog as /search returns it (every worklog of the issue: never more than 20 here)."""
    items = []
    for log in issue.worklogs:
        author = _user_json(log.person, data.account_ids[log.person])
        ended = _iso(log.started + dt.timedelta(seconds=log.seconds))
        item = {
            "self": f"{SITE}/rest/api/3/issue/{issue.id}/worklog/{log.wid}",
            "author": author,
            "updateAuthor": author,
            **({"comment": _adf([log.comment])} if log.comment else {}),
            "created": ended,
            "updated": ended,
            "started": _iso(log.started),
            "timeSpent": _time_spent(log.seconds),
            "timeSpentSeconds": log.seconds,
            "id": str(log.wid),
            "issueId": str(issue.id),
        }
        items.append(item)
    n = len(items)
    return _dumps({"startAt": 0, "maxResults": max(20, n), "total": n, "worklogs": items})


EXPAND = "operations,versionedRepresentations,editmeta,changelog,renderedFields"


def issue_text(data: JiraData, issue: Issue) -> str:
    """One issue of a /search/jql response as JSON text: expand, id, self, key, changelog, fields."""
    histories = _history_texts(data, issue)
    n = len(histories)
    return (
        f'{{"expand":"{EXPAND}","id":"{issue.id}","self":"{SITE}/rest/api/3/issue/{issue.id}",'
        f'"key":{_dumps(issue.key)},"changelog":{{"startAt":0,"maxResults":{n},"total":{n},'
        f'"histories":[{",".join(histories)}]}},"fields":{_fields_text(data, issue)}}}'
    )


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
    # the text json.dumps gives for {"issues": [...], "nextPageToken": ..., "isLast": ...}
    token = "" if next_token is None else f',"nextPageToken":{_dumps(next_token)}'
    issues = ",".join(issue_text(data, i) for i in page)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(f'{{"issues":[{issues}]{token},"isLast":{_dumps(next_token is None)}}}')


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
    n_log_work = max(len(i.csv_worklogs) for i in page)  # Log Work columns only when a worklog is shown
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
        *["Log Work"] * n_log_work,
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
    rows = [",".join(csv_cell(h, "\n") for h in header)]
    rows += [",".join(_csv_cells(data, issue, n_labels, n_watchers, n_sprints, n_log_work)) for issue in page]
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        fh.write("\n".join(rows) + "\n")


def _csv_cells(
    data: JiraData, issue: Issue, n_labels: int, n_watchers: int, n_sprints: int, n_log_work: int = 0
) -> list[str]:
    """One CSV row's cells, as csv.writer would write them. Only the free text (summaries, project
    names, descriptions) is quoted when needed: keys, people, labels and sprint names are plain words."""
    ids = data.account_ids
    lead = issue.reporter
    status, resolved, parent = issue.status, issue.resolved, issue.parent
    est, spent = issue.estimate_seconds, issue.spent_seconds
    remaining = None if est is None else max(0, est - (spent or 0))
    times = ["" if v is None else str(v) for v in (est, remaining, spent)]
    return [
        csv_cell(issue.summary, "\n"),
        issue.key,
        str(issue.id),
        issue.type,
        status,
        issue.jira_key,
        csv_cell(data.project_names[issue.jira_key], "\n"),
        "software",
        lead,
        ids[lead],
        "",
        issue.priority,
        "Done" if resolved else "",
        issue.assignee or "",
        ids[issue.assignee] if issue.assignee else "",
        issue.reporter,
        ids[issue.reporter],
        issue.reporter,
        ids[issue.reporter],
        csv_date(issue.created),
        csv_date(issue.updated),
        "",
        csv_date(resolved) if resolved else "",
        "",
        "0",
        *_pad(issue.labels, n_labels),
        csv_cell("\n".join(issue.description or []), "\n"),
        "",
        *_pad(issue.watchers, n_watchers),
        *_pad([ids[w] for w in issue.watchers], n_watchers),
        *times,
        "",
        *times,
        *_pad([_log_work_cell(data, log) for log in issue.csv_worklogs], n_log_work),
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
        str(parent.id) if parent else "",
        parent.key if parent else "",
        csv_cell(parent.summary, "\n") if parent else "",
        STATUSES[status][3],
        csv_date(issue.category_changed),
    ]


def _log_work_cell(data: JiraData, log) -> str:
    """A `Log Work` cell as Jira's CSV export writes it: comment;date;author;seconds."""
    return csv_cell(
        f"{log.comment};{csv_date(log.started)};{data.account_ids[log.person]};{log.seconds}", "\n"
    )
