"""One settings file (vro.yaml, ingest/settings.py): values, every error in one line each and exit 2,
which file is in force, the shipped example, `vro config`, and settings reaching the marts, the gate,
the run report and the dashboard. All fast but the last e2e test (a dbt run of three models)."""

from __future__ import annotations

import json

import pytest
import yaml
from support.paths import REPO

from ingest.settings import (
    SETTINGS,
    DbtVar,
    IngestSettings,
    defaults,
    load_settings,
    read_settings_file,
)
from orchestration import cli
from orchestration.defs.gate.suites import CHECK_NAMES

EXAMPLE = REPO / "vro.example.yaml"


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A landing folder with one good file, a home, and no settings variables from outside."""
    landing, home = tmp_path / "landing", tmp_path / "home"
    (landing / "benefits").mkdir(parents=True)
    (landing / "benefits" / "attribution.csv").write_bytes(b"benefit_id,project_id,share\nB1,P1,0.5\n")
    for name in ("VRO_CONFIG", "VRO_INGEST_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VRO_LANDING", str(landing))
    monkeypatch.setenv("VRO_HOME", str(home))
    return tmp_path, landing, home


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def in_force(out: str) -> dict[str, tuple[str, str]]:
    """`vro config` output: setting -> (value, source)."""
    rows = {}
    for line in out.splitlines()[1:]:
        key, rest = line.split(None, 1)
        value, source = rest.rsplit("  ", 1)
        rows[key] = (value.strip(), source.strip())
    return rows


# ---- a valid file ------------------------------------------------------------------------------------


def test_a_valid_file_gives_its_values_and_the_defaults_for_the_rest(tmp_path):
    config = tmp_path / "vro.yaml"
    config.write_text(
        "reporting_currency: gbp\n"
        "discount_rate: 0.035\n"
        "fiscal_year_start_month: 4\n"
        "as_of_month: 2026-09-30\n"  # YAML reads it as a date: the month is kept, as its first day
        "rag_cpi_green: 1\n"
        "flow_waiting_statuses: []\n"
        "severity: {gx_ingest_jira_files_readable: blocking, gx_ingest_finance_freshness: warn}\n"
        "jira_export_timezone: Europe/London\n"
        "jira_csv_date_formats: '%Y-%m-%d %H:%M'\n"
        "extra_profiles_dir: profiles\n"  # relative to the settings file's folder
    )
    (tmp_path / "profiles").mkdir()
    settings = read_settings_file(config, "--config", CHECK_NAMES)
    assert settings.dbt_vars["reporting_currency"] == "GBP"
    assert settings.dbt_vars["discount_rate_annual"] == 0.035
    assert settings.dbt_vars["fiscal_year_start_month"] == 4
    assert settings.dbt_vars["as_of_month"] == "2026-09-01"
    assert settings.dbt_vars["rag_cpi_green"] == 1.0
    assert settings.dbt_vars["rag_cpi_amber"] == 0.85  # default
    assert settings.dbt_vars["flow_waiting_statuses"] == []
    assert settings.severity == {
        "gx_ingest_jira_files_readable": "error",
        "gx_ingest_finance_freshness": "warn",
    }
    assert settings.ingest == IngestSettings(
        jira_export_timezone="Europe/London",
        jira_csv_date_formats=("%Y-%m-%d %H:%M",),
        extra_profiles_dir=str(tmp_path / "profiles"),
    )
    assert settings.sources["discount_rate"] == f"{config} (--config)"
    assert settings.sources["fx_forward_years"] == "default"
    assert settings.dbt_vars["fx_forward_years"] == 10  # a setting not in the file: its default, passed on


def test_an_empty_file_is_all_defaults(tmp_path):
    config = tmp_path / "vro.yaml"
    config.write_text("# nothing set yet\n")
    assert read_settings_file(config).values == defaults().values


# ---- every problem: one line naming the key, exit 2 before anything is read -------------------------

NOT_A_ZONE = (
    "jira_export_timezone 'Mars/Olympus' is not a time zone name (e.g. UTC, Europe/Berlin, America/New_York)"
)
INVALID = [
    (
        "reporting_currency: POUNDS",
        "reporting_currency must be a 3-letter currency code such as EUR or GBP, not 'POUNDS'",
    ),
    (
        "reporting_currency: 826",
        "reporting_currency must be a 3-letter currency code such as EUR or GBP, not 826",
    ),
    ("discount_rate: 8", "discount_rate must be a number from 0 to 1 (0.035 is 3.5 %), not 8"),
    ("discount_rate: 3.5%", "discount_rate must be a number from 0 to 1 (0.035 is 3.5 %), not '3.5%'"),
    ("discount_rate: -0.01", "discount_rate must be a number from 0 to 1 (0.035 is 3.5 %), not -0.01"),
    ("discount_rate: true", "discount_rate must be a number from 0 to 1 (0.035 is 3.5 %), not True"),
    ("fiscal_year_start_month: 13", "fiscal_year_start_month must be a whole number from 1 to 12, not 13"),
    (
        "fiscal_year_start_month: April",
        "fiscal_year_start_month must be a whole number from 1 to 12, not 'April'",
    ),
    ("fiscal_year_start_month: 0", "fiscal_year_start_month must be a whole number from 1 to 12, not 0"),
    (
        "as_of_month: September",
        "as_of_month must be a month such as 2026-09 (or null: the latest month with data), not 'September'",
    ),
    (
        "as_of_month: 2026-13",
        "as_of_month must be a month such as 2026-09 (or null: the latest month with data), not '2026-13'",
    ),
    ("fx_forward_years: ten", "fx_forward_years must be a whole number from 0 to 100, not 'ten'"),
    ("rag_cpi_amber: 0.99", "rag_cpi_amber (0.99) must not be above rag_cpi_green (0.95)"),
    ("rag_spi_green: -1", "rag_spi_green must be a number at least 0, not -1"),
    (
        "flow_waiting_statuses: Blocked",
        "flow_waiting_statuses must be a list of names such as ['Blocked', 'Waiting%'] (or []), "
        "not 'Blocked'",
    ),
    ("discount_rat: 0.035", "unknown setting 'discount_rat' (did you mean discount_rate?)"),
    ("colour: blue", "unknown setting 'colour' (vro.example.yaml lists every setting)"),
    (
        "severity: {gx_ingest_jira_files_redable: blocking}",
        "severity names an unknown check 'gx_ingest_jira_files_redable' "
        "(did you mean gx_ingest_jira_files_readable?)",
    ),
    (
        "severity: {gx_ingest_jira_files_readable: fatal}",
        "severity of gx_ingest_jira_files_readable must be blocking or warn, not 'fatal'",
    ),
    ("jira_export_timezone: Mars/Olympus", NOT_A_ZONE),
    ("msp_wizard_locale: fr_FR", "msp_wizard_locale must be one of en_US, en_GB, not 'fr_FR'"),
    ("parse_workers: 0", "parse_workers must be a whole number at least 1, not 0"),
    ("- just\n- a list", "must be a mapping of setting: value, not list"),
]


@pytest.mark.parametrize(("text", "problem"), INVALID, ids=[t.split(":")[0] for t, _ in INVALID])
def test_each_invalid_setting_is_one_line_naming_it_and_exit_2(env, capsys, text, problem):
    tmp, landing, home = env
    config = tmp / "vro.yaml"
    config.write_text(text + "\n")
    code, out, err = run(capsys, "ingest", "--landing", landing, "--home", home, "--config", config)
    assert (code, out, err) == (2, "", f"vro: settings file {config} (--config): {problem}\n")
    assert not (home / "raw").exists()  # nothing was read
    code, out, err = run(capsys, "config", "--check", config)
    assert (code, out, err) == (2, "", f"vro: settings file {config} (--check): {problem}\n")


def test_all_problems_are_reported_at_once_one_line_each(env, capsys):
    tmp, landing, home = env
    (home).mkdir()
    config = home / "vro.yaml"
    config.write_text(
        "reporting_currency: POUNDS\ndiscount_rate: 8\nfiscal_year_start_month: 13\n"
        "as_of_month: soon\nsevrity: {}\njira_export_timezone: Mars/Olympus\n"
    )
    code, _, err = run(capsys, "run", "--landing", landing, "--home", home)
    where = f"vro: settings file {config} (home): "
    assert code == 2
    assert err.splitlines() == [
        where + "reporting_currency must be a 3-letter currency code such as EUR or GBP, not 'POUNDS'",
        where + "discount_rate must be a number from 0 to 1 (0.035 is 3.5 %), not 8",
        where + "fiscal_year_start_month must be a whole number from 1 to 12, not 13",
        where
        + "as_of_month must be a month such as 2026-09 (or null: the latest month with data), not 'soon'",
        where + "unknown setting 'sevrity' (did you mean severity?)",
        where + NOT_A_ZONE,
    ]
    assert not (home / "raw").exists() and not (home / "dagster").exists()


def test_a_missing_or_broken_file_is_a_configuration_error(env, capsys, monkeypatch):
    tmp, landing, home = env
    monkeypatch.setenv("VRO_CONFIG", str(tmp / "missing.yaml"))
    code, _, err = run(capsys, "config")
    assert code == 2
    assert err.startswith(
        f"vro: settings file {tmp / 'missing.yaml'} (VRO_CONFIG): cannot be read (No such file"
    )
    (tmp / "broken.yaml").write_text("discount_rate: [0.03\n")
    code, _, err = run(capsys, "ui", "--config", tmp / "broken.yaml")
    assert code == 2 and err.startswith(
        f"vro: settings file {tmp / 'broken.yaml'} (--config): not valid YAML ("
    )


# ---- which file is in force ----------------------------------------------------------------------------


def test_config_option_over_vro_config_over_the_deprecated_alias_over_the_home_file_over_defaults(
    env, capsys, monkeypatch
):
    tmp, _, home = env
    home.mkdir()
    files = {}
    for name, currency in (("option", "GBP"), ("variable", "USD"), ("alias", "JPY"), ("home", "CHF")):
        files[name] = (home / "vro.yaml") if name == "home" else tmp / f"{name}.yaml"
        files[name].write_text(f"reporting_currency: {currency}\n")
    monkeypatch.setenv("VRO_CONFIG", str(files["variable"]))
    monkeypatch.setenv("VRO_INGEST_CONFIG", str(files["alias"]))

    def currency(*args) -> tuple[str, str]:
        code, out, err = run(capsys, "config", "--home", home, *args)
        assert code == 0, err
        return in_force(out)["reporting_currency"]

    assert currency("--config", files["option"]) == ("GBP", f"{files['option']} (--config)")
    monkeypatch.setenv("VRO_CONFIG", str(files["variable"]))  # --config is passed on as VRO_CONFIG
    assert currency() == ("USD", f"{files['variable']} (VRO_CONFIG)")
    monkeypatch.delenv("VRO_CONFIG")
    assert currency() == ("JPY", f"{files['alias']} (VRO_INGEST_CONFIG)")
    monkeypatch.delenv("VRO_INGEST_CONFIG")
    assert currency() == ("CHF", f"{files['home']} (home)")
    files["home"].unlink()
    assert currency() == ("EUR", "default")
    # The home also comes from VRO_HOME, as for every other command.
    (home / "vro.yaml").write_text("reporting_currency: SEK\n")
    assert load_settings().values["reporting_currency"] == "SEK"


def test_vro_config_prints_every_setting_aligned_with_where_it_came_from(env, capsys):
    tmp, _, home = env
    home.mkdir()
    (home / "vro.yaml").write_text("discount_rate: 0.035\nseverity: {gx_ingest_jira_freshness: blocking}\n")
    code, out, err = run(capsys, "config", "--home", home)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"settings file: {home / 'vro.yaml'} (home)"
    assert [line.split()[0] for line in lines[1:]] == [s.key for s in SETTINGS]
    value_at = {line.index(line.split()[1], len(line.split()[0])) for line in lines[1:]}
    assert len(value_at) == 1  # the values start in one column
    rows = in_force(out)
    assert rows["discount_rate"] == ("0.035", f"{home / 'vro.yaml'} (home)")
    assert rows["severity"] == ('{"gx_ingest_jira_freshness": "blocking"}', f"{home / 'vro.yaml'} (home)")
    assert rows["reporting_currency"] == ("EUR", "default")
    assert rows["as_of_month"] == ("null", "default")
    (home / "vro.yaml").unlink()
    code, out, _ = run(capsys, "config", "--home", home)
    assert out.splitlines()[0] == (
        f"settings file: none ({home / 'vro.yaml'} does not exist): every setting is its default"
    )
    code, out, _ = run(capsys, "config", "--check", EXAMPLE)
    assert code == 0 and out.startswith(
        f"{EXAMPLE}: valid ({len(SETTINGS)} of {len(SETTINGS)} settings set: reporting_currency, "
    )


def test_vro_help_lists_the_config_command(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "print the settings in force and where each came from" in out


# ---- the shipped example and the dbt project's own defaults -------------------------------------------


def test_the_example_file_sets_every_key_to_its_default():
    example = read_settings_file(EXAMPLE, "--check", CHECK_NAMES)
    assert example.values == defaults().values
    assert set(yaml.safe_load(EXAMPLE.read_text())) == {s.key for s in SETTINGS}


def test_the_dbt_project_defaults_equal_the_settings_defaults():
    """dbt_project.yml's vars serve bare `dbt` runs (unit tests, development); the pipeline passes
    every model setting as --vars. Both must say the same."""
    dbt_vars = yaml.safe_load((REPO / "dbt_project" / "dbt_project.yml").read_text())["vars"]
    for setting in SETTINGS:
        if isinstance(setting.feeds, DbtVar):
            assert dbt_vars[setting.feeds.name] == setting.default, setting.key


def test_deprecated_ingest_config_still_reads_its_keys(env, monkeypatch):
    tmp, _, _ = env
    (tmp / "ingest.yaml").write_text("jira_export_timezone: Europe/Berlin\nsettle_seconds: 5\n")
    monkeypatch.setenv("VRO_INGEST_CONFIG", str(tmp / "ingest.yaml"))
    assert IngestSettings.load() == IngestSettings(jira_export_timezone="Europe/Berlin", settle_seconds=5.0)


# ---- severity reaches the gate -------------------------------------------------------------------------


def test_a_severity_setting_makes_a_warning_check_blocking_and_a_blocking_one_a_warning():
    import dagster as dg

    from orchestration.defs.gate.checks import build_gx_checks
    from orchestration.defs.gate.suites import SEVERITY

    assert SEVERITY["gx_ingest_jira_files_readable"] == "warn"  # the defaults this test turns round
    assert "gx_ingest_finance_files_readable" not in SEVERITY  # blocking
    keys = [
        dg.AssetKey(["raw", "jira_issues"]),
        dg.AssetKey(["raw", "gl_line_items"]),
    ]  # sources' first tables

    def blocking(severity) -> dict[str, bool]:
        specs = [spec for check in build_gx_checks(keys, severity) for spec in check.check_specs]
        return {s.name: s.blocking for s in specs if s.name.endswith("_files_readable")}

    assert blocking(None) == {
        "gx_ingest_jira_files_readable": False,
        "gx_ingest_finance_files_readable": True,
    }
    overridden = {"gx_ingest_jira_files_readable": "error", "gx_ingest_finance_files_readable": "warn"}
    assert blocking(overridden) == {
        "gx_ingest_jira_files_readable": True,
        "gx_ingest_finance_files_readable": False,
    }


def test_a_changed_model_setting_changes_the_code_state_so_the_marts_are_rebuilt(env, monkeypatch):
    from orchestration.run_state import code_state

    tmp, _, home = env
    home.mkdir()
    before = code_state()
    (home / "vro.yaml").write_text("parse_workers: 2\n")  # ingest only: the marts do not depend on it
    assert code_state() == before
    (home / "vro.yaml").write_text("discount_rate: 0.035\n")
    assert code_state() != before


# ---- the dashboard shows them ----------------------------------------------------------------------------


def test_the_data_trust_page_shows_the_settings_of_the_last_run(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from orchestration.run_report import settings_report
    from orchestration.settings import VroPaths

    home = tmp_path / "home"
    (home / "reports").mkdir(parents=True)
    (home / "vro.yaml").write_text("reporting_currency: GBP\n")
    for name in ("VRO_CONFIG", "VRO_INGEST_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    report = {
        "run_id": "r1",
        "finished_at": "2026-12-01T06:00:00+00:00",
        "published": True,
        "files": [],
        "checks": [],
        "failed_steps": [],
        "settings": settings_report(VroPaths(tmp_path / "landing", home)),
    }
    (home / "reports" / "last_run.json").write_text(json.dumps(report))
    monkeypatch.setenv("VRO_HOME", str(home))
    at = AppTest.from_file(str(REPO / "orchestration" / "dashboard" / "app.py"), default_timeout=60).run()
    at.switch_page("pages/trust.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = next(d.value for d in at.dataframe if "setting" in d.value.columns)
    assert list(shown.columns) == ["setting", "value", "source"]
    rows = {r.setting: (r.value, r.source) for r in shown.itertuples()}
    assert rows["reporting_currency"] == ("GBP", f"{home / 'vro.yaml'} (home)")
    assert rows["discount_rate"] == ("0.08", "default")
    assert rows["as_of_month"] == ("\u2014", "default")  # null: the latest month with data
    assert f"Settings file: {home / 'vro.yaml'}" in " ".join(c.value for c in at.caption)
