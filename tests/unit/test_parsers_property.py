"""Property tests of every text parser: random bytes and random mutations of real-shaped files
never crash a parser (it reads the file, or rejects it whole with a reason), and never lose a row
(rows read = loaded + rejected; a well-formed CSV of N records of arbitrary text reads N rows).

Bounded and derandomized (30 examples per parser and property, no deadline) so that CI is fast and
deterministic.
Each example goes through ingest.runner._parse, the path the runner takes: recognise by content,
then parse (RecursionError becomes a rejected file there).
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.paths import TEST_FIXTURES

from ingest.landing import LandingFile
from ingest.runner import _parse
from ingest.settings import IngestSettings

FIXTURES = TEST_FIXTURES
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# (source folder, file name, a real-shaped file of that format)
SAMPLES = [
    ("finance", "gl.csv", FIXTURES / "finance" / "gl_actuals_2000_generic.csv"),
    ("finance", "budgets.csv", FIXTURES / "finance" / "budgets.csv"),
    ("finance", "fx.csv", FIXTURES / "finance" / "fx_generic.csv"),
    ("jira", "issues.csv", FIXTURES / "jira" / "csv" / "server_dc.csv"),
    ("jira", "page.json", FIXTURES / "jira" / "search_jql" / "search_jql_page_1.json"),
    ("msproject", "plan.xml", FIXTURES / "msproject" / "mixed_tasks.xml"),
    ("msproject", "wizard.csv", FIXTURES / "msproject" / "wizard_tasks_en_us.csv"),
    ("benefits", "attribution.csv", FIXTURES / "templates" / "attribution.csv"),
    ("registry", "projects.csv", FIXTURES / "templates" / "projects.csv"),
]


def parse_bytes(root: Path, source: str, name: str, data: bytes):
    """(result or None, message): the file parsed as the runner parses it; any other exception fails."""
    landing = root / "landing"
    shutil.rmtree(landing, ignore_errors=True)
    (landing / source).mkdir(parents=True)
    path = landing / source / name
    path.write_bytes(data)
    work = root / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    result, _kind, message = _parse(
        LandingFile(path, f"{source}/{name}", source), landing, work, IngestSettings()
    )
    return result, message


def check_accounting(result, message) -> None:
    if result is None:
        reason, rows_read = message
        assert reason and rows_read >= 0
        return
    assert result.rows_read == result.rows_loaded + result.rows_rejected
    assert result.rows_loaded >= 0 and result.rows_rejected >= 0


@st.composite
def mutations(draw, data: bytes) -> bytes:
    """The sample with a few random edits: bytes flipped, inserted, deleted, or a slice repeated."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not out:
            break
        at = draw(st.integers(0, len(out) - 1))
        op = draw(st.sampled_from(["flip", "insert", "delete", "repeat", "truncate"]))
        if op == "flip":
            out[at] = draw(st.integers(0, 255))
        elif op == "insert":
            out[at:at] = draw(
                st.binary(min_size=1, max_size=8) | st.sampled_from([b'"', b",", b"\n", b"\r\n", b"<", b"{"])
            )
        elif op == "delete":
            del out[at : at + draw(st.integers(1, 16))]
        elif op == "repeat":
            out[at:at] = out[at : at + draw(st.integers(1, 64))]
        else:
            del out[at:]
    return bytes(out)


@pytest.mark.parametrize("source,name,sample", SAMPLES, ids=[f"{s}/{n}" for s, n, _ in SAMPLES])
def test_random_mutations_of_the_samples_never_crash_or_lose_a_row(tmp_path, source, name, sample):
    data = sample.read_bytes()

    @SETTINGS
    @given(mutated=mutations(data))
    def run(mutated: bytes) -> None:
        check_accounting(*parse_bytes(tmp_path, source, name, mutated))

    run()


@pytest.mark.parametrize(
    "source,name", [(s, n) for s, n, _ in SAMPLES], ids=[f"{s}/{n}" for s, n, _ in SAMPLES]
)
def test_random_bytes_never_crash(tmp_path, source, name):
    @SETTINGS
    @given(data=st.binary(max_size=2048))
    def run(data: bytes) -> None:
        check_accounting(*parse_bytes(tmp_path, source, name, data))

    run()


# Well-formed CSV of arbitrary cell text: every record is read as one row, loaded or rejected.
CELL = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=12)
CSV_FORMATS = [
    ("finance", "gl.csv", (FIXTURES / "finance" / "gl_actuals_2000_generic.csv")),
    ("finance", "budgets.csv", (FIXTURES / "finance" / "budgets.csv")),
    ("finance", "fx.csv", (FIXTURES / "finance" / "fx_generic.csv")),
    ("jira", "issues.csv", (FIXTURES / "jira" / "csv" / "server_dc.csv")),
    ("msproject", "wizard.csv", (FIXTURES / "msproject" / "wizard_tasks_en_us.csv")),
    ("strategy", "objectives.csv", (FIXTURES / "templates" / "objectives.csv")),
]


@pytest.mark.parametrize("source,name,sample", CSV_FORMATS, ids=[f"{s}/{n}" for s, n, _ in CSV_FORMATS])
def test_every_record_of_a_well_formed_csv_is_a_row(tmp_path, source, name, sample):
    header = next(csv.reader(io.StringIO(sample.read_text(encoding="utf-8-sig"))))
    first = next(csv.reader(io.StringIO(sample.read_text(encoding="utf-8-sig").split("\n", 1)[1])))

    @SETTINGS
    @given(
        records=st.lists(
            st.lists(st.one_of(CELL, st.sampled_from(first)), min_size=len(header), max_size=len(header)),
            min_size=1,
            max_size=8,
        )
    )
    def run(records: list[list[str]]) -> None:
        records = [r for r in records if any(c.strip() for c in r)]  # an all-blank record is a blank line
        if not records:
            return
        buf = io.StringIO()
        # CRLF record ends: the writer then quotes every cell holding a CR or an LF
        writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(records)
        result, message = parse_bytes(tmp_path, source, name, buf.getvalue().encode())
        check_accounting(result, message)
        if result is not None:
            assert result.rows_read == len(records)
        else:  # rejected whole: every record counted when the reader can tell them
            assert message[1] in (0, len(records))

    run()
