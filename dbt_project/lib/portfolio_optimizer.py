"""Which active projects to fund under a budget cap: an exact 0/1 knapsack solved as a MILP.

Plain Python (scipy, no dbt, no Dagster): the dbt Python models int_portfolio__scenario_selections and
int_portfolio__frontier call it on rows of mart_value_optimization and int_portfolio__scenarios, and
tests/unit/test_portfolio_optimizer.py checks it on hand-solved cases. The rules (README, "Value
optimization"):

- a project's cost is its spend in the next optimize_horizon_months months (ETC falling in them), its
  value its marginal NPV (optionally times its alignment score);
- mandatory projects and projects forced in are always selected, projects forced out never (a
  mandatory project forced out stays in, and the scenario's message says so);
- among the rest, the set with the largest total value whose total cost stays within the cap; of two
  sets of equal value the cheaper one. Exact: scipy.optimize.milp (HiGHS) with a zero optimality gap,
  never a greedy value-per-cost sort;
- a cap below what the mandatory and forced-in projects need is infeasible: the scenario says so with
  both amounts, and lists those projects as selected (they are committed whatever the cap).

Money is handled in whole cents, so "within the cap" is checked exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

SOLVER = "scipy.optimize.milp (HiGHS)"
# scipy's milp status codes (scipy.optimize.milp, `status`)
MILP_STATUS = {
    0: "optimal",
    1: "iteration or time limit reached",
    2: "infeasible",
    3: "unbounded",
    4: "other",
}
TIME_LIMIT_SECONDS = 60.0


@dataclass(frozen=True)
class Candidate:
    """An active project as the optimisation sees it."""

    project_id: str
    cost_cents: int  # spend in the horizon, never negative
    value: float  # marginal NPV, reporting currency
    alignment_score: float = 0.0  # 0..1 (weights in force; unaligned share = 1 - score)
    is_mandatory: bool = False


@dataclass(frozen=True)
class Scenario:
    name: str
    budget_cap_cents: int
    alignment_weighted: bool = False
    forced_in: tuple[str, ...] = ()
    forced_out: tuple[str, ...] = ()


@dataclass
class Selection:
    scenario: Scenario
    status: str  # optimal | infeasible | one of MILP_STATUS
    message: str  # why it is infeasible, forced ids that are unknown or overridden; "" when nothing to say
    selected: frozenset[str]
    reasons: dict[str, str] = field(default_factory=dict)  # project -> mandatory | forced in | ...
    total_cost_cents: int = 0
    total_value: float = 0.0  # marginal NPV of the selection (unweighted)
    objective_value: float = 0.0  # what was maximised (weighted when the scenario says so)

    @property
    def is_feasible(self) -> bool:
        return self.status == "optimal"


@dataclass(frozen=True)
class FrontierPoint:
    level: int  # 1..levels
    budget_cap_cents: int
    status: str
    selected: frozenset[str]
    total_cost_cents: int
    total_value: float


def split_ids(text: str | None) -> tuple[str, ...]:
    """'P001; P002' -> ('P001', 'P002'); empty items dropped."""
    return tuple(part.strip() for part in (text or "").split(";") if part.strip())


def _weight(candidate: Candidate, alignment_weighted: bool) -> float:
    return candidate.value * candidate.alignment_score if alignment_weighted else candidate.value


def _money(cents: int) -> str:
    return f"{cents / 100:,.0f}"


def choose(candidates: Sequence[Candidate], scenario: Scenario, currency: str = "EUR") -> Selection:
    """The best selection of `candidates` within the scenario's cap (see the module's rules)."""
    ids = [c.project_id for c in candidates]
    known = set(ids)
    notes: list[str] = []
    unknown = [p for p in (*scenario.forced_in, *scenario.forced_out) if p not in known]
    if unknown:
        notes.append(f"not active projects, ignored: {', '.join(sorted(set(unknown)))}")
    both = sorted(set(scenario.forced_in) & set(scenario.forced_out) & known)
    if both:
        notes.append(f"forced both in and out, kept in: {', '.join(both)}")
    mandatory_out = sorted(
        c.project_id for c in candidates if c.is_mandatory and c.project_id in scenario.forced_out
    )
    if mandatory_out:
        notes.append(f"mandatory, kept in although forced out: {', '.join(mandatory_out)}")

    reasons: dict[str, str] = {}
    lower = np.zeros(len(candidates))
    upper = np.ones(len(candidates))
    for i, c in enumerate(candidates):
        if c.is_mandatory:
            reasons[c.project_id] = "mandatory"
        elif c.project_id in scenario.forced_in:
            reasons[c.project_id] = "forced in"
        elif c.project_id in scenario.forced_out:
            reasons[c.project_id] = "forced out"
        if reasons.get(c.project_id) in ("mandatory", "forced in"):
            lower[i] = 1
        elif reasons.get(c.project_id) == "forced out":
            upper[i] = 0

    required = [c for i, c in enumerate(candidates) if lower[i] == 1]
    required_cents = sum(c.cost_cents for c in required)
    if required_cents > scenario.budget_cap_cents:
        notes.insert(
            0,
            f"infeasible: the budget cap {_money(scenario.budget_cap_cents)} {currency} is below the "
            f"{_money(required_cents)} {currency} the mandatory and forced-in projects need "
            f"({', '.join(c.project_id for c in required)})",
        )
        selected = frozenset(c.project_id for c in required)
        return Selection(
            scenario,
            "infeasible",
            "; ".join(notes),
            selected,
            {**reasons, **{p: "not selected" for p in ids if p not in reasons}},
            required_cents,
            sum(c.value for c in required),
            sum(_weight(c, scenario.alignment_weighted) for c in required),
        )

    chosen, status = _solve(candidates, lower, upper, scenario.budget_cap_cents, scenario.alignment_weighted)
    if status != "optimal":
        notes.insert(0, f"the solver stopped: {status}")
    selected = frozenset(c.project_id for c, x in zip(candidates, chosen, strict=True) if x)
    for c in candidates:
        if c.project_id not in reasons:
            reasons[c.project_id] = "chosen" if c.project_id in selected else "not chosen"
    picked = [c for c in candidates if c.project_id in selected]
    return Selection(
        scenario,
        status,
        "; ".join(notes),
        selected,
        reasons,
        sum(c.cost_cents for c in picked),
        sum(c.value for c in picked),
        sum(_weight(c, scenario.alignment_weighted) for c in picked),
    )


def _solve(
    candidates: Sequence[Candidate], lower: np.ndarray, upper: np.ndarray, cap_cents: int, weighted: bool
) -> tuple[list[bool], str]:
    """max sum(value x) - tie-break * sum(cost x)  s.t.  sum(cost x) <= cap, x binary in [lower, upper].

    Values are rounded to the cent and the tie-break is below half a cent in total, so it only picks
    the cheaper of two selections of equal value (and leaves out projects worth nothing)."""
    if not candidates:
        return [], "optimal"
    costs = np.array([c.cost_cents for c in candidates], dtype=float)
    values = np.array([round(_weight(c, weighted) * 100) for c in candidates], dtype=float)  # cents
    tie_break = 0.4 / (costs.sum() + 1.0)
    cap = float(cap_cents)
    for _ in range(3):
        result = milp(
            c=-(values - tie_break * costs),
            integrality=np.ones(len(candidates)),
            bounds=Bounds(lower, upper),
            constraints=[LinearConstraint(costs[np.newaxis, :], -np.inf, cap)],
            options={"mip_rel_gap": 0.0, "time_limit": TIME_LIMIT_SECONDS},
        )
        status = MILP_STATUS.get(result.status, "other")
        if result.x is None:
            return [bool(v) for v in lower], status
        chosen = [bool(round(v)) for v in result.x]
        spent = sum(c.cost_cents for c, x in zip(candidates, chosen, strict=True) if x)
        if spent <= cap_cents:
            return chosen, status
        # the solver's feasibility tolerance let the rounded selection pass the cap by a few cents:
        # solve again with the cap lowered by that much
        cap -= spent - cap_cents
    raise RuntimeError(f"the selection exceeds the cap of {cap_cents} cents after three solves")


def frontier(
    candidates: Sequence[Candidate], levels: int, alignment_weighted: bool = False
) -> list[FrontierPoint]:
    """The best value at `levels` budget caps evenly spaced from what the mandatory projects need to
    what every candidate needs (both included)."""
    if levels < 2:
        raise ValueError(f"a frontier needs at least 2 levels, got {levels}")
    low = sum(c.cost_cents for c in candidates if c.is_mandatory)
    high = sum(c.cost_cents for c in candidates)
    points = []
    for k in range(levels):
        cap = low + round((high - low) * k / (levels - 1))
        best = choose(candidates, Scenario(f"level {k + 1}", cap, alignment_weighted))
        points.append(
            FrontierPoint(k + 1, cap, best.status, best.selected, best.total_cost_cents, best.total_value)
        )
    return points


def candidates_from_rows(rows: Iterable[dict]) -> list[Candidate]:
    """Candidates from mart_value_optimization rows (project_id, horizon_cost_amount, marginal_npv_amount,
    alignment_score, is_mandatory), in project order so that a run is repeatable."""
    out = [
        Candidate(
            project_id=str(r["project_id"]),
            cost_cents=max(0, round(float(r["horizon_cost_amount"] or 0) * 100)),
            value=float(r["marginal_npv_amount"] or 0),
            alignment_score=float(r["alignment_score"] or 0),
            is_mandatory=bool(r["is_mandatory"]),
        )
        for r in rows
    ]
    return sorted(out, key=lambda c: c.project_id)
