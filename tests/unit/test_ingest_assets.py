"""The Dagster ingest assets: one asset per raw table, a multi-asset (step) per landing source."""

import dagster as dg

from ingest.contract import RAW_TABLES
from orchestration.defs.ingest.assets import ingest_accounting, ingest_assets, ingest_only_selection


def test_every_raw_table_is_one_asset_of_exactly_one_step():
    steps = {
        a.node_def.name: sorted(k.to_user_string() for k in a.keys)
        for a in [*ingest_assets, ingest_accounting]
    }
    keys = [k for ks in steps.values() for k in ks]
    assert sorted(keys) == sorted(f"raw/{t}" for t in RAW_TABLES) and len(keys) == len(set(keys)) == 27
    assert steps["ingest_jira"] == [
        "raw/jira_issues",
        "raw/jira_sprint_membership",
        "raw/jira_status_changes",
    ]
    assert steps["ingest_worklogs"] == ["raw/worklogs"]
    assert steps["ingest_rates"] == ["raw/people", "raw/rate_card"]
    assert steps["ingest_finance"] == [
        "raw/budgets",
        "raw/fx_rates",
        "raw/gl_file_control_totals",
        "raw/gl_line_items",
    ]
    assert steps["ingest_accounting"] == ["raw/ingest_manifest", "raw/rejects"]
    assert set(ingest_only_selection()) == {dg.AssetKey(k.split("/")) for k in keys}


def test_worklogs_wait_for_the_jira_step_and_the_accounting_for_every_source():
    worklogs = next(a for a in ingest_assets if a.node_def.name == "ingest_worklogs")
    assert worklogs.asset_deps[dg.AssetKey(["raw", "worklogs"])] == {dg.AssetKey(["raw", "jira_issues"])}
    manifest = dg.AssetKey(["raw", "ingest_manifest"])
    assert len(ingest_accounting.asset_deps[manifest]) == 25  # every table of every source
    # Not materialized when nothing is new: dbt, the checks and publish are skipped.
    assert all(spec.skippable for spec in ingest_accounting.specs)
    assert not any(spec.skippable for a in ingest_assets for spec in a.specs)
