"""MS Project MSPDI XML ("Project XML", any SaveVersion) -> the msp_* raw tables.

The primary record is a task (every `/Project/Tasks/Task` element, UID 0 the project summary
included): `rows_read` counts Task elements. A task is rejected whole, with its baselines,
predecessor links, extended attributes and assignments, when PercentComplete is outside 0..100,
Start is after Finish, or one of its values (or one of its children's) does not parse.

Units, as MS Project stores them:
- money (Cost, ActualCost, RemainingCost, BCWS, BCWP, ACWP, baseline and assignment Cost) is x100:
  `12345` is 123.45. Divided by 100 as a Decimal and kept whole: MS Project keeps fractions of a
  cent (ActualCost `29908.45` is 299.0845), so the raw zone stores 6 decimals (MSP_MONEY) and the
  dbt staging models round to the cent where the reports need it. More than 6 decimals: a reject.
- durations are working time `PT8H0M0S`: days = minutes / MinutesPerDay (480 when absent);
  Work is reported in hours. A task Duration whose DurationFormat is an elapsed one (4 em, 6 eh,
  8 ed, 10 ew, 12 emo, 20 e%, and their estimated forms 36-52) is calendar time: `PT24H` is one
  elapsed day (24 h), not three 8-hour working days; such tasks have duration_is_elapsed true.
- a Task with `<IsNull>1</IsNull>` is a blank row of the plan, not a task: it is neither loaded nor
  counted (MS Project writes filler dates and outline level 0 for it).
- an Assignment whose ResourceUID is -65535 is MS Project's placeholder for "no resource": it is
  loaded with a null resource_uid (the task's work and cost are still assigned work and cost).
- custom fields (ExtendedAttribute) are named by the project's definitions (Alias, else FieldName),
  else by the built-in name of their FieldID (ingest.parsers.msproject.fields, e.g. 188743731 Text1).
- whole numbers beyond a 64-bit integer and non-finite numbers are rejects, never crashes.
- LinkLag is in tenths of a minute: days = LinkLag / 10 / MinutesPerDay.
- dates carry no zone and stay naive.

Untrusted XML is parsed with defusedxml only: a DTD or entity declaration rejects the file.
A problem in the project header (the units every task depends on) rejects the whole file.
Rejects of a resource or an orphan assignment are reported too; they are not tasks, so
`rows_rejected` counts rejected tasks only (`rows_rejected_override`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as DET

from ingest.parsers.common.base import FileRejected, ParseContext, ParseResult, Reject, rows_to_table
from ingest.parsers.msproject import fields as msp_fields

KIND = "mspdi"
NAMESPACE = "http://schemas.microsoft.com/project"
DEFAULT_MINUTES_PER_DAY = 480
TABLES = (
    "msp_projects",
    "msp_tasks",
    "msp_task_baselines",
    "msp_predecessor_links",
    "msp_resources",
    "msp_assignments",
    "msp_extended_attributes",
)
LINK_TYPES = {0: "FF", 1: "FS", 2: "SF", 3: "SS"}
PERCENT_LAG_FORMATS = {19, 20}  # LagFormat % and e%: LinkLag is a percentage, not a time
RESOURCE_TYPES = {0: "material", 1: "work", 2: "cost"}
MONEY_PLACES = Decimal("0.000001")  # MSP_MONEY: decimal(22, 6)
MAX_MONEY = Decimal(10) ** 16
INT64_MAX = 2**63 - 1
ELAPSED_DURATION_FORMATS = {4, 6, 8, 10, 12, 20, 36, 38, 40, 42, 44, 52}
MINUTES_PER_ELAPSED_DAY = 24 * 60
UNASSIGNED_RESOURCE_UID = -65535

_DURATION = re.compile(
    r"^(-)?P(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def sniff(path: Path, head: str) -> str | None:
    if NAMESPACE in head and "<Project" in head:
        return KIND
    return None


class _Bad(Exception):
    """One value that does not parse or breaks a rule; `column` is the element (path) at fault."""

    def __init__(self, column: str, value: str | None, reason: str, path: str | None = None):
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason
        self.path = path  # the full XML path when the element is not under the rejected task

    def reject(self, ref: str) -> Reject:
        return Reject(ref=ref, column=self.column, value=self.value, reason=self.reason)


@dataclass
class _TaskBundle:
    ref: str
    name: str | None = None
    row: dict | None = None
    children: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in TABLES})
    errors: list[_Bad] = field(default_factory=list)


class _Reader:
    """Typed access to the children of one element, in the file's namespace."""

    def __init__(self, ns: str, minutes_per_day: int):
        self.ns = ns
        self.minutes_per_day = minutes_per_day

    def text(self, elem: ET.Element, tag: str) -> str | None:
        child = elem.find(self.ns + tag)
        if child is None or child.text is None or child.text.strip() == "":
            return None
        return child.text.strip()

    def string(self, elem: ET.Element, tag: str) -> str | None:
        child = elem.find(self.ns + tag)
        if child is None or child.text is None or child.text == "":
            return None
        return child.text

    def integer(self, elem: ET.Element, tag: str, label: str | None = None) -> int | None:
        raw = self.text(elem, tag)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            raise _Bad(label or tag, raw, f"{label or tag} {raw!r} is not a whole number") from None
        if not -INT64_MAX - 1 <= value <= INT64_MAX:
            raise _Bad(label or tag, raw, f"{label or tag} {raw!r} is beyond a 64-bit whole number")
        return value

    def number(self, elem: ET.Element, tag: str, label: str | None = None) -> float | None:
        raw = self.text(elem, tag)
        if raw is None:
            return None
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
        if value != value or value in (float("inf"), float("-inf")):
            raise _Bad(label or tag, raw, f"{label or tag} {raw!r} is not a number")
        return value

    def boolean(self, elem: ET.Element, tag: str, label: str | None = None) -> bool | None:
        raw = self.text(elem, tag)
        if raw is None:
            return None
        flag = {"1": True, "0": False, "true": True, "false": False}.get(raw.lower())
        if flag is None:
            raise _Bad(label or tag, raw, f"{label or tag} {raw!r} is not a flag (0/1)")
        return flag

    def money(self, elem: ET.Element, tag: str, label: str | None = None) -> Decimal | None:
        raw = self.text(elem, tag)
        if raw is None:
            return None
        name = label or tag
        try:
            stored = Decimal(raw)
        except InvalidOperation:
            raise _Bad(name, raw, f"{name} {raw!r} is not an amount (MS Project stores money x100)") from None
        if not stored.is_finite():
            raise _Bad(name, raw, f"{name} {raw!r} is not a finite amount")
        if abs(stored) >= MAX_MONEY * 100:
            raise _Bad(name, raw, f"{name} {raw!r} is too large for an amount with 16 integer digits")
        amount = stored.scaleb(-2)
        kept = amount.quantize(MONEY_PLACES, rounding=ROUND_HALF_EVEN)
        if kept != amount:
            raise _Bad(name, raw, f"{name} {raw!r} has more than 6 decimals once divided by 100")
        return kept

    def timestamp(self, elem: ET.Element, tag: str, label: str | None = None) -> dt.datetime | None:
        raw = self.text(elem, tag)
        if raw is None:
            return None
        name = label or tag
        try:
            value = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise _Bad(name, raw, f"{name} {raw!r} is not a date-time like 2025-01-06T08:00:00") from None
        if value.tzinfo is not None:
            raise _Bad(name, raw, f"{name} {raw!r} carries a time zone; MSPDI dates are zone-less")
        return value

    def minutes(
        self, elem: ET.Element, tag: str, label: str | None = None, elapsed: bool = False
    ) -> float | None:
        raw = self.text(elem, tag)
        if raw is None:
            return None
        m = _DURATION.match(raw)
        if not m or raw in ("P", "PT", "-P", "-PT"):
            name = label or tag
            raise _Bad(name, raw, f"{name} {raw!r} is not a working-time duration like PT8H0M0S")
        sign, days, hours, mins, secs = m.groups()
        total = (
            float(days or 0) * (MINUTES_PER_ELAPSED_DAY if elapsed else self.minutes_per_day)
            + float(hours or 0) * 60
            + float(mins or 0)
            + float(secs or 0) / 60
        )
        if not math.isfinite(total):
            name = label or tag
            raise _Bad(name, raw, f"{name} {raw!r} is out of range for a duration")
        return -total if sign else total

    def days(
        self, elem: ET.Element, tag: str, label: str | None = None, elapsed: bool = False
    ) -> float | None:
        """Working days; with `elapsed`, calendar days of 24 hours."""
        minutes = self.minutes(elem, tag, label, elapsed)
        if minutes is None:
            return None
        return minutes / (MINUTES_PER_ELAPSED_DAY if elapsed else self.minutes_per_day)

    def hours(self, elem: ET.Element, tag: str, label: str | None = None) -> float | None:
        minutes = self.minutes(elem, tag, label)
        return None if minutes is None else minutes / 60


