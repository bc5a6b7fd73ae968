"""Shared page pieces: the missing-data messages, as-of/currency captions, tables and RAG cells.

A missing value is shown as MISSING ("—") everywhere: in metrics, captions, options and table cells,
never as None, nan or NaT."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from orchestration.dashboard import data

MISSING = "\u2014"  # an em dash: what a missing value looks like on every page
# Categorical colours (Tableau 10): distinct hues, none of them read as a RAG status.
PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#b279a2", "#72b7b2", "#eeca3b", "#9d755d", "#ff9da6", "#bab0ac"]
RAG_CELL = {
    "green": "background-color: #c8e6c9; color: #1b5e20",
    "amber": "background-color: #ffecb3; color: #7a5200",
    "red": "background-color: #ffcdd2; color: #b71c1c",
}


# mart_budget_vs_actual's money columns and their labels, as the portfolio and project pages show them
BUDGET_AMOUNT_COLUMNS = {
    "original_budget_amount": "Original budget",
    "budget_amount": "Current budget",
    "actual_capex_amount": "Actual capex",
    "actual_opex_amount": "Actual opex",
    "actual_unclassified_amount": "Actual unclassified",
    "actual_labour_amount": "Actual labour",
    "actual_amount": "Actual",
    "eac_amount": "EAC (year)",
    "variance_to_date_amount": "Variance to date",
    "variance_at_completion_amount": "Variance at completion",
}


def guarded(render: Callable[[], None]) -> None:
    """Run a page; a missing file or table becomes a message, never a stack trace."""
    if data.published_version() is None:
        st.warning(f"No published marts yet ({data.published_db()}): run `make run` first.")
        return
    try:
        render()
    except data.DataUnavailable as exc:
        st.warning(str(exc))


def empty(what: str, why: str) -> None:
    st.info(f"No {what} to show: {why}")


def month_end(value) -> dt.date:
    """The last day of the month holding value."""
    ts = pd.Timestamp(value)
    return (ts + pd.offsets.MonthEnd(0)).date()


def is_missing(value) -> bool:
    """None, NaN, NaT, pd.NA or an empty string."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-likes are values, not missing
        return False


def text(value) -> str:
    """A value for a metric, caption or option: MISSING when there is none."""
    return MISSING if is_missing(value) else str(value)


def day(value) -> str:
    """A date as YYYY-MM-DD, MISSING when there is none."""
    return MISSING if is_missing(value) else pd.Timestamp(value).date().isoformat()


def as_of(value, currency: str | None = None, note: str = "") -> None:
    """Caption under a figure: its as-of date and currency."""
    parts = [f"As of {day(value)}"]
    if currency:
        parts.append(f"amounts in {currency}")
    if note:
        parts.append(note)
    st.caption(" · ".join(parts))


def colours(domain: list[str], fixed: dict[str, str] | None = None) -> alt.Scale:
    """A colour scale giving each value of domain its own palette colour (fixed ones as given)."""
    fixed = fixed or {}
    free = iter(PALETTE * (len(domain) // len(PALETTE) + 1))
    return alt.Scale(domain=domain, range=[fixed.get(d) or next(free) for d in domain])


def number(value, fmt: str = "{:,.0f}") -> str:
    """A figure for a metric or caption; a missing value shows as MISSING, never as nan."""
    return MISSING if is_missing(value) else fmt.format(value)


def rag_cell(value) -> str:
    return RAG_CELL.get(value, "") if isinstance(value, str) else ""


READABLE = {
    "benefit_id": "Benefit",
    "benefit_name": "Name",
    "benefit_owner": "Owner",
    "category": "Category",
    "unit": "Unit",
    "share": "Share",
    "realization_ratio": "Realization",
    "rag": "RAG",
}


def styled(df: pd.DataFrame, formats: dict[str, str], rag_columns: list[str] | None = None):
    """A Styler with number formats and RAG cell colours (st.dataframe keeps it sortable)."""
    present = {c: f for c, f in formats.items() if c in df.columns}
    styler = df.style.format(na_rep=MISSING).format(present, na_rep=MISSING)
    rag = [c for c in rag_columns or [] if c in df.columns]
    if rag:
        styler = styler.map(rag_cell, subset=rag)
    return styler


def table(
    df: pd.DataFrame,
    key: str,
    formats: dict[str, str] | None = None,
    rag_columns: list[str] | None = None,
    **kwargs,
) -> None:
    """st.dataframe of df, styled; every missing cell shows MISSING (Streamlit's default is "None")."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    st.dataframe(styled(df, formats or {}, rag_columns), key=key, placeholder=MISSING, **kwargs)


def currency_of(df: pd.DataFrame, column: str = "reporting_currency") -> str | None:
    if column not in df.columns:
        return None
    values = df[column].dropna().unique()
    return ", ".join(sorted(str(v) for v in values)) or None


def index_trend(evm: pd.DataFrame, title: str) -> alt.LayerChart:
    """SPI and CPI by month end (columns month_end_on, spi, cpi), with the 1.0 line."""
    long = evm.melt(id_vars=["month_end_on"], value_vars=["spi", "cpi"], var_name="index", value_name="value")
    long["index"] = long["index"].str.upper()
    lines = (
        alt.Chart(long.dropna(subset=["value"]), title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("month_end_on:T", title="Month end"),
            y=alt.Y("value:Q", title="Index (1 = on plan)", scale=alt.Scale(zero=False)),
            color=alt.Color("index:N", title=None, scale=colours(["SPI", "CPI"])),
            tooltip=[
                "index:N",
                alt.Tooltip("month_end_on:T", title="Month end"),
                alt.Tooltip("value:Q", format=".3f"),
            ],
        )
    )
    one = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(color="grey", strokeDash=[2, 2]).encode(y="y:Q")
    return alt.layer(lines, one)
