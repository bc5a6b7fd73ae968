"""The efficient frontier: the best total marginal NPV at evenly spaced budget caps, from what the
mandatory projects need to what every active project needs. A dbt Python model for the reason
int_portfolio__scenario_selections is one; the optimisation is dbt_project/lib/portfolio_optimizer.py.
"""

import pandas as pd
from portfolio_optimizer import candidates_from_rows, frontier

COLUMNS = [
    "level",
    "budget_cap_amount",
    "solver_status",
    "selected_project_count",
    "selected_cost_amount",
    "selected_npv_amount",
    "selected_project_ids",
]


def _records(relation) -> list[dict]:
    """Rows of a dbt.ref(): a DuckDB relation (.df()) or a Spark DataFrame (.toPandas())."""
    frame = relation.df() if hasattr(relation, "df") else relation.toPandas()
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def model(dbt, session):
    dbt.config(materialized="table")
    levels = int(dbt.config.get("frontier_levels"))
    weighted = str(dbt.config.get("alignment_weighted")).strip().lower() == "true"
    candidates = candidates_from_rows(_records(dbt.ref("mart_value_optimization")))
    rows = [
        [
            p.level,
            p.budget_cap_cents / 100,
            p.status,
            len(p.selected),
            p.total_cost_cents / 100,
            round(p.total_value, 2),
            ";".join(sorted(p.selected)),
        ]
        for p in frontier(candidates, levels, weighted)
    ]
    return pd.DataFrame(rows, columns=COLUMNS)
