"""Benefits page: planned vs actual cumulative curves, realization %, after-close months, stale KPIs."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from orchestration.dashboard import data, layout


def benefit_curve(rows: pd.DataFrame, unit: str) -> alt.LayerChart:
    long = rows.melt(
        id_vars=["month_start_on"],
        value_vars=["cumulative_planned_value", "cumulative_actual_value"],
        var_name="series",
        value_name="value",
    )
    long["series"] = long["series"].map(
        {"cumulative_planned_value": "Planned (cumulative)", "cumulative_actual_value": "Actual (cumulative)"}
    )
    lines = (
        alt.Chart(long.dropna(subset=["value"]), title=f"Planned vs actual improvement, cumulative ({unit})")
        .mark_line(point=True)
        .encode(
            x=alt.X("month_start_on:T", title="Month"),
            y=alt.Y("value:Q", title=f"Improvement ({unit})"),
            color=alt.Color(
                "series:N",
                title=None,
                scale=layout.colours(
                    ["Planned (cumulative)", "Actual (cumulative)"], {"Actual (cumulative)": "#54a24b"}
                ),
            ),
            tooltip=[
                "series:N",
                alt.Tooltip("month_start_on:T", title="Month"),
                alt.Tooltip("value:Q", format=",.2f"),
            ],
        )
    )
    after = rows.loc[
        rows["is_after_project_close"].fillna(False).astype(bool), ["month_start_on", "month_end_on"]
    ]
    if after.empty:
        return alt.layer(lines)
    shade = (
        alt.Chart(after.assign(label="after project close"))
        .mark_rect(color="#9e9e9e", opacity=0.2)
        .encode(x="month_start_on:T", x2="month_end_on:T", tooltip=["label:N"])
    )
    return alt.layer(shade, lines)


def stale_kpis() -> pd.DataFrame:
    """One row per benefit KPI with months where a reading was due and none arrived (mart_stale_kpis)."""
    return data.query(
        """
        select kpi_id, benefit_id, benefit_name, benefit_owner, stale_month_count as stale_months,
               stale_months as months
        from mart_stale_kpis
        order by kpi_id, benefit_id, benefit_name, benefit_owner
        """
    )


def render() -> None:
    st.title("Benefits")
    months = data.query("select * from mart_benefits_realization order by benefit_id, month_start_on")
    if months.empty:
        layout.empty(
            "benefits", "mart_benefits_realization has no rows (no benefits register or plan was published)."
        )
        return
    last_month = months["month_start_on"].max()
    as_of_on = layout.month_end(last_month)
    currency = layout.currency_of(months) or layout.MISSING
    latest = months[months["month_start_on"] == last_month]
    st.subheader("Realization by benefit")
    table = latest[
        [
            "benefit_id",
            "benefit_name",
            "benefit_owner",
            "category",
            "unit",
            "realization_ratio",
            "rag",
            "cumulative_planned_value_reporting_amount",
            "cumulative_realized_value_reporting_amount",
            "is_after_project_close",
            "is_stale",
        ]
    ].rename(
        columns={
            "cumulative_planned_value_reporting_amount": f"Planned to date ({currency})",
            "cumulative_realized_value_reporting_amount": f"Realized to date ({currency})",
            "is_after_project_close": "After close",
            "is_stale": "Reading missing",
        }
        | layout.READABLE
    )
    formats = {
        "Realization": "{:.0%}",
        f"Planned to date ({currency})": "{:,.0f}",
        f"Realized to date ({currency})": "{:,.0f}",
    }
    layout.table(table, "benefit_table", formats, ["RAG"])
    layout.as_of(as_of_on, currency, "realization % = cumulative actual / cumulative planned improvement")

    st.subheader("Planned vs actual")
    names = dict(zip(latest["benefit_id"], latest["benefit_name"], strict=True))
    benefit_id = st.selectbox(
        "Benefit", list(names), format_func=lambda b: f"{b} · {layout.text(names[b])}", key="benefit_id"
    )
    rows = months[months["benefit_id"] == benefit_id]
    last = rows.iloc[-1]
    cols = st.columns(3)
    pct = last["realization_ratio"]
    cols[0].metric("Realization", layout.number(pct, "{:.0%}"))
    cols[1].metric("RAG", layout.text(last["rag"]))
    cols[2].metric("Owner", layout.text(last["benefit_owner"]))
    unit = layout.text(last["unit"])
    st.altair_chart(benefit_curve(rows, unit), width="stretch")
    note = "grey band: months after every attributed project closed"
    realized = last["cumulative_realized_value_reporting_amount"]
    planned = last["cumulative_planned_value_reporting_amount"]
    money = f"{layout.number(realized)} {currency} realized, {layout.number(planned)} {currency} planned"
    last_on = layout.month_end(last["month_start_on"])
    layout.as_of(last_on, None, f"KPI {layout.text(last['kpi_id'])} in {unit}; {note}")
    if bool(last["is_monetised"]):
        st.caption(f"Money to date (as of {layout.day(last_on)}): {money}.")
    if rows["planned_value"].isna().all():
        st.caption(f"{benefit_id} has no benefit plan rows: realization % and RAG need a plan.")

    st.subheader("Stale KPIs")
    stale = stale_kpis()
    if stale.empty:
        st.success("Every benefit KPI has its monthly reading.")
    else:
        layout.table(stale, "stale_kpis")
    layout.as_of(as_of_on, None, "a reading is due monthly from the first planned month or first reading")

    st.subheader("Value realized after close, by owner")
    owners = data.query(
        """
        select benefit_owner, benefit_count, benefits_after_close_count,
               cumulative_realized_value_reporting_amount,
               cumulative_realized_value_after_close_reporting_amount
        from mart_benefits_by_owner
        where month_start_on = (select max(month_start_on) from mart_benefits_by_owner)
        order by benefit_owner
        """
    )
    if owners.empty:
        st.info("No monetised benefit has an owner month yet (mart_benefits_by_owner has no rows).")
    else:
        realized, after_close = f"Realized to date ({currency})", f"Realized after close ({currency})"
        owners = owners.rename(
            columns={
                "benefit_owner": "Owner",
                "benefit_count": "Benefits",
                "benefits_after_close_count": "Past their projects' close",
                "cumulative_realized_value_reporting_amount": realized,
                "cumulative_realized_value_after_close_reporting_amount": after_close,
            }
        )
        layout.table(owners, "owner_table", {realized: "{:,.0f}", after_close: "{:,.0f}"})
    layout.as_of(
        as_of_on,
        currency,
        "monetised benefits, whole benefits (not project shares), owner in force at each month end; "
        "after close = every attributed project had closed",
    )


if __name__ == "__main__":  # run by st.navigation (app.py) as its page script
    layout.guarded(render)
