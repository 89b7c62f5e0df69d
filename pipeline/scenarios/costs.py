"""Staff needed and annual staffing cost of a scenario's team schedule.

A post is one team (or one clinician) on duty. Its post-hours a year are the minutes of the week
it is on duty x 365.25 / 7. Positions = post-hours x positions per team (the roles listed for the
unit) / paid hours of one full-time position x the relief factor (leave, training, sickness: a
post staffed 24/7 needs 8,760 / hours_per_fte x relief_factor hires — about 4.5 with the shipped
inputs). Cost = positions x yearly cost of the role. Every cost input is the scenario file's
assumption; the output says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.scenarios.config import Costs, Period
from pipeline.vocabulary import CRISIS_UNITS

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Staffing:
    post_hours: dict[str, float]        # unit -> post-hours a year
    positions: dict[str, float]         # role -> positions (full-time equivalents)
    cost_usd: dict[str, float]          # role -> yearly cost
    hires_per_24_7_post: float

    @property
    def total_positions(self) -> float:
        return sum(self.positions.values())

    @property
    def total_cost_usd(self) -> float:
        return sum(self.cost_usd.values())


def staffing(period: Period, costs: Costs) -> Staffing:
    """Positions and yearly cost to keep `period`'s team schedule on duty."""
    post_hours = {u: float(period.teams[u].sum()) / 60.0 * DAYS_PER_YEAR / 7.0 for u in CRISIS_UNITS}
    positions: dict[str, float] = {}
    for unit, hours in post_hours.items():
        for role in costs.team_roles.get(unit, ()):
            positions[role] = positions.get(role, 0.0) + hours / costs.hours_per_fte * costs.relief_factor
    cost = {role: n * costs.position_usd[role] for role, n in positions.items()}
    return Staffing(post_hours, positions, cost, 24 * DAYS_PER_YEAR / costs.hours_per_fte * costs.relief_factor)