def _load_tree(path: Path) -> ET.Element:
    try:
        with path.open("rb") as fh:
            tree = DET.parse(fh, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden as exc:
        raise FileRejected(
            f"{path.name}: the XML declares a DTD ({exc}); DTDs and entity declarations are refused "
            "in untrusted files (XXE / entity-expansion protection). MS Project never writes one."
        ) from exc
    except defusedxml.DefusedXmlException as exc:
        raise FileRejected(
            f"{path.name}: the XML uses entity declarations or external references ({exc}); "
            "refused in untrusted files (XXE / entity-expansion protection)"
        ) from exc
    except ET.ParseError as exc:
        line, column = exc.position
        raise FileRejected(
            f"{path.name}: not well-formed XML ({exc}); the file may be truncated or not an MSPDI export"
        ) from exc
    except (LookupError, UnicodeError, ValueError) as exc:
        raise FileRejected(f"{path.name}: the XML cannot be decoded ({exc})") from exc
    return tree.getroot()


def _namespace(path: Path, root: ET.Element) -> str:
    if not root.tag.startswith("{"):
        raise FileRejected(f"{path.name}: root element <{root.tag}> has no namespace; expected {NAMESPACE}")
    uri, local = root.tag[1:].split("}", 1)
    if not uri.startswith(NAMESPACE) or local != "Project":
        raise FileRejected(
            f"{path.name}: root element is <{local}> in namespace {uri!r}; expected <Project> in {NAMESPACE}"
        )
    return "{" + uri + "}"


def _project_header(path: Path, root: ET.Element, ns: str) -> tuple[dict, _Reader]:
    probe = _Reader(ns, DEFAULT_MINUTES_PER_DAY)
    try:
        minutes_per_day = probe.integer(root, "MinutesPerDay")
        if minutes_per_day is not None and minutes_per_day <= 0:
            raise _Bad("MinutesPerDay", str(minutes_per_day), "MinutesPerDay must be positive")
        reader = _Reader(ns, minutes_per_day or DEFAULT_MINUTES_PER_DAY)
        status = reader.timestamp(root, "StatusDate")
        current = reader.timestamp(root, "CurrentDate")
        name = reader.string(root, "Name")
        title = reader.string(root, "Title")
        row = {
            "project_name": name or title or path.stem,
            "project_title": title,
            "save_version": reader.integer(root, "SaveVersion"),
            "currency_code": reader.text(root, "CurrencyCode"),
            "currency_symbol": reader.text(root, "CurrencySymbol"),
            "minutes_per_day": minutes_per_day,
            "minutes_per_week": reader.integer(root, "MinutesPerWeek"),
            "days_per_month": reader.integer(root, "DaysPerMonth"),
            "start_at": reader.timestamp(root, "StartDate"),
            "finish_at": reader.timestamp(root, "FinishDate"),
            "status_on": status.date() if status else None,
            "current_on": current.date() if current else None,
            "_source_ref": "/Project",
        }
    except _Bad as bad:
        raise FileRejected(
            f"{path.name}: /Project/{bad.column}: {bad.reason}; the project header sets the units of "
            "every task, so the file cannot be read"
        ) from None
    return row, reader


def _field_names(root: ET.Element, reader: _Reader) -> dict[str, str | None]:
    """FieldID -> Alias, else FieldName, from the project's ExtendedAttributes definitions."""
    names: dict[str, str | None] = {}
    ns = reader.ns
    for definition in root.findall(f"{ns}ExtendedAttributes/{ns}ExtendedAttribute"):
        field_id = reader.text(definition, "FieldID")
        if field_id is not None:
            names[field_id] = (
                reader.text(definition, "Alias")
                or reader.text(definition, "FieldName")
                or msp_fields.field_name(field_id)
            )
    return names


def _extended_values(
    elem: ET.Element,
    reader: _Reader,
    names: dict[str, str | None],
    project: str,
    owner_type: str,
    owner_uid: int | None,
    ref: str,
) -> list[dict]:
    rows = []
    for i, attr in enumerate(elem.findall(reader.ns + "ExtendedAttribute"), start=1):
        field_id = reader.text(attr, "FieldID")
        if field_id is None:
            raise _Bad(f"ExtendedAttribute[{i}]/FieldID", None, f"extended attribute #{i} has no FieldID")
        rows.append(
            {
                "project_name": project,
                "owner_type": owner_type,
                "owner_uid": owner_uid,
                "field_id": field_id,
                "field_name": names.get(field_id) or msp_fields.field_name(field_id),
                "value": reader.string(attr, "Value"),
                "_source_ref": f"{ref}/ExtendedAttribute[FieldID={field_id}]",
            }
        )
    return rows


def _task(
    task: ET.Element,
    reader: _Reader,
    names: dict[str, str | None],
    project: str,
    bundle: _TaskBundle,
    uid: int,
) -> None:
    r, ref = reader, bundle.ref

    def attempt(fn, *args):
        try:
            return fn(*args)
        except _Bad as bad:
            bundle.errors.append(bad)
            return None

    start = attempt(r.timestamp, task, "Start")
    finish = attempt(r.timestamp, task, "Finish")
    actual_start = attempt(r.timestamp, task, "ActualStart")
    actual_finish = attempt(r.timestamp, task, "ActualFinish")
    percent = attempt(r.number, task, "PercentComplete")
    percent_work = attempt(r.number, task, "PercentWorkComplete")
    for tag, value in (("PercentComplete", percent), ("PercentWorkComplete", percent_work)):
        if value is not None and not 0 <= value <= 100:
            bundle.errors.append(_Bad(tag, r.text(task, tag), f"{tag} {r.text(task, tag)} is outside 0..100"))
    for first, last, a, b in (
        ("Start", "Finish", start, finish),
        ("ActualStart", "ActualFinish", actual_start, actual_finish),
    ):
        if a is not None and b is not None and a > b:
            bundle.errors.append(
                _Bad(first, r.text(task, first), f"{first} {a.isoformat()} is after {last} {b.isoformat()}")
            )
    duration_format = attempt(r.integer, task, "DurationFormat")
    elapsed = duration_format in ELAPSED_DURATION_FORMATS
    bundle.row = {
        "project_name": project,
        "task_uid": uid,
        "task_id": attempt(r.integer, task, "ID"),
        "task_name": r.string(task, "Name"),
        "wbs": r.text(task, "WBS"),
        "outline_number": r.text(task, "OutlineNumber"),
        "outline_level": attempt(r.integer, task, "OutlineLevel"),
        "is_summary": attempt(r.boolean, task, "Summary"),
        "is_milestone": attempt(r.boolean, task, "Milestone"),
        "start_at": start,
        "finish_at": finish,
        "actual_start_at": actual_start,
        "actual_finish_at": actual_finish,
        "duration_days": attempt(r.days, task, "Duration", None, elapsed),
        "duration_is_elapsed": elapsed,
        "work_hours": attempt(r.hours, task, "Work"),
        "percent_complete": percent,
        "percent_work_complete": percent_work,
        "cost_amount": attempt(r.money, task, "Cost"),
        "actual_cost_amount": attempt(r.money, task, "ActualCost"),
        "remaining_cost_amount": attempt(r.money, task, "RemainingCost"),
        "bcws_amount": attempt(r.money, task, "BCWS"),
        "bcwp_amount": attempt(r.money, task, "BCWP"),
        "acwp_amount": attempt(r.money, task, "ACWP"),
        "_source_ref": ref,
    }
    for i, baseline in enumerate(task.findall(r.ns + "Baseline"), start=1):
        attempt(_baseline, baseline, r, project, uid, ref, i, bundle)
    for i, link in enumerate(task.findall(r.ns + "PredecessorLink"), start=1):
        attempt(_link, link, r, project, uid, ref, i, bundle)
    ext = attempt(_extended_values, task, r, names, project, "task", uid, ref)
    bundle.children["msp_extended_attributes"].extend(ext or [])


def _baseline(
    elem: ET.Element, r: _Reader, project: str, uid: int, ref: str, i: int, bundle: _TaskBundle
) -> None:
    number = r.integer(elem, "Number", f"Baseline[{i}]/Number")
    if number is None or not 0 <= number <= 10:
        raise _Bad(f"Baseline[{i}]/Number", r.text(elem, "Number"), "baseline Number must be 0..10")
    label = f"Baseline[Number={number}]"
    bundle.children["msp_task_baselines"].append(
        {
            "project_name": project,
            "task_uid": uid,
            "baseline_number": number,
            "baseline_start_at": r.timestamp(elem, "Start", f"{label}/Start"),
            "baseline_finish_at": r.timestamp(elem, "Finish", f"{label}/Finish"),
            "baseline_duration_days": r.days(elem, "Duration", f"{label}/Duration"),
            "baseline_work_hours": r.hours(elem, "Work", f"{label}/Work"),
            "baseline_cost_amount": r.money(elem, "Cost", f"{label}/Cost"),
            "_source_ref": f"{ref}/{label}",
        }
    )


def _link(
    elem: ET.Element, r: _Reader, project: str, uid: int, ref: str, i: int, bundle: _TaskBundle
) -> None:
    pred = r.integer(elem, "PredecessorUID", f"PredecessorLink[{i}]/PredecessorUID")
    if pred is None:
        raise _Bad(f"PredecessorLink[{i}]/PredecessorUID", None, "predecessor link without PredecessorUID")
    label = f"PredecessorLink[PredecessorUID={pred}]"
    type_code = r.integer(elem, "Type", f"{label}/Type")
    type_code = 1 if type_code is None else type_code  # the schema's default is FS
    if type_code not in LINK_TYPES:
        raise _Bad(f"{label}/Type", r.text(elem, "Type"), "link Type must be 0 FF, 1 FS, 2 SF or 3 SS")
    lag_format = r.integer(elem, "LagFormat", f"{label}/LagFormat")
    lag = r.integer(elem, "LinkLag", f"{label}/LinkLag")
    if lag and lag_format in PERCENT_LAG_FORMATS:
        raise _Bad(
            f"{label}/LinkLag",
            r.text(elem, "LinkLag"),
            f"the lag is a percentage of the predecessor's duration (LagFormat {lag_format}), not a time",
        )
    bundle.children["msp_predecessor_links"].append(
        {
            "project_name": project,
            "task_uid": uid,
            "predecessor_uid": pred,
            "link_type": LINK_TYPES[type_code],
            "lag_days": (lag or 0) / 10 / r.minutes_per_day,
            "_source_ref": f"{ref}/{label}",
        }
    )


def _element_ref(r: _Reader, elem: ET.Element, path: str, pos: int) -> str:
    """`path[UID=n]` for an element with a UID, else `path[pos]` (1-based position)."""
    raw_uid = r.text(elem, "UID")
    return f"{path}[UID={raw_uid}]" if raw_uid else f"{path}[{pos}]"


def _resources(
    root: ET.Element, r: _Reader, names: dict[str, str | None], project: str, rejects: list[Reject]
) -> tuple[list[dict], list[dict]]:
    rows: list[dict] = []
    ext_rows: list[dict] = []
    for pos, res in enumerate(root.findall(f"{r.ns}Resources/{r.ns}Resource"), start=1):
        ref = _element_ref(r, res, "/Project/Resources/Resource", pos)
        try:
            uid = r.integer(res, "UID")
            if uid is None:
                raise _Bad("UID", None, "resource without UID")
            type_code = r.integer(res, "Type")
            if r.boolean(res, "IsCostResource"):
                type_code = 2
            if type_code is not None and type_code not in RESOURCE_TYPES:
                raise _Bad("Type", r.text(res, "Type"), "resource Type must be 0 material, 1 work or 2 cost")
            row = {
                "project_name": project,
                "resource_uid": uid,
                "resource_name": r.string(res, "Name"),
                "resource_type": RESOURCE_TYPES.get(type_code) if type_code is not None else None,
                "standard_rate": r.number(res, "StandardRate"),
                "cost_amount": r.money(res, "Cost"),
                "_source_ref": ref,
            }
            ext = _extended_values(res, r, names, project, "resource", uid, ref)
        except _Bad as bad:
            rejects.append(bad.reject(ref))
            continue
        rows.append(row)
        ext_rows.extend(ext)
    return rows, ext_rows


def _assignments(
    root: ET.Element,
    r: _Reader,
    names: dict[str, str | None],
    project: str,
    bundles: dict[int, _TaskBundle],
    rejects: list[Reject],
) -> None:
    """Attach each assignment to its task's bundle: a bad assignment rejects its task."""
    for pos, asg in enumerate(root.findall(f"{r.ns}Assignments/{r.ns}Assignment"), start=1):
        ref = _element_ref(r, asg, "/Project/Assignments/Assignment", pos)
        try:
            task_uid = r.integer(asg, "TaskUID")
        except _Bad as bad:
            rejects.append(bad.reject(ref))
            continue
        bundle = bundles.get(task_uid) if task_uid is not None else None
        if bundle is None:
            rejects.append(
                Reject(
                    ref=ref,
                    column="TaskUID",
                    value=r.text(asg, "TaskUID"),
                    reason="the assignment's TaskUID matches no task in the file",
                )
            )
            continue
        try:
            uid = r.integer(asg, "UID")
            row = {
                "project_name": project,
                "assignment_uid": uid,
                "task_uid": task_uid,
                "resource_uid": _resource_uid(r.integer(asg, "ResourceUID")),
                "work_hours": r.hours(asg, "Work"),
                "actual_work_hours": r.hours(asg, "ActualWork"),
                "cost_amount": r.money(asg, "Cost"),
                "actual_cost_amount": r.money(asg, "ActualCost"),
                "start_at": r.timestamp(asg, "Start"),
                "finish_at": r.timestamp(asg, "Finish"),
                "_source_ref": ref,
            }
            ext = _extended_values(asg, r, names, project, "assignment", uid, ref)
        except _Bad as bad:
            label = ref.removeprefix("/Project/Assignments/")
            bundle.errors.append(
                _Bad(f"{label}/{bad.column}", bad.value, f"assignment: {bad.reason}", f"{ref}/{bad.column}")
            )
            continue
        bundle.children["msp_assignments"].append(row)
        bundle.children["msp_extended_attributes"].extend(ext)


def _resource_uid(uid: int | None) -> int | None:
    return None if uid == UNASSIGNED_RESOURCE_UID else uid


def _is_null_task(task: ET.Element, reader: _Reader) -> bool:
    return (reader.text(task, "IsNull") or "").strip().lower() in ("1", "true")


def parse(path: Path, ctx: ParseContext, kind: str = KIND) -> ParseResult:
    root = _load_tree(path)
    ns = _namespace(path, root)
    project_row, reader = _project_header(path, root, ns)
    project = project_row["project_name"]
    names = _field_names(root, reader)
    rejects: list[Reject] = []

    all_tasks = root.findall(f"{ns}Tasks/{ns}Task")
    task_elems = [t for t in all_tasks if not _is_null_task(t, reader)]  # blank rows are not tasks
    bundles: dict[int, _TaskBundle] = {}
    bad_tasks: list[_TaskBundle] = []
    for pos, task in enumerate(all_tasks, start=1):  # positions as in the file, blank rows included
        if _is_null_task(task, reader):
            continue
        raw_uid = reader.text(task, "UID")
        name = reader.string(task, "Name")
        try:
            uid = reader.integer(task, "UID")
            if uid is None:
                raise _Bad("UID", None, "task without UID")
        except _Bad as bad:
            bundle = _TaskBundle(ref=f"/Project/Tasks/Task[{pos}]", name=name, errors=[bad])
            bad_tasks.append(bundle)
            continue
        if uid in bundles:
            bundle = _TaskBundle(ref=f"/Project/Tasks/Task[{pos}]", name=name)
            bundle.errors.append(_Bad("UID", raw_uid, f"UID {uid} is used by an earlier task too"))
            bad_tasks.append(bundle)
            continue
        bundle = _TaskBundle(ref=f"/Project/Tasks/Task[UID={uid}]", name=name)
        _task(task, reader, names, project, bundle, uid)
        bundles[uid] = bundle

    resources, resource_ext = _resources(root, reader, names, project, rejects)
    _assignments(root, reader, names, project, bundles, rejects)

    rows: dict[str, list[dict]] = {t: [] for t in TABLES}
    rows["msp_projects"].append(project_row)
    rows["msp_resources"].extend(resources)
    loaded = 0
    for bundle in list(bundles.values()) + bad_tasks:
        if bundle.errors:
            for bad in bundle.errors:
                about = f"task {bundle.name!r}: " if bundle.name else ""
                where = bad.path or f"{bundle.ref}/{bad.column}"
                rejects.append(
                    Reject(
                        ref=bundle.ref,
                        column=bad.column,
                        value=bad.value,
                        reason=f"{about}{bad.reason} (at {where})",
                    )
                )
            continue
        loaded += 1
        rows["msp_tasks"].append(bundle.row)
        for table, child_rows in bundle.children.items():
            rows[table].extend(child_rows)
    rows["msp_extended_attributes"].extend(resource_ext)

    return ParseResult(
        tables={t: rows_to_table(t, rows[t]) for t in TABLES},
        rejects=rejects,
        rows_read=len(task_elems),
        rows_loaded=loaded,
        file_kind=KIND,
        rows_rejected_override=len(task_elems) - loaded,
    )
