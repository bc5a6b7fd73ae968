"""Optimize page: continue / review / stop per active project with its reason, the portfolio
scenarios' selections, and the efficient frontier with the current portfolio marked."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from orchestration.dashboard import data, layout

RECOMMENDATION_ORDER = {"stop": 0, "review": 1, "continue": 2}
CURRENT_PORTFOLIO_COLOUR = "#c62828"  # red: the one point the frontier chart marks


def recommendation_table(projects: pd.DataFrame) -> pd.DataFrame:
    """The recommendation list: stops first, then reviews, then the rest; worst marginal NPV first."""
    shown = projects.assign(
        order=projects["recommendation"].map(RECOMMENDATION_ORDER),
        mandatory=projects["is_mandatory"].map({True: "yes", False: ""}),
    ).sort_values(["order", "marginal_npv_amount"])
    return shown[
        [
            "project_id",
            "project_name",
            "recommendation",
            "recommendation_reason",
            "mandatory",
            "marginal_npv_amount",
            "etc_amount",
            "horizon_cost_amount",
            "remaining_benefit_forecast_amount",
            "forecast_confidence",
            "alignment_score",
        ]
    ]


def frontier_chart(points: pd.DataFrame, currency: str, horizon: int) -> alt.LayerChart:
    """Total marginal NPV against the budget: the frontier as a line over its budget levels, the
    current portfolio (every active project) as a red point at what it spends."""
    points = points.assign(
        budget=points["budget_cap_amount"].where(
            points["point_kind"] == "frontier", points["horizon_cost_amount"]
        )
    )
    frontier = points[points["point_kind"] == "frontier"]
    current = points[points["point_kind"] == "current_portfolio"]
    tooltip = [
        alt.Tooltip("label:N", title="Point"),
        alt.Tooltip("budget_cap_amount:Q", title=f"Budget cap ({currency})", format=",.0f"),
        alt.Tooltip("horizon_cost_amount:Q", title=f"Spend ({currency})", format=",.0f"),
        alt.Tooltip("marginal_npv_amount:Q", title=f"Marginal NPV ({currency})", format=",.0f"),
        alt.Tooltip("project_count:Q", title="Projects"),
    ]
    x = alt.X(
        "budget:Q", title=f"Budget for the next {horizon} months ({currency})", axis=alt.Axis(format=",.0f")
    )
    y = alt.Y("marginal_npv_amount:Q", title=f"Total marginal NPV ({currency})", axis=alt.Axis(format=",.0f"))
    line = (
        alt.Chart(
            frontier.assign(label="level " + frontier["level"].astype("Int64").astype(str)),
            title="Efficient frontier: the best portfolio at each budget level",
        )
        .mark_line(point=True, interpolate="step-after")
        .encode(x=x, y=y, tooltip=tooltip)
    )
    marked = (
        alt.Chart(current.assign(label="current portfolio"))
        .mark_point(size=160, filled=True, color=CURRENT_PORTFOLIO_COLOUR, shape="diamond")
        .encode(x=x, y=y, tooltip=tooltip)
    )
    text = (
        alt.Chart(current.assign(label="current portfolio"))
        .mark_text(align="right", dx=-10, dy=-8)
        .encode(x=x, y=y, text="label:N")
    )
    return alt.layer(line, marked, text)


def render() -> None:
    st.title("Optimize")
    projects = data.query("select * from mart_value_optimization order by project_id")
    if projects.empty:
        layout.empty(
            "recommendations", "mart_value_optimization has no rows (no active project is published)."
        )
        return
    currency = layout.currency_of(projects) or layout.MISSING
    as_of_on = layout.month_end(projects["as_of_month_on"].max())
    horizon = int(projects["horizon_months"].max())
    counts = projects["recommendation"].value_counts()
    cols = st.columns(4)
    for col, what in zip(cols, ("continue", "review", "stop"), strict=False):
        col.metric(what.capitalize(), int(counts.get(what, 0)))
    cols[3].metric(
        f"Marginal NPV of the portfolio ({currency})", layout.number(projects["marginal_npv_amount"].sum())
    )
    layout.as_of(
        as_of_on,
        currency,
        "marginal NPV = benefits still to come at their forecast attainment - cost still to come (ETC), "
        "discounted to the as-of month; sunk cost left out",
    )

    st.subheader("Recommendations")
    layout.table(
        recommendation_table(projects),
        "optimize_recommendations",
        {
            "marginal_npv_amount": "{:,.0f}",
            "etc_amount": "{:,.0f}",
            "horizon_cost_amount": "{:,.0f}",
            "remaining_benefit_forecast_amount": "{:,.0f}",
            "alignment_score": "{:.2f}",
        },
        height=36 * (len(projects) + 1) + 3,  # every project, no inner scrolling
        column_config={
            "project_name": st.column_config.TextColumn(width="medium"),
            "recommendation_reason": st.column_config.TextColumn(width="large"),
        },
    )
    st.caption(
        f"Stop: marginal NPV below the threshold (mandatory projects are reviewed instead). Review: a thin "
        "margin, benefits behind plan, or CPI / SPI below their thresholds (settings optimize_* in "
        f"vro.yaml). Spend in the horizon: the next {horizon} months."
    )

    st.subheader("Efficient frontier")
    points = data.query("select * from mart_portfolio_frontier order by point_kind, level")
    if points.empty:
        layout.empty("frontier", "mart_portfolio_frontier has no rows.")
    else:
        st.altair_chart(frontier_chart(points, currency, horizon), width="stretch")
        current = points[points["point_kind"] == "current_portfolio"].iloc[0]
        top = points[points["point_kind"] == "frontier"]["marginal_npv_amount"].max()
        layout.as_of(
            as_of_on,
            currency,
            f"current portfolio: {layout.number(current['horizon_cost_amount'])} spend, "
            f"{layout.number(current['marginal_npv_amount'])} marginal NPV; the frontier's best: "
            f"{layout.number(top)}",
        )

    st.subheader("Portfolio scenarios")
    scenarios = data.query("select * from mart_portfolio_scenarios order by scenario, project_id")
    if scenarios.empty:
        layout.empty(
            "scenarios",
            "no portfolio_scenarios file in the registry landing folder, no optimize_budget_cap_amount set.",
        )
        return
    summary = scenarios.groupby("scenario", as_index=False, sort=True).agg(
        budget_cap_amount=("budget_cap_amount", "first"),
        solver_status=("solver_status", "first"),
        selected=("scenario_selected_project_count", "first"),
        spend=("scenario_selected_cost_amount", "first"),
        marginal_npv=("scenario_selected_npv_amount", "first"),
        message=("scenario_message", "first"),
    )
    layout.table(
        summary,
        "optimize_scenarios",
        {"budget_cap_amount": "{:,.0f}", "spend": "{:,.0f}", "marginal_npv": "{:,.0f}"},
    )
    chosen = st.selectbox("Scenario", summary["scenario"].tolist(), key="optimize_scenario")
    rows = scenarios[scenarios["scenario"] == chosen]
    layout.table(
        rows[
            [
                "project_id",
                "project_name",
                "is_selected",
                "selection_reason",
                "recommendation",
                "horizon_cost_amount",
                "marginal_npv_amount",
            ]
        ].sort_values(["is_selected", "project_id"], ascending=[False, True]),
        "optimize_scenario_rows",
        {"horizon_cost_amount": "{:,.0f}", "marginal_npv_amount": "{:,.0f}"},
    )
    layout.as_of(
        as_of_on, currency, f"budget caps limit the spend of the next {horizon} months; solved exactly"
    )


if __name__ == "__main__":  # run by st.navigation (app.py) as its page script
    layout.guarded(render)
