"""The `vro` command's promises for hostile setups: usage and configuration errors exit 2 with one
line and no traceback; `vro ingest` exits 1 when a file could not be read, 0 otherwise; a symlink
loop in the landing folder is one refused file, not a crash. Run in-process (cli.main)."""

from __future__ import annotations

import os

import pytest

from orchestration import cli

GOOD_ATTRIBUTION = b"benefit_id,project_id,share\nB1,P1,0.5\n"


@pytest.fixture
def env(tmp_path, monkeypatch):
    landing, home = tmp_path / "landing", tmp_path / "home"
    (landing / "benefits").mkdir(parents=True)
    (landing / "benefits" / "attribution.csv").write_bytes(GOOD_ATTRIBUTION)
    for name in ("VRO_LANDING", "VRO_HOME", "VRO_INGEST_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VRO_LANDING", str(landing))
    monkeypatch.setenv("VRO_HOME", str(home))
    return tmp_path, landing, home


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_usage_error(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("vro: "), err
    assert "Traceback" not in err
    for word in words:
        assert word in err, err


def test_home_that_is_a_file(env, capsys):
    tmp, landing, _ = env
    (tmp / "file").write_text("x")
    code, _, err = run(capsys, "ingest", "--landing", str(landing), "--home", str(tmp / "file"))
    one_line_usage_error(code, err, "is a file, not a folder")


def test_home_under_a_file(env, capsys):
    tmp, landing, _ = env
    (tmp / "file").write_text("x")
    code, _, err = run(capsys, "ingest", "--landing", str(landing), "--home", str(tmp / "file" / "home"))
    one_line_usage_error(code, err, "which is a file")


def test_vro_home_variable_pointing_at_a_file(env, capsys, monkeypatch):
    tmp, _, _ = env
    (tmp / "file").write_text("x")
    monkeypatch.setenv("VRO_HOME", str(tmp / "file"))
    code, _, err = run(capsys, "run")
    one_line_usage_error(code, err, "is a file, not a folder", "VRO_HOME")


def test_landing_that_is_a_file(env, capsys):
    tmp, _, home = env
    (tmp / "file").write_text("x")
    code, _, err = run(capsys, "ingest", "--landing", str(tmp / "file"), "--home", str(home))
    one_line_usage_error(code, err, "is not a folder")


@pytest.mark.parametrize(
    "config,words",
    [
        ("jira_export_timezone: Mars/Olympus\n", ["jira_export_timezone", "not a time zone"]),
        ("no_such_setting: 1\n", ["unknown setting", "no_such_setting"]),
        ("max_file_bytes: lots\n", ["max_file_bytes"]),
        ("jira_csv_date_formats: [dd/mm/yy]\n", ["strptime"]),
        ("msp_wizard_locale: fr_FR\n", ["msp_wizard_locale"]),
        ("- just\n- a list\n", ["mapping"]),
        ("key: [unclosed\n", ["not valid YAML"]),
        ("extra_profiles_dir: /no/such/folder\n", ["extra_profiles_dir"]),
    ],
)
def test_bad_ingest_settings_are_a_configuration_error(env, capsys, monkeypatch, config, words):
    tmp, landing, home = env
    (tmp / "ingest.yaml").write_text(config)
    monkeypatch.setenv("VRO_INGEST_CONFIG", str(tmp / "ingest.yaml"))
    for command in ("ingest", "run"):
        code, _, err = run(capsys, command, "--landing", str(landing), "--home", str(home))
        one_line_usage_error(code, err, "VRO_INGEST_CONFIG", *words)
    assert not (home / "raw").exists()  # nothing was read


def test_missing_settings_file_is_a_configuration_error(env, capsys, monkeypatch):
    tmp, landing, home = env
    monkeypatch.setenv("VRO_INGEST_CONFIG", str(tmp / "missing.yaml"))
    code, _, err = run(capsys, "ingest", "--landing", str(landing), "--home", str(home))
    one_line_usage_error(code, err, "cannot be read")


def test_ingest_exits_0_when_every_file_reads_and_1_when_one_is_rejected(env, capsys):
    _, landing, home = env
    code, out, _ = run(capsys, "ingest", "--landing", str(landing), "--home", str(home))
    assert code == 0 and "attribution.csv" in out
    (landing / "benefits" / "attribution_no_share.csv").write_bytes(b"benefit_id,project_id\nB1,P1\n")
    code, out, err = run(capsys, "ingest", "--landing", str(landing), "--home", str(home))
    assert code == 1 and "rejected" in out and "could not be read" in err
    # Still 1 on the next run: the file is unchanged and still unreadable.
    code, out, _ = run(capsys, "ingest", "--landing", str(landing), "--home", str(home))
    assert code == 1 and "unchanged" in out
    # Removed: 0 again.
    (landing / "benefits" / "attribution_no_share.csv").unlink()
    code, _, _ = run(capsys, "ingest", "--landing", str(landing), "--home", str(home))
    assert code == 0


def test_symlink_loop_in_the_landing_folder_is_one_refused_file(env, capsys):
    _, landing, home = env
    os.symlink("loop.csv", landing / "benefits" / "loop.csv")
    os.symlink(landing / "benefits", landing / "benefits" / "folder_loop")  # a folder linking to its parent
    code, out, err = run(capsys, "ingest", "--landing", str(landing), "--home", str(home))
    assert code == 0, err
    assert "Traceback" not in err
    assert "refused" in out and "leads nowhere" in out
    assert "attribution.csv" in out  # the good file was ingested beside it
