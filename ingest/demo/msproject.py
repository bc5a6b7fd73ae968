"""Demo MS Project schedules as MSPDI XML, one file per project per status date.

Written element by element to a file handle in the order MS Project 2010+ saves them
(SaveVersion 14), costs x100, durations `PT..H..M..S` at 480 minutes a day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape

from ingest.demo.org import (
    HOURS_PER_DAY,
    REBASELINED_PROJECT,
    ROLES,
    SNAPSHOT_DATES,
    PlanTask,
    Project,
    workday_at,
)

NS = "http://schemas.microsoft.com/project"
TEXT1_FIELD_ID = "188743731"
TEXT1_ALIAS = "VRO Project Id"
SYMBOLS = {"EUR": "€", "GBP": "£"}


@dataclass
class TaskFigures:
    start: dt.datetime
    finish: dt.datetime
    days: int
    work_hours: float
    pc: int
    cost: int  # cents
    actual_cost: int
    bcws: int
    bcwp: int
    actual_start: dt.datetime | None
    actual_finish: dt.datetime | None
    # (number, start, finish, days, work hours, cost cents) per baseline
    baselines: list[tuple[int, dt.datetime, dt.datetime, int, float, int]]


def _ts(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def _dur(hours: float) -> str:
    minutes = int(round(hours * 60))
    return f"PT{minutes // 60}H{minutes % 60}M0S"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


def snapshot_dates(project: Project) -> list[dt.date]:
    if project.closed_on is not None:
        return [project.closed_on]
    return list(SNAPSHOT_DATES)


def _leaf_figures(project: Project, task: PlanTask, status: dt.date) -> TaskFigures:
    rate = ROLES[task.role][1] if task.role is not None else 0
    real_start, real_finish = project.real_span(task)
    if task.milestone:
        last = max(project.leaves, key=lambda t: t.finish_idx if not t.milestone else -1)
        day = workday_at(project.start, project.real_span(last)[1])
        start = finish = _at(day, 17)
        b_day = workday_at(project.start, last.finish_idx)
        baselines = [(0, _at(b_day, 17), _at(b_day, 17), 0, 0.0, 0)]
        if project.pid == REBASELINED_PROJECT:
            o_day = workday_at(project.start, last.original_finish_idx)
            baselines.append((1, _at(o_day, 17), _at(o_day, 17), 0, 0.0, 0))
        pc = 100 if status >= day else 0
        return TaskFigures(
            start, finish, 0, 0.0, pc, 0, 0, 0, 0, start if pc else None, finish if pc else None, baselines
        )
    cost = task.cost_cents(rate)
    work = float(task.days * HOURS_PER_DAY * task.units)
    pc = int(round(project.fraction_done(task, status) * 100))
    start = _at(workday_at(project.start, real_start), 8)
    finish = _at(workday_at(project.start, real_finish), 17)
    baselines = [
        (
            0,
            _at(workday_at(project.start, task.start_idx), 8),
            _at(workday_at(project.start, task.finish_idx), 17),
            task.days,
            work,
            cost,
        )
    ]
    if project.pid == REBASELINED_PROJECT:
        o_days = task.original_finish_idx - task.original_start_idx + 1
        baselines.append(
            (
                1,
                _at(workday_at(project.start, task.original_start_idx), 8),
                _at(workday_at(project.start, task.original_finish_idx), 17),
                o_days,
                float(o_days * HOURS_PER_DAY * task.original_units),
                task.original_cost_cents(rate),
            )
        )
    actual_cost = cost * pc // 100
    return TaskFigures(
        start,
        finish,
        real_finish - real_start + 1,
        work,
        pc,
        cost,
        actual_cost,
        int(round(cost * project.fraction_planned(task, status))),
        actual_cost,
        start if pc > 0 else None,
        finish if pc == 100 else None,
        baselines,
    )


def _summary_figures(children: list[TaskFigures]) -> TaskFigures:
    start = min(c.start for c in children)
    finish = max(c.finish for c in children)
    days = sum(c.days for c in children)
    pc = int(round(sum(c.days * c.pc for c in children) / days)) if days else 0
    baselines = []
    for number in sorted({b[0] for c in children for b in c.baselines}):
        rows = [b for c in children for b in c.baselines if b[0] == number]
        baselines.append(
            (
                number,
                min(r[1] for r in rows),
                max(r[2] for r in rows),
                sum(r[3] for r in rows),
                sum(r[4] for r in rows),
                sum(r[5] for r in rows),
            )
        )
    actual_starts = [c.actual_start for c in children if c.actual_start]
    return TaskFigures(
        start,
        finish,
        days,
        sum(c.work_hours for c in children),
        pc,
        sum(c.cost for c in children),
        sum(c.actual_cost for c in children),
        sum(c.bcws for c in children),
        sum(c.bcwp for c in children),
        min(actual_starts) if actual_starts else None,
        finish if pc == 100 else None,
        baselines,
    )


def task_figures(project: Project, status: dt.date) -> dict[int, TaskFigures]:
    figures: dict[int, TaskFigures] = {}
    for task in project.tasks:
        if not task.summary:
            figures[task.uid] = _leaf_figures(project, task, status)
    phases = [t for t in project.tasks if t.summary and t.level == 1]
    for phase in phases:
        prefix = phase.outline + "."
        children = [figures[t.uid] for t in project.tasks if t.outline.startswith(prefix)]
        figures[phase.uid] = _summary_figures(children)
    top = [figures[t.uid] for t in project.tasks if t.level == 1]
    figures[0] = _summary_figures(top)
    return figures


def _el(fh: TextIO, depth: int, name: str, value: object) -> None:
    fh.write("\t" * depth + f"<{name}>{escape(str(value))}</{name}>\n")


def _write_task(
    fh: TextIO,
    task: PlanTask,
    row_id: int,
    fig: TaskFigures,
    created: dt.datetime,
    predecessor: int | None,
    project_id: str | None,
) -> None:
    d = 3
    fh.write("\t\t<Task>\n")
    for name, value in (
        ("UID", task.uid),
        ("ID", row_id),
        ("Name", task.name),
        ("Type", 0),
        ("IsNull", 0),
        ("CreateDate", _ts(created)),
        ("WBS", task.outline),
        ("OutlineNumber", task.outline),
        ("OutlineLevel", task.level),
        ("Priority", 500),
        ("Start", _ts(fig.start)),
        ("Finish", _ts(fig.finish)),
        ("Duration", _dur(fig.days * HOURS_PER_DAY)),
        ("DurationFormat", 7),
        ("Work", _dur(fig.work_hours)),
        ("ResumeValid", 0),
        ("EffortDriven", 0),
        ("Recurring", 0),
        ("OverAllocated", 0),
        ("Estimated", 0),
        ("Milestone", int(task.milestone)),
        ("Summary", int(task.summary)),
        ("Critical", 1),
        ("IsSubproject", 0),
        ("IsSubprojectReadOnly", 0),
        ("ExternalTask", 0),
        ("FixedCost", 0),
        ("FixedCostAccrual", 3),
        ("PercentComplete", fig.pc),
        ("PercentWorkComplete", fig.pc),
        ("Cost", fig.cost),
        ("OvertimeCost", 0),
        ("OvertimeWork", "PT0H0M0S"),
    ):
        _el(fh, d, name, value)
    if fig.actual_start:
        _el(fh, d, "ActualStart", _ts(fig.actual_start))
    if fig.actual_finish:
        _el(fh, d, "ActualFinish", _ts(fig.actual_finish))
    actual_work = fig.work_hours * fig.pc / 100
    for name, value in (
        ("ActualDuration", _dur(fig.days * HOURS_PER_DAY * fig.pc / 100)),
        ("ActualCost", fig.actual_cost),
        ("ActualOvertimeCost", 0),
        ("ActualWork", _dur(actual_work)),
        ("ActualOvertimeWork", "PT0H0M0S"),
        ("RegularWork", _dur(fig.work_hours)),
        ("RemainingDuration", _dur(fig.days * HOURS_PER_DAY * (100 - fig.pc) / 100)),
        ("RemainingCost", fig.cost - fig.actual_cost),
        ("RemainingWork", _dur(fig.work_hours - actual_work)),
        ("RemainingOvertimeCost", 0),
        ("RemainingOvertimeWork", "PT0H0M0S"),
        ("ACWP", f"{fig.actual_cost}.00"),
        ("CV", f"{fig.bcwp - fig.actual_cost}.00"),
        ("ConstraintType", 0),
        ("CalendarUID", -1),
        ("LevelAssignments", 1),
        ("LevelingCanSplit", 1),
        ("LevelingDelay", 0),
        ("LevelingDelayFormat", 8),
        ("IgnoreResourceCalendar", 0),
        ("HideBar", 0),
        ("Rollup", 0),
        ("BCWS", f"{fig.bcws}.00"),
        ("BCWP", f"{fig.bcwp}.00"),
        ("PhysicalPercentComplete", 0),
        ("EarnedValueMethod", 0),
    ):
        _el(fh, d, name, value)
    if predecessor is not None:
        fh.write("\t\t\t<PredecessorLink>\n")
        for name, value in (
            ("PredecessorUID", predecessor),
            ("Type", 1),
            ("CrossProject", 0),
            ("LinkLag", 0),
            ("LagFormat", 7),
        ):
            _el(fh, 4, name, value)
        fh.write("\t\t\t</PredecessorLink>\n")
    _el(fh, d, "ActualWorkProtected", "PT0H0M0S")
    _el(fh, d, "ActualOvertimeWorkProtected", "PT0H0M0S")
    if project_id is not None:
        fh.write("\t\t\t<ExtendedAttribute>\n")
        _el(fh, 4, "FieldID", TEXT1_FIELD_ID)
        _el(fh, 4, "Value", project_id)
        fh.write("\t\t\t</ExtendedAttribute>\n")
    for number, b_start, b_finish, b_days, b_work, b_cost in fig.baselines:
        fh.write("\t\t\t<Baseline>\n")
        for name, value in (
            ("Number", number),
            ("Start", _ts(b_start)),
            ("Finish", _ts(b_finish)),
            ("Duration", _dur(b_days * HOURS_PER_DAY)),
            ("DurationFormat", 7),
            ("Work", _dur(b_work)),
            ("Cost", b_cost),
        ):
            _el(fh, 4, name, value)
        fh.write("\t\t\t</Baseline>\n")
    fh.write("\t\t</Task>\n")


def write_schedule(target: Path, project: Project, status: dt.date) -> int:
    """Write one MSPDI file; returns its number of tasks (UID 0 included)."""
    figures = task_figures(project, status)
    created = _at(project.start, 9)
    saved = _at(status, 18)
    top = figures[0]
    with target.open("w", encoding="utf-8", newline="") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
        fh.write(f'<Project xmlns="{NS}">\n')
        for name, value in (
            ("SaveVersion", 14),
            ("BuildNumber", "16.0.10730.20102"),
            ("Name", project.msp_name),
            ("Title", project.name),
            ("Manager", project.manager),
            ("CreationDate", _ts(created)),
            ("LastSaved", _ts(saved)),
            ("ScheduleFromStart", 1),
            ("StartDate", _ts(top.start)),
            ("FinishDate", _ts(top.finish)),
            ("FYStartDate", 1),
            ("CriticalSlackLimit", 0),
            ("CurrencyDigits", 2),
            ("CurrencySymbol", SYMBOLS[project.currency]),
            ("CurrencyCode", project.currency),
            ("CurrencySymbolPosition", 0),
            ("CalendarUID", 1),
            ("DefaultStartTime", "08:00:00"),
            ("DefaultFinishTime", "17:00:00"),
            ("MinutesPerDay", 480),
            ("MinutesPerWeek", 2400),
            ("DaysPerMonth", 20),
            ("DefaultTaskType", 0),
            ("DefaultFixedCostAccrual", 3),
            ("DefaultStandardRate", 0),
            ("DefaultOvertimeRate", 0),
            ("DurationFormat", 7),
            ("WorkFormat", 2),
            ("EditableActualCosts", 0),
            ("HonorConstraints", 0),
            ("InsertedProjectsLikeSummary", 1),
            ("MultipleCriticalPaths", 0),
            ("NewTasksEffortDriven", 0),
            ("NewTasksEstimated", 1),
            ("SplitsInProgressTasks", 1),
            ("SpreadActualCost", 0),
            ("SpreadPercentComplete", 0),
            ("TaskUpdatesResource", 1),
            ("FiscalYearStart", 0),
            ("WeekStartDay", 1),
            ("MoveCompletedEndsBack", 0),
            ("MoveRemainingStartsBack", 0),
            ("MoveRemainingStartsForward", 0),
            ("MoveCompletedEndsForward", 0),
            ("BaselineForEarnedValue", 0),
            ("AutoAddNewResourcesAndTasks", 1),
            ("StatusDate", _ts(_at(status, 17))),
            ("CurrentDate", _ts(_at(status, 8))),
            ("MicrosoftProjectServerURL", 1),
            ("Autolink", 0),
            ("NewTaskStartDate", 0),
            ("DefaultTaskEVMethod", 0),
            ("ProjectExternallyEdited", 0),
            ("ExtendedCreationDate", "1984-01-01T00:00:00"),
            ("ActualsInSync", 0),
            ("RemoveFileProperties", 0),
            ("AdminProject", 0),
        ):
            _el(fh, 1, name, value)
        fh.write("\t<OutlineCodes/>\n\t<WBSMasks/>\n\t<ExtendedAttributes>\n\t\t<ExtendedAttribute>\n")
        _el(fh, 3, "FieldID", TEXT1_FIELD_ID)
        _el(fh, 3, "FieldName", "Text1")
        _el(fh, 3, "Alias", TEXT1_ALIAS)
        fh.write("\t\t</ExtendedAttribute>\n\t</ExtendedAttributes>\n")
        _write_calendar(fh)
        fh.write("\t<Tasks>\n")
        previous_leaf: int | None = None
        for row_id, task in enumerate(project.tasks):
            predecessor = None
            if not task.summary:
                predecessor, previous_leaf = previous_leaf, task.uid
            _write_task(
                fh,
                task,
                row_id,
                figures[task.uid],
                created,
                predecessor,
                project.pid if task.uid == 0 else None,
            )
        fh.write("\t</Tasks>\n")
        _write_resources(fh, project, figures)
        _write_assignments(fh, project, figures)
        fh.write("</Project>\n")
    return len(project.tasks)


def _write_calendar(fh: TextIO) -> None:
    fh.write("\t<Calendars>\n\t\t<Calendar>\n")
    _el(fh, 3, "UID", 1)
    _el(fh, 3, "Name", "Standard")
    _el(fh, 3, "IsBaseCalendar", 1)
    _el(fh, 3, "BaseCalendarUID", -1)
    fh.write("\t\t\t<WeekDays>\n")
    for day_type in range(1, 8):
        fh.write("\t\t\t\t<WeekDay>\n")
        _el(fh, 5, "DayType", day_type)
        working = day_type not in (1, 7)
        _el(fh, 5, "DayWorking", int(working))
        if working:
            fh.write("\t\t\t\t\t<WorkingTimes>\n")
            for start, finish in (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")):
                fh.write("\t\t\t\t\t\t<WorkingTime>\n")
                _el(fh, 7, "FromTime", start)
                _el(fh, 7, "ToTime", finish)
                fh.write("\t\t\t\t\t\t</WorkingTime>\n")
            fh.write("\t\t\t\t\t</WorkingTimes>\n")
        fh.write("\t\t\t\t</WeekDay>\n")
    fh.write("\t\t\t</WeekDays>\n\t\t</Calendar>\n\t</Calendars>\n")


def _write_resources(fh: TextIO, project: Project, figures: dict[int, TaskFigures]) -> None:
    fh.write("\t<Resources>\n")
    rows = [(0, "", 0, 0, 0.0, 0)]
    for r, (name, rate, _) in enumerate(ROLES, start=1):
        leaves = [t for t in project.leaves if t.role == r - 1]
        cost = sum(figures[t.uid].cost for t in leaves)
        actual = sum(figures[t.uid].actual_cost for t in leaves)
        work = sum(figures[t.uid].work_hours for t in leaves)
        rows.append((r, name, rate, cost, work, actual))
    for row in rows:
        uid, name, rate, cost, work, actual = row
        fh.write("\t\t<Resource>\n")
        _el(fh, 3, "UID", uid)
        _el(fh, 3, "ID", uid)
        if name:
            _el(fh, 3, "Name", name)
        for tag, value in (
            ("Type", 1),
            ("IsNull", 0),
            ("MaxUnits", "1.00"),
            ("PeakUnits", "1.00"),
            ("OverAllocated", 0),
            ("CanLevel", 1),
            ("AccrueAt", 3),
            ("Work", _dur(work)),
            ("StandardRate", rate),
            ("StandardRateFormat", 2),
            ("Cost", cost),
            ("OvertimeRate", 0),
            ("OvertimeRateFormat", 2),
            ("CostPerUse", 0),
            ("ActualCost", actual),
            ("RemainingCost", cost - actual),
            ("ACWP", f"{actual}.00"),
            ("CalendarUID", 1),
            ("IsGeneric", 0),
            ("IsInactive", 0),
            ("IsEnterprise", 0),
            ("BookingType", 0),
            ("IsCostResource", 0),
            ("IsBudget", 0),
        ):
            _el(fh, 3, tag, value)
        fh.write("\t\t</Resource>\n")
    fh.write("\t</Resources>\n")


def _write_assignments(fh: TextIO, project: Project, figures: dict[int, TaskFigures]) -> None:
    fh.write("\t<Assignments>\n")
    for uid, task in enumerate([t for t in project.leaves if t.role is not None], start=1):
        fig = figures[task.uid]
        fh.write("\t\t<Assignment>\n")
        for tag, value in (
            ("UID", uid),
            ("TaskUID", task.uid),
            ("ResourceUID", task.role + 1),
            ("PercentWorkComplete", fig.pc),
            ("ActualCost", fig.actual_cost),
            ("ActualWork", _dur(fig.work_hours * fig.pc / 100)),
            ("ACWP", f"{fig.actual_cost}.00"),
            ("Cost", fig.cost),
            ("Finish", _ts(fig.finish)),
            ("RemainingCost", fig.cost - fig.actual_cost),
            ("Start", _ts(fig.start)),
            ("Units", f"{task.units:g}"),
            ("Work", _dur(fig.work_hours)),
            ("BCWS", f"{fig.bcws}.00"),
            ("BCWP", f"{fig.bcwp}.00"),
        ):
            _el(fh, 3, tag, value)
        fh.write("\t\t</Assignment>\n")
    fh.write("\t</Assignments>\n")


def write_schedules(landing: Path, projects: list[Project], snapshots: int | None = None) -> tuple[int, int]:
    """The snapshots of all projects (only the latest `snapshots` of each); returns (files, tasks)."""
    folder = landing / "msproject"
    folder.mkdir(parents=True, exist_ok=True)
    files = tasks = 0
    for project in projects:
        dates = snapshot_dates(project)
        for status in dates[-snapshots:] if snapshots else dates:
            tasks += write_schedule(folder / f"{project.msp_name}_{status:%Y-%m-%d}.xml", project, status)
            files += 1
    return files, tasks
