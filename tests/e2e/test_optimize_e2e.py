"""Value optimization on the demo run: a recommendation for every active project, the mandatory ones never
stopped, scenarios solved exactly (checked here by brute force over every selection) and a frontier from
the mandatory minimum to everything.

Expected values come from the demo's landing files (the registry's statuses and mandatory flags, the
scenarios file), from the scorecard's published whole-life figures, or from a brute-force search written
here, never from the optimisation's own code.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import duckdb
import pytest


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def marts(demo_run):
    con = duckdb.connect(str(demo_run.home / "published" / "vro.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def registry(demo_run) -> dict[str, dict[str, str]]:
    return {r["project_id"]: r for r in _rows(demo_run.landing / "registry" / "projects.csv")}


@pytest.fixture(scope="module")
def projects(marts) -> dict[str, dict]:
    cur = marts.execute("select * from mart_value_optimization")
    names = [d[0] for d in cur.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cur.fetchall()}


def test_every_active_project_has_a_recommendation_with_its_reason(projects, registry):
    active = {p for p, r in registry.items() if r["status"] in ("active", "on_hold") and not r["closed_date"]}
    assert set(projects) == active and len(active) == 19  # P003 closed
    assert {p["recommendation"] for p in projects.values()} == {"continue", "review", "stop"}
    for p in projects.values():
        assert p["recommendation_reason"].startswith(("marginal NPV", "mandatory")), p
        assert f"{p['marginal_npv_amount']:,.0f} EUR" in p["recommendation_reason"], p


def test_mandatory_projects_are_never_stopped(projects, registry):
    mandatory = {p for p, r in registry.items() if r["mandatory"] == "true"}
    assert mandatory == {p for p, row in projects.items() if row["is_mandatory"]} == {"P012", "P013", "P018"}
    assert all(projects[p]["recommendation"] != "stop" for p in mandatory)
    # the data quality programme's benefits are not monetised: its marginal NPV is its cost still to come,
    # which decides nothing (no project without monetised benefits is stopped)
    assert projects["P012"]["marginal_npv_amount"] < 0 and projects["P012"]["monetised_benefit_count"] == 0
    assert all(p["recommendation"] != "stop" for p in projects.values() if p["monetised_benefit_count"] == 0)


def test_the_warehouse_migration_is_stopped_its_dis_benefit_eats_the_saving(projects):
    """ingest/demo/templates.py: P009's cloud bill (dis-benefit B25) runs 10 % above plan and eats most of
    the old loads' saving (B14): what is still to come is worth less than what is still to spend."""
    p = projects["P009"]
    assert p["recommendation"] == "stop"
    assert p["pv_remaining_benefit_amount"] < p["pv_etc_amount"]
    assert "(below 0: benefits still to come worth" in p["recommendation_reason"]


def test_sunk_cost_is_left_out_etc_ties_to_the_investment_case(marts, projects):
    """The cost still to come = the whole-life cost - the cost to date of the scorecard's investment case;
    the plan still to come = whole-life benefits - the benefits realized to date."""
    scorecard = {
        r[0]: r[1:]
        for r in marts.execute(
            "select project_id, whole_life_cost_amount, cost_to_date_amount, whole_life_benefit_amount, "
            "benefits_realized_to_date_amount from mart_value_scorecard"
        ).fetchall()
    }
    for pid, p in projects.items():
        whole_cost, cost_to_date, whole_benefit, realized = scorecard[pid]
        assert float(p["etc_amount"]) == pytest.approx(float(whole_cost - cost_to_date), abs=0.02), pid
        assert float(p["remaining_benefit_plan_amount"]) == pytest.approx(
            float(whole_benefit - realized), abs=0.05
        ), pid
        assert p["horizon_cost_amount"] <= p["etc_amount"]


def _brute_force(projects: dict[str, dict], cap: float, weighted: bool, forced_in=(), forced_out=()) -> float:
    """The best total value of any selection within the cap, trying every one."""

    def value(p):
        return float(p["marginal_npv_amount"]) * (float(p["alignment_score"]) if weighted else 1.0)

    fixed = [p for pid, p in projects.items() if p["is_mandatory"] or pid in forced_in]
    free = [p for pid, p in projects.items() if p not in fixed and pid not in forced_out]
    base_cost = sum(float(p["horizon_cost_amount"]) for p in fixed)
    best = None
    for n in range(len(free) + 1):
        for combo in itertools.combinations(free, n):
            cost = base_cost + sum(float(p["horizon_cost_amount"]) for p in combo)
            if cost <= cap + 0.005:
                total = sum(value(p) for p in (*fixed, *combo))
                best = total if best is None else max(best, total)
    return best


