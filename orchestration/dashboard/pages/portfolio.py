"""Portfolio page: the value scorecard (sortable, RAG colours), value vs cost per project, the
portfolio's SPI/CPI trend and budget vs actual vs EAC for the current fiscal year."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from orchestration.dashboard import data, layout

SCORECARD_COLUMNS = {
    "value_rank": "Rank",
    "project_id": "Project",
    "project_name": "Name",
    "portfolio": "Portfolio",
    "programme": "Programme",
    "status": "Status",
    "cost_to_date_amount": "Cost to date",
    "bac_amount": "BAC",
    "eac_amount": "EAC",
    "benefits_realized_to_date_amount": "Benefits realized",
    "benefits_forecast_amount": "Benefits forecast",
    "npv_amount": "NPV (whole life)",
    "roi": "ROI",
    "bcr": "BCR",
    "payback_months": "Payback (months)",
    "npv_to_date_amount": "NPV to date",
    "alignment_score": "Alignment",
    "value_per_cost_ratio": "Value / cost",
    "cpi": "CPI",
    "spi": "SPI",
    "benefit_realization_ratio": "Realization",
    "cost_rag": "Cost RAG",
    "schedule_rag": "Schedule RAG",
    "benefit_rag": "Benefit RAG",
}
MONEY = "{:,.0f}"
RATIO = "{:.2f}"
BUDGET_COLUMNS = {
    "project_id": "Project",
    "project_name": "Name",
    **layout.BUDGET_AMOUNT_COLUMNS,
}


def aligned_objectives() -> pd.DataFrame:
    """project_id, objective label of the objectives each project serves on the as-of date
    (mart_alignment_current)."""
    return data.query(
        """
        select project_id, objective_id || ' · ' || coalesce(objective_name, '') as objective
        from mart_alignment_current
        """
    )


def filter_scorecard(card: pd.DataFrame, aligned: pd.DataFrame) -> pd.DataFrame:
    cols = st.columns(4)
    chosen: dict[str, list] = {}
    for col, (field, label) in zip(
        cols[:3], [("portfolio", "Portfolio"), ("programme", "Programme"), ("status", "Status")], strict=True
    ):
        options = sorted(card[field].dropna().unique().tolist())
        chosen[field] = col.multiselect(label, options, key=f"portfolio_{field}")
    objectives = sorted(aligned["objective"].dropna().unique().tolist())
    chosen_objectives = cols[3].multiselect("Objective", objectives, key="portfolio_objective")
    keep = pd.Series(True, index=card.index)
    for field, values in chosen.items():
        if values:
            keep &= card[field].isin(values)
    if chosen_objectives:
        served = set(aligned.loc[aligned["objective"].isin(chosen_objectives), "project_id"])
        keep &= card["project_id"].isin(served)
    return card[keep]


def bubble_chart(card: pd.DataFrame, currency: str) -> alt.Chart:
    plot = card.assign(
        alignment=card["alignment_score"].fillna(0.0),
        cost=card["eac_amount"].fillna(card["cost_to_date_amount"]),
    )
    return (
        alt.Chart(plot, title=f"Forecast value vs expected cost ({currency})")
        .mark_circle(opacity=0.7, stroke="black", strokeWidth=0.5)
        .encode(
            x=alt.X("cost:Q", title=f"Expected cost: EAC ({currency})"),
            y=alt.Y("benefits_forecast_amount:Q", title=f"Forecast benefits ({currency})"),
            size=alt.Size(
                "alignment:Q", title="Alignment score", scale=alt.Scale(domain=[0, 1], range=[30, 900])
            ),
            color=alt.Color(
                "portfolio:N",
                title="Portfolio",
                scale=layout.colours(sorted(plot["portfolio"].dropna().unique())),
            ),
            tooltip=[
                alt.Tooltip("project_id:N", title="Project"),
                alt.Tooltip("project_name:N", title="Name"),
                alt.Tooltip("cost:Q", title="EAC", format=",.0f"),
                alt.Tooltip("benefits_forecast_amount:Q", title="Forecast benefits", format=",.0f"),
                alt.Tooltip("alignment:Q", title="Alignment", format=".2f"),
                alt.Tooltip("value_rank:Q", title="Value rank"),
            ],
        )
    )


def render() -> None:
    st.title("Portfolio")
    card = data.query("select * from mart_value_scorecard order by value_rank, project_id")
    if card.empty:
        layout.empty("scorecard", "mart_value_scorecard has no rows (no registry projects were published).")
        return
    as_of_month = card["as_of_month_on"].max()
    as_of_on = layout.month_end(as_of_month)
    currency = layout.currency_of(card) or layout.MISSING
    card = filter_scorecard(card, aligned_objectives())
    if card.empty:
        st.info("No project matches the filters.")
        return
    st.subheader("Value scorecard")
    table = card[list(SCORECARD_COLUMNS)].rename(columns=SCORECARD_COLUMNS).reset_index(drop=True)
    money = ["Cost to date", "BAC", "EAC", "Benefits realized", "Benefits forecast"]
    money += ["NPV (whole life)", "NPV to date"]
    formats = {c: MONEY for c in money} | {c: RATIO for c in ["ROI", "BCR", "Value / cost", "CPI", "SPI"]}
    formats |= {"Alignment": RATIO, "Realization": "{:.0%}", "Payback (months)": "{:.0f}"}
    layout.table(table, "scorecard", formats, ["Cost RAG", "Schedule RAG", "Benefit RAG"])
    layout.as_of(
        as_of_on, currency, f"{len(table)} projects, ranked on whole-life NPV; click a column header to sort"
    )
    st.subheader("Value vs cost")
    st.altair_chart(bubble_chart(card, currency), width="stretch")
    layout.as_of(as_of_on, currency, "bubble size = alignment score (sum of objective weights, 0 to 1)")
    _budget_section(set(card["project_id"]))
    _evm_trend_section()


def _evm_trend_section() -> None:
    st.subheader("Portfolio earned value trend")
    evm = data.query("select * from mart_portfolio_evm order by month_start_on")
    if evm.empty:
        layout.empty("portfolio earned value", "mart_portfolio_evm has no months.")
        return
    last = evm.iloc[-1]
    cols = st.columns(4)
    for col, label, value, fmt in [
        (cols[0], "Portfolio SPI", last["spi"], RATIO),
        (cols[1], "Portfolio CPI", last["cpi"], RATIO),
        (cols[2], "Portfolio EV", last["ev_amount"], MONEY),
        (cols[3], "Portfolio EAC", last["eac_amount"], MONEY),
    ]:
        col.metric(label, layout.number(value, fmt))
    st.altair_chart(layout.index_trend(evm, "Portfolio SPI and CPI by month"), width="stretch")
    layout.as_of(
        last["month_end_on"],
        layout.currency_of(evm),
        "SPI = sum EV / sum PV, CPI = sum EV / sum AC over all projects at their own status dates "
        "(the filters above do not apply)",
    )


def _budget_section(project_ids: set[str]) -> None:
    """The current fiscal year's budget vs actual vs EAC of the projects the filters keep."""
    rows = data.query(
        """
        select b.*, p.project_name
        from mart_budget_vs_actual b
        left join dim_project p on p.project_id = b.project_id
        where b.as_of_month_on between b.fiscal_year_start_on and b.fiscal_year_end_on
        order by b.project_id
        """
    )
    st.subheader("Budget vs actual vs EAC, current fiscal year")
    if rows.empty:
        layout.empty("budget vs actual", "mart_budget_vs_actual has no row for the current fiscal year.")
        return
    year = layout.text(rows["fiscal_year"].iloc[0])
    as_of_on, currency = layout.month_end(rows["as_of_month_on"].max()), layout.currency_of(rows)
    rows = rows[rows["project_id"].isin(project_ids)]
    if rows.empty:
        st.info(f"No project the filters keep has a budget or actual in fiscal year {year}.")
        return
    cols = st.columns(4)
    for col, label, column in [
        (cols[0], f"Budget {year}", "budget_amount"),
        (cols[1], f"Actual {year} to date", "actual_amount"),
        (cols[2], f"EAC {year}", "eac_amount"),
        (cols[3], f"Variance at completion {year}", "variance_at_completion_amount"),
    ]:
        values = rows[column].dropna()
        col.metric(label, layout.MISSING if values.empty else MONEY.format(float(values.sum())))
    table = rows[list(BUDGET_COLUMNS)].rename(columns=BUDGET_COLUMNS)
    layout.table(table, "budget_vs_actual", {c: MONEY for c in list(BUDGET_COLUMNS.values())[2:]})
    layout.as_of(
        as_of_on,
        currency,
        f"fiscal year {year}, actuals to the as-of month; EAC allocated to the year; {len(table)} projects",
    )


if __name__ == "__main__":  # run by st.navigation (app.py) as its page script
    layout.guarded(render)
