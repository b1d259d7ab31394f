"""What the rules return: a computed metric, one criterion's finding, a park's verdict.

Findings are data, not exceptions: a failed threshold is a :class:`CriterionResult` with its
article, requirement, actual value and the gap in words. ``certify --json`` prints
:meth:`CertificationResult.to_dict`, a stable contract.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any


@dataclass
class MetricValue:
    """A computed quantity. ``complete`` is False when some input was missing, in which
    case ``value`` is a lower bound (only ever used for metrics that can only grow)."""

    value: Fraction | Decimal | int | None
    complete: bool = True
    missing: str | None = None  # what is missing, in words
    detail: dict[str, Any] = field(default_factory=dict)
    upper: Fraction | Decimal | int | None = None  # an upper bound, when incomplete and known


@dataclass
class CriterionResult:
    id: str
    article: str
    title: str
    kind: str
    metric: str | None
    scope: str | None
    site: str | None
    op: str | None
    threshold: Decimal | None
    actual: Any
    status: str  # pass | fail | warn | waived | unknown
    strictness: str
    gap: str | None
    wording: str = ""
    unit: str = ""
    local: bool = False
    evidence: str | None = None
    note: str | None = None
    # what the criterion reads: the kind of site area (areas, occupancy), the classes of
    # institution it counts (hr_institutions), the revenue years (revenue, growth)
    area_kind: str | None = None
    classes: list[str] | None = None
    revenue_years: list[int] | None = None


@dataclass
class CertificationResult:
    park: str
    park_name: str
    policy: str
    year: int
    as_of: dt.date
    verdict: str
    policy_in_force: bool
    layout: str
    warnings: list[str]
    criteria: list[CriterionResult]
    # True inside the policy's jurisdiction, False outside, None when the dossier does not say
    in_jurisdiction: bool | None = None
    revenue_year_complete: bool = True  # False for a mid-year self-check (--as-of in the year)

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON contract of ``certify --json`` (numbers stay exact Decimals here)."""
        return {
            "park": self.park,
            "park_name": self.park_name,
            "policy": self.policy,
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "verdict": self.verdict,
            "policy_in_force": self.policy_in_force,
            "in_jurisdiction": self.in_jurisdiction,
            "revenue_year_complete": self.revenue_year_complete,
            "layout": self.layout,
            "warnings": list(self.warnings),
            "criteria": [asdict(c) for c in self.criteria],
        }
