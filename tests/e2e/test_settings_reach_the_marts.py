"""End to end: a settings file reaches the marts and the run report (reporting currency and
discount rate, rebuilt by the pipeline's own Dagster job on a copy of the session's demo run)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path


def _ecb_gbp_per_eur(landing: Path) -> dict[dt.date, float]:
    with open(landing / "finance" / "eurofxref-hist.csv", newline="") as fh:
        return {
            dt.date.fromisoformat(r["Date"]): float(r["GBP"])
            for r in csv.DictReader(fh)
            if r["GBP"] not in ("", "N/A")
        }


def test_reporting_currency_and_discount_rate_reach_the_marts_and_the_run_report(
    demo_run, tmp_path, monkeypatch
):
    """The demo build at EUR and 8 %, rebuilt (the FX rates, the investment case and the scorecard, by
    the pipeline's own Dagster job) with a settings file saying GBP and 3.5 %: the NPV is the 3.5 %
    discounting of the project's cash flows, EUR converts at the ECB's GBP rate of the day, and the
    run report says which settings were in force and where they came from."""
    import dagster as dg

    from orchestration.warehouse import open_warehouse

    home = tmp_path / "home"
    (home / "dbt").mkdir(parents=True)
    shutil.copy2(demo_run.home / "warehouse.duckdb", home / "warehouse.duckdb")
    shutil.copytree(demo_run.home / "raw", home / "raw")
    shutil.copy2(demo_run.home / "dbt" / "partial_parse.msgpack", home / "dbt" / "partial_parse.msgpack")
    config = tmp_path / "gbp.yaml"
    config.write_text("reporting_currency: GBP\ndiscount_rate: 0.035\n")

    def npv(flows: list[tuple[int, float]], annual_rate: float) -> float:
        return sum(amount / (1 + annual_rate / 12) ** t for t, amount in flows)

    with open_warehouse(home / "warehouse.duckdb") as con:
        flows = con.execute(
            "select period_index, cast(net_cash_flow_amount as double) from int_benefits__project_cash_flows "
            "where project_id = 'P001'"
        ).fetchall()
        before = con.execute(
            "select npv_amount, reporting_currency from mart_value_scorecard where project_id = 'P001'"
        )
        npv_before, currency_before = before.fetchone()
    assert currency_before == "EUR"
    assert abs(float(npv_before) - npv(flows, 0.08)) < 0.01  # the demo build: 8 %

    for name in ("VRO_INGEST_CONFIG",):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VRO_HOME", str(home))
    monkeypatch.setenv("VRO_LANDING", str(demo_run.landing))
    monkeypatch.setenv("VRO_CONFIG", str(config))
    from orchestration.definitions import JOB_NAME, build_definitions
    from orchestration.run_report import build_run_report, write_run_report
    from orchestration.settings import VroPaths

    job = build_definitions().resolve_job_def(JOB_NAME)
    instance = dg.DagsterInstance.ephemeral()
    models = ("int_fx__daily_rates", "int_benefits__project_investment_case", "mart_value_scorecard")
    result = job.execute_in_process(
        instance=instance, raise_on_error=False, asset_selection=[dg.AssetKey(m) for m in models]
    )
    assert result.success
    paths = VroPaths.from_env()
    write_run_report(build_run_report(instance, result.run_id, paths), paths)

    gbp = _ecb_gbp_per_eur(demo_run.landing)
    latest = max(gbp)
    with open_warehouse(home / "warehouse.duckdb") as con:
        npv_after, currency_after = con.execute(
            "select npv_amount, reporting_currency from mart_value_scorecard where project_id = 'P001'"
        ).fetchone()
        eur = dict(
            con.execute(
                "select rate_on, rate_to_reporting from int_fx__daily_rates "
                "where currency = 'EUR' and rate_on in (?, ?)",
                [latest, latest + dt.timedelta(days=30)],
            ).fetchall()
        )
    assert currency_after == "GBP"
    assert abs(float(npv_after) - npv(flows, 0.035)) < 0.01
    assert abs(npv(flows, 0.035) - npv(flows, 0.08)) > 1000  # the change is real, not rounding
    # 1 EUR in GBP: the ECB's rate of the day; after the last published rate, that rate carries forward.
    assert eur == {latest: gbp[latest], latest + dt.timedelta(days=30): gbp[latest]}

    report = json.loads((home / "reports" / "last_run.json").read_text())
    recorded = {r["setting"]: (r["value"], r["source"]) for r in report["settings"]["values"]}
    assert report["settings"]["file"] == str(config)
    assert recorded["reporting_currency"] == ("GBP", f"{config} (VRO_CONFIG)")
    assert recorded["discount_rate"] == (0.035, f"{config} (VRO_CONFIG)")
    assert recorded["fiscal_year_start_month"] == (1, "default")
