"""MS Project custom field names by FieldID, for MSPDI files that carry ExtendedAttribute values
without defining the field in /Project/ExtendedAttributes (MS Project omits definitions of fields
that have no alias; MPXJ names them from the id the same way).

What the table covers: the local custom fields of tasks (Text1-30, Number1-20, Flag1-20, Cost1-10,
Date1-10, Duration1-10, Start1-10, Finish1-10, Outline Code1-10) and of resources (the same but
Date1-9), and
the enterprise custom fields of tasks and resources as Project Server defines them (Enterprise
Cost1-10, Date1-30, Duration1-10, Flag1-20, Number1-40, Text1-40; for tasks also Enterprise Project
Text1-40). Assignment fields and enterprise outline codes are not in it: such a value keeps its
field_id and a null field_name. The ids are MS Project's PjField constants; the samples
(mspextattr.xml, enterprise.xml, task-costs and task-dates) define the fields they use with exactly
these ids.
"""

from __future__ import annotations

TASK = 188743680  # 0x0B400000: task field ids are TASK + the field's index
RESOURCE = 205520896  # 0x0C400000


def _run(names: dict[str, str], label: str, ids: list[int], first: int = 1) -> None:
    for n, field_id in enumerate(ids, start=first):
        names[str(field_id)] = f"{label}{n}"


def _span(start: int, count: int) -> list[int]:
    return list(range(start, start + count))


def _table() -> dict[str, str]:
    names: dict[str, str] = {}
    # ---- task, local (index offsets from TASK as MS Project numbers them) ----
    _run(
        names, "Text", [*(TASK + i for i in (51, 54, 57, 60, 63, 66, 67, 68, 69, 70)), *_span(TASK + 317, 20)]
    )
    _run(names, "Start", [*(TASK + i for i in (52, 55, 58, 61, 64)), *(TASK + 282 + 2 * i for i in range(5))])
    _run(
        names, "Finish", [*(TASK + i for i in (53, 56, 59, 62, 65)), *(TASK + 283 + 2 * i for i in range(5))]
    )
    _run(names, "Flag", [*_span(TASK + 72, 10), *_span(TASK + 292, 10)])
    _run(names, "Number", [*_span(TASK + 87, 5), *_span(TASK + 302, 15)])
    _run(names, "Duration", [*_span(TASK + 103, 3), *_span(TASK + 275, 7)])
    _run(names, "Cost", [*_span(TASK + 106, 3), *_span(TASK + 258, 7)])
    _run(names, "Date", _span(TASK + 265, 10))
    _run(names, "Outline Code", [TASK + 416 + 2 * i for i in range(10)])
    # ---- resource, local ----
    _run(
        names,
        "Text",
        [*(RESOURCE + i for i in (8, 9, 30, 31, 32, 97, 98, 99, 100, 101)), *_span(RESOURCE + 225, 20)],
    )
    _run(names, "Start", [*_span(RESOURCE + 102, 5), *_span(RESOURCE + 220, 5)])
    _run(names, "Finish", [*_span(RESOURCE + 107, 5), *_span(RESOURCE + 190, 5)])
    _run(names, "Flag", [*_span(RESOURCE + 127, 9), RESOURCE + 126, *_span(RESOURCE + 195, 10)])
    _run(names, "Number", [*_span(RESOURCE + 112, 5), *_span(RESOURCE + 205, 15)])
    _run(names, "Duration", [*_span(RESOURCE + 117, 3), *_span(RESOURCE + 183, 7)])
    _run(names, "Cost", [*_span(RESOURCE + 123, 3), *_span(RESOURCE + 166, 7)])
    _run(names, "Date", _span(RESOURCE + 173, 9))  # Date10's id is not in the references checked
    _run(names, "Outline Code", [RESOURCE + 278 + 2 * i for i in range(10)])
    # ---- enterprise (Project Server) ----
    for base, runs in (
        (
            TASK,
            (
                (599, "Cost", 10),
                (609, "Date", 30),
                (639, "Duration", 10),
                (659, "Flag", 20),
                (699, "Number", 40),
                (799, "Text", 40),
                (1049, "Project Text", 40),
            ),
        ),
        (
            RESOURCE,
            (
                (446, "Cost", 10),
                (456, "Date", 30),
                (486, "Duration", 10),
                (506, "Flag", 20),
                (546, "Number", 40),
                (646, "Text", 40),
            ),
        ),
    ):
        for offset, label, count in runs:
            _run(names, f"Enterprise {label}", _span(base + offset, count))
    return names


FIELD_NAMES: dict[str, str] = _table()


def field_name(field_id: str) -> str | None:
    """The built-in name of a custom field id (e.g. '188743731' -> 'Text1'), or None."""
    return FIELD_NAMES.get(field_id.strip())
