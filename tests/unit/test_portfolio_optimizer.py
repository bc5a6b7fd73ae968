"""The portfolio optimisation (dbt_project/lib/portfolio_optimizer.py) on cases solved by hand.

Five projects, costs and marginal NPVs in thousands of EUR (cents below):

    project  cost  NPV  NPV/cost
    A          60   90  1.5
    B          50   70  1.4
    C          50   70  1.4
    D          30   30  1.0
    E          10    5  0.5

Cap 100. A greedy value-per-cost sort takes A (60), cannot fit B or C (110), takes D (90) and E (100):
NPV 125. Every subset within 100 by hand: B+C 140 (cost 100); A+D+E 125; A+D 120; B+D+E = C+D+E 105;
A+E 95; ... so the optimum is B+C, 140, and it is the only subset worth 140.
"""

from __future__ import annotations

import sys

import pytest
from support.paths import REPO

sys.path.insert(0, str(REPO / "dbt_project" / "lib"))

from portfolio_optimizer import Candidate, Scenario, choose, frontier, split_ids  # noqa: E402

K = 1000 * 100  # a thousand EUR in cents


def five(mandatory: str = "", alignment: dict[str, float] | None = None) -> list[Candidate]:
    table = {"A": (60, 90), "B": (50, 70), "C": (50, 70), "D": (30, 30), "E": (10, 5)}
    alignment = alignment or {}
    return [
        Candidate(p, cost * K, value * 1000.0, alignment.get(p, 1.0), p in mandatory)
        for p, (cost, value) in table.items()
    ]


def greedy(candidates: list[Candidate], cap: int) -> set[str]:
    """The value-per-cost sort the optimisation must beat (for the test's own comparison only)."""
    chosen, spent = set(), 0
    for c in sorted(candidates, key=lambda c: c.value / c.cost_cents, reverse=True):
        if spent + c.cost_cents <= cap:
            chosen.add(c.project_id)
            spent += c.cost_cents
    return chosen


def test_exact_optimum_beats_the_greedy_value_per_cost_order():
    candidates = five()
    assert greedy(candidates, 100 * K) == {"A", "D", "E"}  # NPV 125
    best = choose(candidates, Scenario("cap 100k", 100 * K))
    assert best.status == "optimal" and best.is_feasible
    assert best.selected == {"B", "C"}
    assert best.total_cost_cents == 100 * K
    assert best.total_value == 140_000.0
    assert best.reasons == {
        "A": "not chosen",
        "B": "chosen",
        "C": "chosen",
        "D": "not chosen",
        "E": "not chosen",
    }
    assert best.message == ""


def test_mandatory_project_is_always_in_and_the_rest_is_optimised_around_it():
    # E mandatory (10): 90 left. A+D 120 (cost 90) beats B+D 100 and C+D 100; B+C no longer fits.
    best = choose(five(mandatory="E"), Scenario("cap 100k", 100 * K))
    assert best.selected == {"A", "D", "E"}
    assert best.reasons["E"] == "mandatory"
    assert best.total_value == 125_000.0 and best.total_cost_cents == 100 * K


def test_forced_in_and_forced_out_projects():
    # C out: B+D+E 105, A+D+E 125 (cost 100), A+D 120 -> A, D, E.
    out = choose(five(), Scenario("no C", 100 * K, forced_out=("C",)))
    assert out.selected == {"A", "D", "E"} and out.reasons["C"] == "forced out"
    # D in (30): 70 left. A+E 95 (cost 70) beats B+E 75, B 70, C 70 -> A, D, E.
    forced = choose(five(), Scenario("D in", 100 * K, forced_in=("D",)))
    assert forced.selected == {"A", "D", "E"} and forced.reasons["D"] == "forced in"
    # a mandatory project forced out stays in, and the message says so; unknown ids are named
    kept = choose(five(mandatory="E"), Scenario("E out", 100 * K, forced_out=("E", "P999")))
    assert "E" in kept.selected and kept.reasons["E"] == "mandatory"
    assert kept.message == "not active projects, ignored: P999; mandatory, kept in although forced out: E"


def test_a_cap_below_the_mandatory_minimum_is_reported_infeasible_with_both_amounts():
    best = choose(five(mandatory="DE"), Scenario("too tight", 30 * K))
    assert best.status == "infeasible" and not best.is_feasible
    assert best.message == (
        "infeasible: the budget cap 30,000 EUR is below the 40,000 EUR the mandatory and forced-in "
        "projects need (D, E)"
    )
    assert best.selected == {"D", "E"}  # committed whatever the cap
    assert best.reasons == {
        "A": "not selected",
        "B": "not selected",
        "C": "not selected",
        "D": "mandatory",
        "E": "mandatory",
    }


def test_negative_and_worthless_projects_are_left_out_unless_mandatory():
    candidates = [
        Candidate("P1", 10 * K, 50_000.0),
        Candidate("P2", 0, -20_000.0),  # free to continue, but loses value
        Candidate("P3", 5 * K, 0.0),  # costs money, brings nothing
        Candidate("P4", 20 * K, -1_000.0, is_mandatory=True),
    ]
    best = choose(candidates, Scenario("plenty", 1_000 * K))
    assert best.selected == {"P1", "P4"}
    assert best.total_value == 49_000.0 and best.total_cost_cents == 30 * K


def test_alignment_weighted_objective():
    # weighted NPV: A 90 x 0.5 = 45, B 70 x 1 = 70, C 70 x 0.2 = 14, D 30, E 5.
    # Cap 100: B+D+E 105 (cost 90) beats B+C 84, A+D+E 80, B+D 100 -> B, D, E; their NPV 105.
    best = choose(five(alignment={"A": 0.5, "C": 0.2}), Scenario("aligned", 100 * K, alignment_weighted=True))
    assert best.selected == {"B", "D", "E"}
    assert best.objective_value == pytest.approx(105_000.0) and best.total_value == 105_000.0


def test_a_cap_met_to_the_cent_is_within_it_and_a_cent_less_is_not():
    candidates = [Candidate("X", 123_456_789, 10.0), Candidate("Y", 1, 0.5)]
    assert choose(candidates, Scenario("exact", 123_456_790)).selected == {"X", "Y"}
    assert choose(candidates, Scenario("a cent short", 123_456_789)).selected == {"X"}


def test_frontier_runs_from_the_mandatory_minimum_to_everything():
    points = frontier(five(mandatory="E"), levels=12)
    assert len(points) == 12
    assert points[0].budget_cap_cents == 10 * K and points[0].selected == {"E"}
    assert points[-1].budget_cap_cents == 200 * K  # 60 + 50 + 50 + 30 + 10
    assert points[-1].selected == {"A", "B", "C", "D", "E"} and points[-1].total_value == 265_000.0
    assert all(p.status == "optimal" and p.total_cost_cents <= p.budget_cap_cents for p in points)
    values = [p.total_value for p in points]
    assert values == sorted(values)  # more budget never buys less value
    # level 6: cap 10 + 190 x 5/11 = 96.36k: E + A + D (100) does not fit; E + B + D (90) 105, E + A (70) 95,
    # E + A + ... -> the best within 96.36k is E + B + D or E + C + D at 105 (cost 90)
    assert points[5].budget_cap_cents == 10 * K + round(190 * K * 5 / 11)
    assert points[5].total_value == 105_000.0 and points[5].total_cost_cents == 90 * K


def test_split_ids():
    assert split_ids(" P001; ;P002 ") == ("P001", "P002")
    assert split_ids(None) == ()