def test_scenarios_from_the_template_are_solved_exactly(demo_run, marts, projects):
    template = {r["scenario"]: r for r in _rows(demo_run.landing / "registry" / "portfolio_scenarios.csv")}
    rows = marts.execute(
        "select scenario, project_id, is_selected, selection_reason, solver_status, budget_cap_amount, "
        "scenario_selected_cost_amount, scenario_message from mart_portfolio_scenarios"
    ).fetchall()
    assert {r[0] for r in rows} == set(template) == {"Hold at 1.2 M", "Customer first", "Freeze"}
    by_scenario = {s: [r for r in rows if r[0] == s] for s in template}
    for name, spec in template.items():
        selected = {r[1] for r in by_scenario[name] if r[2]}
        assert len(by_scenario[name]) == len(projects)
        assert {"P012", "P013", "P018"} <= selected  # mandatory always in
        if name == "Freeze":
            continue
        forced_in, forced_out = spec["force_in"].split(";") if spec["force_in"] else [], spec["force_out"]
        weighted = spec["alignment_weighted"] == "true"
        assert set(forced_in) <= selected and (not forced_out or forced_out not in selected)
        assert {r[4] for r in by_scenario[name]} == {"optimal"}
        cap = float(spec["budget_cap"])
        spent = sum(float(projects[p]["horizon_cost_amount"]) for p in selected)
        assert spent <= cap and float(by_scenario[name][0][6]) == pytest.approx(spent, abs=0.01)

        def value(p, weighted=weighted):
            return float(p["marginal_npv_amount"]) * (float(p["alignment_score"]) if weighted else 1.0)

        got = sum(value(projects[p]) for p in selected)
        best = _brute_force(projects, cap, weighted, forced_in, [forced_out] if forced_out else [])
        assert got == pytest.approx(best, abs=0.01 * len(projects)), name


def test_a_cap_below_the_mandatory_minimum_is_reported_infeasible(marts, projects):
    need = sum(float(p["horizon_cost_amount"]) for p in projects.values() if p["is_mandatory"])
    assert need > 100_000  # the demo's freeze is below what the mandatory projects need
    statuses = marts.execute(
        "select distinct solver_status, is_feasible, scenario_message from mart_portfolio_scenarios "
        "where scenario = 'Freeze'"
    ).fetchall()
    assert statuses == [
        (
            "infeasible",
            False,
            f"infeasible: the budget cap 100,000 EUR is below the {need:,.0f} EUR the mandatory and "
            "forced-in projects need (P012, P013, P018)",
        )
    ]


def test_frontier_runs_from_the_mandatory_minimum_to_everything_above_the_current_portfolio(marts, projects):
    points = marts.execute(
        "select level, budget_cap_amount, horizon_cost_amount, marginal_npv_amount, solver_status "
        "from mart_portfolio_frontier where point_kind = 'frontier' order by level"
    ).fetchall()
    assert [p[0] for p in points] == list(range(1, 21))
    mandatory_cost = sum(float(p["horizon_cost_amount"]) for p in projects.values() if p["is_mandatory"])
    everything = sum(float(p["horizon_cost_amount"]) for p in projects.values())
    assert float(points[0][1]) == pytest.approx(mandatory_cost, abs=0.01)
    assert float(points[-1][1]) == pytest.approx(everything, abs=0.01)
    assert all(p[4] == "optimal" and p[2] <= p[1] for p in points)
    values = [float(p[3]) for p in points]
    assert values == sorted(values)
    # with every project affordable the best keeps the mandatory ones and every positive marginal NPV
    top = sum(
        float(p["marginal_npv_amount"])
        for p in projects.values()
        if p["is_mandatory"] or p["marginal_npv_amount"] > 0
    )
    assert values[-1] == pytest.approx(top, abs=0.05)
    # at the mandatory minimum: the mandatory projects, and every project worth something that costs
    # nothing more in the horizon (the demo's finished P014 and P015)
    free = [p for p in projects.values() if not p["is_mandatory"] and p["horizon_cost_amount"] == 0]
    assert {p["project_id"] for p in free if p["marginal_npv_amount"] > 0} == {"P014", "P015"}
    assert values[0] == pytest.approx(
        sum(
            float(p["marginal_npv_amount"])
            for p in projects.values()
            if p["is_mandatory"] or (p["horizon_cost_amount"] == 0 and p["marginal_npv_amount"] > 0)
        ),
        abs=0.05,
    )
    (current,) = marts.execute(
        "select project_count, horizon_cost_amount, marginal_npv_amount from mart_portfolio_frontier "
        "where point_kind = 'current_portfolio'"
    ).fetchall()
    assert current[0] == len(projects)
    assert float(current[1]) == pytest.approx(everything, abs=0.01)
    assert float(current[2]) == pytest.approx(
        sum(float(p["marginal_npv_amount"]) for p in projects.values()), abs=0.05
    )
    assert float(current[2]) < values[-1]  # stopping the negative ones is worth something
