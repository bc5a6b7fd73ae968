"""Data trust page: the last run, its checks, rejects per file, and mart_reconciliation made visible."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from ingest.settings import show_value
from orchestration.dashboard import data, layout

RECONCILIATION_METRICS = {
    "unmapped_gl_line": "Unmapped GL lines",
    "unmapped_jira_issue": "Unmapped Jira issues",
    "fx_rate_missing": "Missing FX rates",
    "unmapped_msproject_file": "Unmapped MS Project files",
}


def _run_section() -> None:
    st.subheader("Last run")
    report = data.run_report()
    if report is None:
        st.warning(f"No run report at {data.run_report_path()}: run `make run` first.")
        return
    published = bool(report.get("published"))
    checks = pd.DataFrame(report.get("checks") or [], columns=["name", "passed", "blocking", "severity"])
    passed = int(checks["passed"].astype(bool).sum()) if not checks.empty else 0
    failed = checks[~checks["passed"].astype(bool)] if not checks.empty else checks
    files = pd.DataFrame(report.get("files") or [])
    cols = st.columns(4)
    cols[0].metric("Run status", "published" if published else "stopped by a check")
    cols[1].metric("Checks passed", f"{passed}")
    cols[2].metric("Checks failed", f"{len(failed)}")
    cols[3].metric("Rows rejected", f"{int(files['rows_rejected'].sum()) if 'rows_rejected' in files else 0}")
    st.caption(
        f"Run {layout.text(report.get('run_id'))} finished {layout.text(report.get('finished_at'))} "
        "(reports/last_run.json)"
    )
    if published:
        st.success("The last run published the marts: every blocking check passed.")
    else:
        st.error("The last run did not publish: the dashboard shows the previous marts.")
    for step in report.get("failed_steps") or []:
        st.error(f"Step {step.get('step')} failed: {step.get('error')}")
    if not failed.empty:
        st.markdown("**Failed checks**")
        layout.table(failed, "failed_checks")
    st.markdown("**Files: rows read, loaded and rejected**")
    if files.empty:
        st.info("The run report lists no landing files (the landing folder was empty).")
        return
    shown = [
        c
        for c in ["path", "file_kind", "status", "rows_read", "rows_loaded", "rows_rejected", "message"]
        if c in files
    ]
    files = files[shown].sort_values(["rows_rejected", "path"], ascending=[False, True])
    layout.table(files, "run_files")


def _settings_section() -> None:
    """The settings the last run was made with (reports/last_run.json): setting, value, source."""
    report = data.run_report()
    if report is None:  # said by the run section
        return
    st.subheader("Settings of the last run")
    settings = report.get("settings") or {}
    if settings.get("error"):
        st.error(f"The settings file could not be used: {settings['error']}")
    rows = settings.get("values") or []
    if not rows:
        st.info("The last run report records no settings (a run before settings were recorded).")
        return
    st.caption(
        f"Settings file: {settings.get('file') or 'none (every setting is its default)'} · "
        "`vro config` prints the same; vro.example.yaml lists every setting"
    )
    table = pd.DataFrame(
        [
            {
                "setting": r["setting"],
                "value": layout.MISSING if r["value"] is None else show_value(r["value"]),
                "source": r["source"],
            }
            for r in rows
        ]
    )
    layout.table(table, "run_settings")


def _reconciliation_section() -> None:
    st.subheader("Reconciliation (mart_reconciliation)")
    rec = data.query("select * from mart_reconciliation order by check_name, source_file, entity_id")
    if rec.empty:
        layout.empty(
            "reconciliation rows",
            "mart_reconciliation is empty (no GL, Jira or schedule files were published).",
        )
        return
    issues = rec[rec["is_issue"].astype(bool)]
    cols = st.columns(len(RECONCILIATION_METRICS) + 1)
    for col, (check, label) in zip(cols, RECONCILIATION_METRICS.items(), strict=False):
        col.metric(label, f"{int((issues['check_name'] == check).sum())}")
    totals = rec[rec["check_name"] == "gl_control_total"]
    cols[-1].metric("GL files tying out", f"{int((~totals['is_issue'].astype(bool)).sum())} of {len(totals)}")
    currency = layout.currency_of(rec) or layout.MISSING
    published = data.published_version()
    stamp = pd.Timestamp(published.mtime_ns, unit="ns", tz="UTC") if published else None
    st.caption(
        f"As published {stamp:%Y-%m-%d %H:%M} UTC · amounts in each row's currency "
        f"(reporting currency {currency})"
        if stamp is not None
        else "Not published"
    )
    by_check = (
        rec.groupby("check_name").agg(rows=("check_key", "count"), issues=("is_issue", "sum")).reset_index()
    )
    chart = (
        alt.Chart(
            by_check.assign(passed=by_check["rows"] - by_check["issues"]),
            title="Reconciliation rows by check",
        )
        .transform_fold(["issues", "passed"], as_=["result", "count"])
        .mark_bar()
        .encode(
            y=alt.Y("check_name:N", title=None),
            x=alt.X("count:Q", title="Rows"),
            color=alt.Color(
                "result:N",
                title=None,
                scale=alt.Scale(domain=["issues", "passed"], range=["#c62828", "#2e7d32"]),
            ),
            tooltip=["check_name:N", "result:N", "count:Q"],
        )
    )
    st.altair_chart(chart, width="stretch")
    layout.table(by_check, "reconciliation_summary")
    st.markdown("**Rows needing attention**")
    if issues.empty:
        st.success(
            "No reconciliation issue: every GL file ties out and every line, issue and rate is mapped."
        )
    else:
        shown = [
            "check_name",
            "entity_id",
            "source_file",
            "currency",
            "expected_amount",
            "actual_amount",
            "difference_amount",
            "detail",
        ]
        layout.table(
            issues[shown], "reconciliation_issues", {c: "{:,.2f}" for c in shown if c.endswith("_amount")}
        )


def render() -> None:
    """The run report shows even before anything was published (a first run stopped by a check)."""
    st.title("Data trust")
    try:
        _run_section()
        _settings_section()
    except data.DataUnavailable as exc:
        st.warning(str(exc))
    layout.guarded(_reconciliation_section)


if __name__ == "__main__":  # run by st.navigation (app.py) as its page script
    render()
