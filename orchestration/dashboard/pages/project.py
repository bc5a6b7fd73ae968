"""Project page: earned value S-curves with SPI/CPI, actual cost split GL vs internal labour,
baseline changes, budget vs actual by fiscal year, delivery flow, sprint velocity and benefits."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from orchestration.dashboard import data, layout

# The S-curves: PV and AC to each month end; EV as of each month's status date (it exists only there).
CURVES = {
    "pv_month_end_amount": "PV (planned value)",
    "ev_amount": "EV (earned value)",
    "ac_month_end_amount": "AC (actual cost)",
}


# Actual cost in its two parts, cumulative to each month end (mart_project_evm).
COST_PARTS = {
    "ac_gl_month_end_amount": "GL (posted)",
    "ac_labour_month_end_amount": "Internal labour (worklogs x rate card)",
}


def labour_in_ac(evm: pd.DataFrame) -> bool | None:
    """Whether the marts count labour in AC (dbt var labour_cost_in_ac), read from the figures: AC
    equals GL + labour when it does, GL alone when it does not. None without any labour."""
    last = evm.dropna(subset=["ac_month_end_amount"]).tail(1)
    if last.empty or not float(last["ac_labour_month_end_amount"].iloc[0] or 0):
        return None
    row = last.iloc[0]
    total = float(row["ac_gl_month_end_amount"]) + float(row["ac_labour_month_end_amount"])
    return abs(float(row["ac_month_end_amount"]) - total) < 0.05


def cost_split(evm: pd.DataFrame, currency: str) -> alt.Chart:
    """Stacked bars: AC to each month end from the GL and from internal labour."""
    long = evm.melt(
        id_vars=["month_end_on"], value_vars=list(COST_PARTS), var_name="part", value_name="amount"
    ).dropna(subset=["amount"])
    long["part"] = long["part"].map(COST_PARTS)
    return (
        alt.Chart(long, title=f"Actual cost by source, cumulative ({currency})")
        .mark_bar()
        .encode(
            x=alt.X("month_end_on:T", title="Month end"),
            y=alt.Y("amount:Q", title=currency, stack="zero"),
            color=alt.Color("part:N", title=None, scale=layout.colours(list(COST_PARTS.values()))),
            tooltip=[
                "part:N",
                alt.Tooltip("month_end_on:T", title="Month end"),
                alt.Tooltip("amount:Q", format=",.0f"),
            ],
        )
    )


def _cost_split_section(evm: pd.DataFrame, currency: str) -> None:
    last = evm.iloc[-1]
    counted = labour_in_ac(evm)
    cols = st.columns(3)
    cols[0].metric("AC from the GL", layout.number(last["ac_gl_amount"]))
    cols[1].metric("AC from internal labour", layout.number(last["ac_labour_amount"]))
    share = (
        None
        if layout.is_missing(last["ac_amount"]) or not float(last["ac_amount"])
        else float(last["ac_labour_amount"]) / float(last["ac_amount"])
    )
    shown = layout.MISSING if counted is False else layout.number(share, "{:.0%}")
    cols[2].metric("Labour share of AC", shown)
    st.altair_chart(cost_split(evm, currency), width="stretch")
    if counted is None:
        note = "no internal labour is mapped to this project: AC is the GL alone"
    elif counted:
        note = "AC = GL + internal labour (worklogs x rate card, at work-date rates)"
    else:
        note = "labour is shown beside AC, not in it (labour_cost_in_ac is false: the GL already carries it)"
    layout.as_of(last["month_end_on"], currency, note)


BASELINE_COLUMNS = {
    "status_on": "Status date",
    "baseline_number": "Baseline",
    "bac_project_amount": "BAC",
    "original_bac_project_amount": "Original BAC",
    "bac_change_vs_original_project_amount": "BAC change vs original",
    "bac_change_vs_previous_project_amount": "BAC change vs previous",
    "baseline_finish_on": "Baseline finish",
    "original_baseline_finish_on": "Original finish",
    "finish_slip_vs_original_days": "Slip vs original (days)",
    "finish_slip_vs_previous_days": "Slip vs previous (days)",
    "is_rebaselined": "Re-baselined",
}


def rebaselines(changes: pd.DataFrame) -> pd.DataFrame:
    """mart_project_rebaselines labelled for the S-curve's markers: the BAC change (project currency)
    and the finish slip against what the baseline replaced (the original or the previous snapshot).
    Returns status_on, baseline_number, change."""
    rows = []
    for _, row in changes.iterrows():
        bac, slip = row["bac_change_project_amount"], row["finish_slip_days"]
        parts = []
        if not layout.is_missing(bac) and round(float(bac), 2):
            parts.append(f"BAC {float(bac):+,.2f}")
        if not layout.is_missing(slip) and int(slip):
            parts.append(f"finish {int(slip):+d} days")
        label = f"baseline {layout.text(row['baseline_number'])} vs {row['compared_with']}"
        rows.append(
            (row["status_on"], row["baseline_number"], label + (": " + "; ".join(parts) if parts else ""))
        )
    return pd.DataFrame(rows, columns=["status_on", "baseline_number", "change"])


def _baseline_table(baselines: pd.DataFrame, changes: pd.DataFrame) -> None:
    if baselines.empty:
        st.caption("Baseline changes: no schedule snapshot with a baseline (mart_project_baseline_changes).")
        return
    currency = layout.currency_of(baselines, "project_currency")
    if changes.empty:
        st.caption("Baseline changes: none; the baseline in force is the original at every status date.")
    else:
        st.caption("Baseline changes (dashed purple lines on the S-curve):")
    table = baselines[list(BASELINE_COLUMNS)].rename(columns=BASELINE_COLUMNS)
    money = ["BAC", "Original BAC", "BAC change vs original", "BAC change vs previous"]
    formats = {c: "{:,.0f}" for c in money} | {c: "{:+,.0f}" for c in money[2:]}
    formats |= {"Slip vs original (days)": "{:+,.0f}", "Slip vs previous (days)": "{:+,.0f}"}
    layout.table(table, "baseline_changes", formats)
    layout.as_of(
        baselines["status_on"].max(), currency, "BAC in the project's currency, per schedule status date"
    )


BUDGET_COLUMNS = {
    "fiscal_year": "Fiscal year",
    **layout.BUDGET_AMOUNT_COLUMNS,
}


def _budget_section(project_id: str) -> None:
    st.subheader("Budget vs actual by fiscal year")
    rows = data.query(
        "select * from mart_budget_vs_actual where project_id = ? order by fiscal_year", (project_id,)
    )
    if rows.empty:
        layout.empty("budget vs actual", f"mart_budget_vs_actual has no fiscal year for {project_id}.")
        return
    table = rows[list(BUDGET_COLUMNS)].rename(columns=BUDGET_COLUMNS)
    layout.table(table, "project_budget", {c: "{:,.0f}" for c in list(BUDGET_COLUMNS.values())[1:]})
    layout.as_of(
        layout.month_end(rows["as_of_month_on"].max()),
        layout.currency_of(rows),
        "actuals: GL split into capex, opex and unclassified by each line's expense type, "
        "plus internal labour; EAC allocated per year",
    )


VELOCITY_COLUMNS = {
    "sprint_name": "Sprint",
    "sprint_state": "State",
    "committed_points": "Committed points",
    "completed_points": "Completed points",
    "carried_over_points": "Carried over points",
    "completion_ratio": "Completion",
}


def _velocity_section(project_id: str) -> None:
    st.subheader("Sprint velocity")
    sprints = data.query(
        "select * from mart_sprint_velocity where project_id = ? order by sprint_start_at, sprint_id",
        (project_id,),
    )
    if sprints.empty:
        layout.empty("sprint velocity", f"mart_sprint_velocity has no sprint for {project_id}.")
        return
    closed = sprints[sprints["sprint_state"] == "closed"]
    recent = closed.tail(3)["completed_points"].dropna()
    st.metric(
        "Velocity, mean of the last 3 closed sprints (points)",
        layout.MISSING if recent.empty else f"{recent.mean():.1f}",
    )
    long = sprints.melt(
        id_vars=["sprint_name", "sprint_start_at"],
        value_vars=["committed_points", "completed_points"],
        var_name="measure",
        value_name="points",
    ).dropna(subset=["points"])
    long["measure"] = long["measure"].map({"committed_points": "Committed", "completed_points": "Completed"})
    chart = (
        alt.Chart(long, title="Story points committed and completed per sprint")
        .mark_bar()
        .encode(
            x=alt.X("sprint_name:N", title="Sprint", sort=list(sprints["sprint_name"])),
            xOffset="measure:N",
            y=alt.Y("points:Q", title="Story points"),
            color=alt.Color("measure:N", title=None, scale=layout.colours(["Committed", "Completed"])),
        )
    )
    st.altair_chart(chart, width="stretch")
    table = sprints[list(VELOCITY_COLUMNS)].rename(columns=VELOCITY_COLUMNS)
    layout.table(
        table,
        "sprint_velocity",
        {"Completion": "{:.0%}"} | {c: "{:g}" for c in list(VELOCITY_COLUMNS.values())[2:5]},
    )
    last_end = closed["sprint_end_at"].max() if not closed.empty else None
    layout.as_of(last_end, None, f"{len(closed)} closed sprints; points from Jira story points")


def s_curve(evm: pd.DataFrame, changes: pd.DataFrame, currency: str) -> alt.LayerChart:
    long = evm.melt(
        id_vars=["month_end_on"], value_vars=list(CURVES), var_name="measure", value_name="amount"
    )
    long["measure"] = long["measure"].map(CURVES)
    lines = (
        alt.Chart(long.dropna(subset=["amount"]), title=f"Earned value S-curves, cumulative ({currency})")
        .mark_line(point=True)
        .encode(
            x=alt.X("month_end_on:T", title="Month end"),
            y=alt.Y("amount:Q", title=currency),
            color=alt.Color("measure:N", title=None, scale=layout.colours(list(CURVES.values()))),
            tooltip=[
                "measure:N",
                alt.Tooltip("month_end_on:T", title="Month end"),
                alt.Tooltip("amount:Q", format=",.0f"),
            ],
        )
    )
    if changes.empty:
        return alt.layer(lines)
    rules = (
        alt.Chart(changes)
        .mark_rule(color="#6a1b9a", strokeDash=[6, 3], size=2)
        .encode(x="status_on:T", tooltip=[alt.Tooltip("status_on:T", title="Re-baselined"), "change:N"])
    )
    return alt.layer(lines, rules)


def _evm_section(project_id: str) -> None:
    evm = data.query(
        "select * from mart_project_evm where project_id = ? order by month_start_on", (project_id,)
    )
    if evm.empty:
        layout.empty(
            "earned value", f"mart_project_evm has no months for {project_id} (no schedule or GL postings)."
        )
        return
    currency = layout.currency_of(evm) or layout.MISSING
    last = evm.iloc[-1]
    cols = st.columns(6)
    for col, label, value, fmt in [
        (cols[0], "BAC", last["bac_amount"], "{:,.0f}"),
        (cols[1], "EV", last["ev_amount"], "{:,.0f}"),
        (cols[2], "AC", last["ac_amount"], "{:,.0f}"),
        (cols[3], "EAC (BAC/CPI)", last["eac_cpi_amount"], "{:,.0f}"),
        (cols[4], "CPI", last["cpi"], "{:.2f}"),
        (cols[5], "SPI", last["spi"], "{:.2f}"),
    ]:
        col.metric(label, layout.number(value, fmt))
    status = (
        "no schedule status yet"
        if pd.isna(last["status_on"])
        else f"EV at status date {last['status_on'].date()}"
    )
    layout.as_of(last["month_end_on"], currency, status)
    baselines = data.query(
        "select * from mart_project_baseline_changes where project_id = ? order by status_on",
        (project_id,),
    )
    changes = rebaselines(
        data.query(
            "select * from mart_project_rebaselines where project_id = ? order by status_on", (project_id,)
        )
    )
    st.altair_chart(s_curve(evm, changes, currency), width="stretch")
    layout.as_of(
        last["month_end_on"], currency, "PV and AC cumulative to each month end; EV at its status date"
    )
    _cost_split_section(evm, currency)
    _baseline_table(baselines, changes)
    st.altair_chart(layout.index_trend(evm, "SPI and CPI by month"), width="stretch")
    layout.as_of(last["month_end_on"], None, "SPI = EV / PV, CPI = EV / AC, all three at the status date")


def _flow_section(project_id: str) -> None:
    st.subheader("Delivery flow")
    flow = data.query(
        "select * from mart_delivery_flow where project_id = ? order by week_start_on", (project_id,)
    )
    if flow.empty:
        layout.empty(
            "delivery flow", f"no Jira issues are mapped to {project_id} (mart_delivery_flow has no weeks)."
        )
        return
    done = int(flow["throughput_items"].sum())
    cols = st.columns(3)
    cols[0].metric("Issues done", f"{done}")
    cols[1].metric("WIP at last week end", f"{int(flow['wip_items'].iloc[-1])}")
    cycle = flow["cycle_time_days_p50"].dropna()
    cols[2].metric(
        "Cycle time p50, last week with done issues",
        layout.MISSING if cycle.empty else f"{cycle.iloc[-1]:.1f} d",
    )
    throughput = (
        alt.Chart(flow, title="Throughput per week (issues done)")
        .mark_bar()
        .encode(
            x=alt.X("week_start_on:T", title="Week (Monday)"),
            y=alt.Y("throughput_items:Q", title="Issues done"),
        )
    )
    st.altair_chart(throughput, width="stretch")
    cycle_long = flow.melt(
        id_vars=["week_start_on"],
        value_vars=["cycle_time_days_p50", "cycle_time_days_p85"],
        var_name="percentile",
        value_name="days",
    ).dropna(subset=["days"])
    cycle_long["percentile"] = cycle_long["percentile"].map(
        {"cycle_time_days_p50": "p50", "cycle_time_days_p85": "p85"}
    )
    if cycle_long.empty:
        st.caption("Cycle time: no issue of this project reached done with a changelog yet.")
    else:
        chart = (
            alt.Chart(cycle_long, title="Cycle time of the week's done issues (days)")
            .mark_line(point=True)
            .encode(
                x=alt.X("week_start_on:T", title="Week (Monday)"),
                y=alt.Y("days:Q", title="Days"),
                color=alt.Color("percentile:N", title=None, scale=layout.colours(["p50", "p85"])),
            )
        )
        st.altair_chart(chart, width="stretch")
    layout.as_of(flow["week_end_on"].max(), None, "weeks from the first created issue to the latest update")


def _benefits_section(project_id: str) -> None:
    st.subheader("Benefits")
    benefits = data.query(
        """
        select r.benefit_id, r.benefit_name, r.benefit_owner, b.share, r.unit, r.realization_ratio, r.rag,
               r.cumulative_planned_value_reporting_amount * b.share as planned_to_date,
               r.cumulative_realized_value_reporting_amount * b.share as realized_to_date,
               r.month_start_on, r.reporting_currency
        from bridge_benefit_project b
        join mart_benefits_realization r on r.benefit_id = b.benefit_id
        where b.project_id = ?
          and r.month_start_on = (select max(month_start_on) from mart_benefits_realization)
        order by r.benefit_id
        """,
        (project_id,),
    )
    if benefits.empty:
        layout.empty("benefits", f"no benefit is attributed to {project_id} in bridge_benefit_project.")
        return
    currency = layout.currency_of(benefits) or layout.MISSING
    table = benefits.drop(columns=["month_start_on", "reporting_currency"]).rename(
        columns={
            "planned_to_date": f"Planned to date ({currency}, x share)",
            "realized_to_date": f"Realized to date ({currency}, x share)",
        }
        | layout.READABLE
    )
    formats = {"Share": "{:.0%}", "Realization": "{:.0%}"}
    formats |= {c: "{:,.0f}" for c in table.columns if "to date" in c}
    layout.table(table, "project_benefits", formats, ["RAG"])
    layout.as_of(layout.month_end(benefits["month_start_on"].max()), currency, "realization % in KPI units")


def render() -> None:
    st.title("Project")
    projects = data.query("select project_id, project_name from dim_project order by project_id")
    if projects.empty:
        layout.empty("projects", "dim_project has no rows (no registry export was published).")
        return
    names = dict(zip(projects["project_id"], projects["project_name"], strict=True))
    project_id = st.selectbox(
        "Project", list(names), format_func=lambda p: f"{p} · {layout.text(names[p])}", key="project_id"
    )
    _evm_section(project_id)
    _budget_section(project_id)
    _flow_section(project_id)
    _velocity_section(project_id)
    _benefits_section(project_id)


if __name__ == "__main__":  # run by st.navigation (app.py) as its page script
    layout.guarded(render)
