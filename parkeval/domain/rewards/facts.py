"""The facts a bureau records for rewards, as the rules read them: one :class:`Fact` per
recorded row in force (corrections and withdrawals already applied by the store), gathered per
beneficiary in :class:`SubjectFacts`.

Kinds and the fields each uses:

* ``revenue``: ``code`` main_business | operating, ``year``, ``amount`` (元).
* ``honour``: an honour or list entry — ``code`` the list (hroot_top100, integrity_demo, …),
  ``level``, ``year``, ``on`` (the date, when known).
* ``rating``: ``code`` 3A/4A/5A or 无星/一星…五星, ``year``.
* ``hire``: ``code`` the category (graduate, high_skilled, …), ``count`` people, their
  ``contract_months`` and ``insured_months``, ``year``.
* ``event``: ``count`` organisations, ``attendees``, ``year``, ``on``.
* ``booth``: ``code`` domestic | overseas, ``amount`` the cost, ``count`` booths, ``year``.
* ``contribution``: local fiscal contribution (市区两级), ``amount``, ``year``.
* ``location``: from ``on``: ``code`` the form (headquarters, regional_headquarters,
  subsidiary, branch), ``area`` the park area (北部园区).
* ``status``: ``code`` severe_dishonesty (列入严重失信名单), ``on`` / ``year``.
* ``assessment``: ``code`` the list assessed (incubator), ``result`` pass | fail, ``year``.
* ``intern``: ``count`` intern-months, ``level`` the base's level, ``year``.
* ``approval``: the bureau's approved amount — ``code`` the rule id, ``year`` the award year.
* ``payment``: a payment made — ``code`` the rule id, ``year`` paid, ``amount``, ``on``.
* ``loan``, ``transfer``: shown, never summed into rewards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

FACT_KINDS = {
    "revenue": "营业收入",
    "honour": "荣誉与榜单",
    "rating": "等级评定",
    "hire": "引才与就业",
    "event": "举办活动",
    "booth": "参展展位",
    "contribution": "地方财力贡献",
    "location": "落户与形式",
    "status": "失信记录",
    "assessment": "考核结果",
    "intern": "就业见习",
    "approval": "核定金额",
    "payment": "拨付记录",
    "loan": "贷款",
    "transfer": "财政体制结算",
}
SUBJECT_KINDS = {"firm": "企业", "park": "园区", "person": "个人"}


class Fact(NamedTuple):
    """One recorded fact about a beneficiary (see the module for what each kind uses).

    A named tuple (immutable, like the frozen dataclass it was): a province's budget builds
    hundreds of thousands of them from rows, and a tuple is built several times faster."""

    id: int
    kind: str
    subject: str
    subject_kind: str = "firm"
    city: str | None = None
    park: str | None = None
    year: int | None = None
    on: dt.date | None = None
    code: str | None = None
    level: str | None = None
    amount: Decimal | None = None
    count: int | None = None  # type: ignore[assignment]  # the field shadows tuple.count
    attendees: int | None = None
    contract_months: int | None = None
    insured_months: int | None = None
    area: str | None = None
    result: str | None = None
    note: str | None = None

    @property
    def when(self) -> dt.date:
        """The fact's date: the recorded date, else the last day of its year."""
        if self.on is not None:
            return self.on
        return dt.date(self.year or 1, 12, 31)

    @property
    def fact_year(self) -> int:
        """The year the fact belongs to (its year, else its date's)."""
        if self.year is not None:
            return self.year
        return self.on.year if self.on is not None else 0


@dataclass
class SubjectFacts:
    """Every fact in force of one beneficiary (a firm, a park or a person)."""

    subject: str
    subject_kind: str
    facts: list[Fact] = field(default_factory=list)
    _by_kind: dict[str, list[Fact]] = field(default_factory=dict, repr=False, compare=False)
    _by_year: dict[tuple[str, int], list[Fact]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        # indexed once, by kind and by kind and year: the rules ask many times
        by_kind, by_year = self._by_kind, self._by_year
        for f in sorted(self.facts, key=_oldest_first):
            by_kind.setdefault(f.kind, []).append(f)
            by_year.setdefault((f.kind, f.fact_year), []).append(f)

    def of(self, kind: str) -> list[Fact]:
        """The facts of a kind, oldest first."""
        return self._by_kind.get(kind, [])

    def has(self, kind: str, year: int | None = None) -> bool:
        """Whether any fact of a kind is recorded (in a year, when given)."""
        return kind in self._by_kind if year is None else (kind, year) in self._by_year

    def in_year(self, kind: str, year: int) -> list[Fact]:
        """The facts of a kind belonging to a year, oldest first."""
        return self._by_year.get((kind, year), [])

    def location_on(self, day: dt.date) -> Fact | None:
        """The location (form and park area) in force on a day: the latest from then or before."""
        found = [f for f in self.of("location") if f.on is not None and f.on <= day]
        return found[-1] if found else None

    @property
    def park(self) -> str | None:
        """The park the beneficiary's latest fact names."""
        parks = [f.park for f in sorted(self.facts, key=_oldest_first) if f.park]
        return parks[-1] if parks else None


def _oldest_first(f: Fact) -> tuple[dt.date, int]:
    return (f.when, f.id)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    import calendar

    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (满N个月: the day N months on has been reached)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)
