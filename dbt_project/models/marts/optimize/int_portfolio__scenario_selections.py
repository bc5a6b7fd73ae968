"""Per portfolio scenario and active project: in the best selection within the budget cap, or not.

A dbt Python model so that it runs inside the one `dbt build` of a run, after mart_value_optimization
and before the marts and checks that read it (README, "Value optimization", says why not a Dagster
asset). The optimisation is plain Python in dbt_project/lib/portfolio_optimizer.py (on sys.path
through the profile's module_paths), tested by tests/unit/test_portfolio_optimizer.py.
"""

import pandas as pd
from portfolio_optimizer import SOLVER, Scenario, candidates_from_rows, choose, split_ids

COLUMNS = [
    "scenario",
    "project_id",
    "is_selected",
    "selection_reason",
    "solver",
    "solver_status",
    "scenario_message",
]


def _records(relation) -> list[dict]:
    """Rows of a dbt.ref(): a DuckDB relation (.df()) or a Spark DataFrame (.toPandas())."""
    frame = relation.df() if hasattr(relation, "df") else relation.toPandas()
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def model(dbt, session):
    dbt.config(materialized="table")
    currency = dbt.config.get("reporting_currency")
    candidates = candidates_from_rows(_records(dbt.ref("mart_value_optimization")))
    rows = []
    for s in _records(dbt.ref("int_portfolio__scenarios")):
        scenario = Scenario(
            name=s["scenario"],
            budget_cap_cents=round(float(s["budget_cap_amount"]) * 100),
            alignment_weighted=bool(s["is_alignment_weighted"]),
            forced_in=split_ids(s["forced_in_project_ids"]),
            forced_out=split_ids(s["forced_out_project_ids"]),
        )
        best = choose(candidates, scenario, currency)
        for c in candidates:
            rows.append(
                [
                    scenario.name,
                    c.project_id,
                    c.project_id in best.selected,
                    best.reasons[c.project_id],
                    SOLVER,
                    best.status,
                    best.message,
                ]
            )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    # typed even when empty (no scenario yet), so the table's columns are never of type NULL
    text = {c: "string" for c in COLUMNS if c != "is_selected"}
    return frame.astype({**text, "is_selected": "bool"})
