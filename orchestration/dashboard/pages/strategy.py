"""Strategy page: spend and realized benefit by objective over time, unaligned spend, alignment by day."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from orchestration.dashboard import data, layout

UNALIGNED = "Unaligned"


def spend_by_objective(months: pd.DataFrame) -> pd.DataFrame:
    """month_end_on, objective, spend: each objective's weighted spend plus the unaligned part."""
    aligned = months.assign(objective=months["objective_id"] + " · " + months["objective_name"].fillna(""))
    aligned = aligned[
        aligned.groupby("objective_id")["aligned_spend_amount"].transform(lambda s: s.abs().sum()) > 0
    ]
    parts = [
        aligned[["month_end_on", "objective", "aligned_spend_amount"]].rename(
            columns={"aligned_spend_amount": "spend"}
        )
    ]
    unaligned = months.groupby("month_end_on", as_index=False)["portfolio_unaligned_spend_amount"].first()
    parts.append(
        unaligned.rename(columns={"portfolio_unaligned_spend_amount": "spend"}).assign(objective=UNALIGNED)
    )
    return pd.concat(parts, ignore_index=True)


def spend_colours(objectives: pd.Series) -> alt.Scale:
    """The same colour for an objective on every chart; unaligned spend in grey."""
    domain = sorted(set(objectives) - {UNALIGNED})
    return layout.colours(
        domain + ([UNALIGNED] if UNALIGNED in set(objectives) else []), {UNALIGNED: "#9e9e9e"}
    )


def render() -> None:
    st.title("Strategy")
    months = data.query("select * from mart_strategic_alignment order by month_start_on, objective_id")
    if months.empty:
        layout.empty(
            "strategic alignment",
            "mart_strategic_alignment has no rows (no objectives or alignment published).",
        )
        return
    currency = layout.currency_of(months) or layout.MISSING
    as_of_on = layout.month_end(months["month_start_on"].max())
    totals = data.query("select * from mart_unaligned_spend_totals")
    total = totals.iloc[0] if len(totals) else pd.Series(dtype=object)
    cols = st.columns(3)
    cols[0].metric(f"Portfolio spend ({currency})", layout.number(total.get("portfolio_spend_amount")))
    cols[1].metric(
        "Unaligned spend share, all months", layout.number(total.get("unaligned_spend_ratio"), "{:.1%}")
    )
    cols[2].metric(
        "Unaligned spend share, latest month",
        layout.number(total.get("last_month_unaligned_spend_ratio"), "{:.1%}"),
    )
    layout.as_of(
        as_of_on,
        currency,
        "spend = GL postings of mapped projects x objective weight on each month's last day",
    )

    st.subheader("Spend by objective")
    spend = spend_by_objective(months)
    st.altair_chart(
        alt.Chart(spend, title=f"Monthly spend by objective, weight-applied ({currency})")
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month_end_on):T", title="Month"),
            y=alt.Y("spend:Q", title=currency, stack=True),
            color=alt.Color("objective:N", title="Objective", scale=spend_colours(spend["objective"])),
            tooltip=[
                "objective:N",
                alt.Tooltip("month_end_on:T", title="Month end"),
                alt.Tooltip("spend:Q", format=",.0f"),
            ],
        ),
        width="stretch",
    )
    layout.as_of(as_of_on, currency)

    st.subheader("Realized benefit value by objective")
    realized = months.assign(objective=months["objective_id"] + " · " + months["objective_name"].fillna(""))
    realized = realized[
        realized.groupby("objective_id")["aligned_realized_benefit_amount"].transform(lambda s: s.abs().sum())
        > 0
    ]
    if realized.empty:
        st.info(
            "No realized benefit value yet: no monetised benefit has a reading (mart_strategic_alignment)."
        )
    else:
        realized = realized.sort_values("month_start_on")
        realized["cumulative"] = realized.groupby("objective_id")["aligned_realized_benefit_amount"].cumsum()
        st.altair_chart(
            alt.Chart(realized, title=f"Realized benefit value by objective, cumulative ({currency})")
            .mark_line(point=True)
            .encode(
                x=alt.X("month_end_on:T", title="Month end"),
                y=alt.Y("cumulative:Q", title=currency),
                color=alt.Color("objective:N", title="Objective", scale=spend_colours(realized["objective"])),
                tooltip=[
                    "objective:N",
                    alt.Tooltip("month_end_on:T"),
                    alt.Tooltip("cumulative:Q", format=",.0f"),
                ],
            ),
            width="stretch",
        )
        layout.as_of(as_of_on, currency, "attributed share x objective weight; dis-benefits count negative")

    st.subheader("Unaligned spend share")
    share = months.groupby("month_end_on", as_index=False)["portfolio_unaligned_spend_share"].first().dropna()
    st.altair_chart(
        alt.Chart(share, title="Share of the month's spend serving no objective")
        .mark_line(point=True)
        .encode(
            x=alt.X("month_end_on:T", title="Month end"),
            y=alt.Y("portfolio_unaligned_spend_share:Q", title="Unaligned share", axis=alt.Axis(format="%")),
            tooltip=[
                alt.Tooltip("month_end_on:T"),
                alt.Tooltip("portfolio_unaligned_spend_share:Q", format=".1%"),
            ],
        ),
        width="stretch",
    )
    layout.as_of(as_of_on, currency)

    st.subheader("Alignment as of a date")
    on = st.date_input("Alignment as of", value=as_of_on, key="alignment_as_of")
    summary = data.query(
        """
        select project_id, project_name, objectives, alignment_score, unaligned_ratio as unaligned_share,
               objective_count
        from mart_alignment_periods
        where (valid_from_on is null or valid_from_on <= ?) and (valid_to_on is null or valid_to_on >= ?)
        order by project_id
        """,
        (on, on),
    )
    in_force = int(summary["objective_count"].sum())
    summary = summary.drop(columns=["objective_count"])
    layout.table(summary, "alignment_table", {"alignment_score": "{:.2f}", "unaligned_share": "{:.0%}"})
    st.caption(
        f"As of {on.isoformat()}: {in_force} project-objective weights in force, "
        f"{int((summary['alignment_score'] > 0).sum())} of {len(summary)} projects aligned "
        "(mart_alignment_periods: valid_from_on <= date <= valid_to_on)."
    )


if __name__ == "__main__":  # run by st.navigation (app.py) as its page script
    layout.guarded(render)
