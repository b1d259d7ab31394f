"""Who is present, and the sums of the tenant rows: the rules of presence in SQL, in one place.

Per site on the day: tenants present, HR institutions (any class, and those holding a 许可证,
a 备案, or public ones), leased area; per year: tenants present, reporting, revenue.

:func:`present_on` and :func:`present_during` are the database's form of
:meth:`~parkeval.domain.facts.TenantFacts.present_on` and ``present_during`` (which apply the
same rules to a dossier's rows); a property test holds the two equal at every edge.
:func:`sum_tenants` has the database sum the rows chosen by them for a province at once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql.elements import ColumnElement

from parkeval.domain.facts import SiteTally, Tally, YearTally
from parkeval.store.tables import Tenant, TenantRevenue, exact_sum


def present_on(day: dt.date) -> ColumnElement[bool]:
    """A tenant counts on ``day``: moved in on or before it and not moved out by it (the
    move-out day itself is not counted)."""
    return and_(Tenant.move_in <= day, or_(Tenant.move_out.is_(None), Tenant.move_out > day))


def present_during(year: int) -> ColumnElement[bool]:
    """A tenant was in the park on at least one day of ``year``."""
    return and_(
        Tenant.move_in <= dt.date(year, 12, 31),
        or_(
            Tenant.move_out.is_(None),
            and_(Tenant.move_out > Tenant.move_in, Tenant.move_out > dt.date(year, 1, 1)),
        ),
    )


# The classes a site's tally counts one by one, in SiteTally's order (``licensed_or_filed`` is
# what is left of the HR institutions).
_COUNTED = ("licensed", "filed", "public")


class SumOverflow(Exception):
    """SQLite could not sum a column exactly in 64 bits (see ``tables.exact_sum``)."""


class Rows(Protocol):
    """Runs a statement for the parks being loaded (``ids``), chunking ``IN`` lists as needed."""

    ids: list[int]
    dialect: str

    def rows(self, column: Any, stmt: Any) -> list[Any]:
        """The statement's rows for the parks, filtered on ``column`` (a park id column)."""


def sum_tenants(
    rows: Rows, site_of: dict[int, tuple[int, str]], as_of: dt.date, years: list[int]
) -> dict[int, Tally]:
    """Each park's tally: head counts, HR institutions and leased area per site on ``as_of``;
    tenants present, reporting and their revenue per year. Summed by the database, or — past
    what SQLite can sum exactly in 64 bits (9×10¹⁶ 元) — the same rows added up here."""
    try:
        return _in_sql(rows, site_of, as_of, years)
    except SumOverflow:
        return _in_python(rows, site_of, as_of, years)


def _in_sql(
    rows: Rows, site_of: dict[int, tuple[int, str]], as_of: dt.date, years: list[int]
) -> dict[int, Tally]:
    """The tenant rows summed by the database; :class:`SumOverflow` when SQLite cannot sum
    a column exactly, then :func:`_in_python` gives the same sums."""
    area_sum, to_area = exact_sum(Tenant.leased_area_m2, rows.dialect)
    money_sum, to_money = exact_sum(TenantRevenue.amount_yuan, rows.dialect)
    site_stmt = (
        select(
            Tenant.site_id,
            func.count(),
            func.sum(case((Tenant.hr_class != "none", 1), else_=0)),
            area_sum,
            func.sum(case((Tenant.leased_area_m2.is_(None), 1), else_=0)),
            *(func.sum(case((Tenant.hr_class == c, 1), else_=0)) for c in _COUNTED),
        )
        .where(present_on(as_of))
        .group_by(Tenant.site_id)
    )
    site_tallies: dict[int, dict[str, SiteTally]] = defaultdict(dict)
    year_tallies: dict[int, dict[int, YearTally]] = defaultdict(dict)
    try:
        for site_id, present, hr, occupied, unknown, *by_class in rows.rows(
            Tenant.park_id, site_stmt
        ):
            park_id, code = site_of[site_id]
            site_tallies[park_id][code] = SiteTally(
                present, int(hr), to_area(occupied), int(unknown), *map(int, by_class)
            )
        for year in years:
            year_stmt = (
                select(
                    Tenant.park_id,
                    func.count(),
                    func.count(TenantRevenue.amount_yuan),
                    money_sum,
                )
                .select_from(Tenant)
                .outerjoin(
                    TenantRevenue,
                    and_(TenantRevenue.tenant_id == Tenant.id, TenantRevenue.year == year),
                )
                .where(present_during(year))
                .group_by(Tenant.park_id)
            )
            for park_id, present, reported, total in rows.rows(Tenant.park_id, year_stmt):
                year_tallies[park_id][year] = YearTally(present, reported, to_money(total))
    except OperationalError as exc:
        if "integer overflow" in str(exc.orig):
            raise SumOverflow(str(exc.orig)) from exc
        raise
    return _assemble(rows.ids, as_of, years, site_tallies, year_tallies)


def _in_python(
    rows: Rows, site_of: dict[int, tuple[int, str]], as_of: dt.date, years: list[int]
) -> dict[int, Tally]:
    """The same sums as :func:`_in_sql`, the rows chosen by the same SQL and added up here
    as exact Decimals (for sums past 9×10¹⁶ 元 on SQLite)."""
    site_acc: dict[int, dict[str, list[Any]]] = defaultdict(dict)
    stmt = select(Tenant.site_id, Tenant.hr_class, Tenant.leased_area_m2).where(present_on(as_of))
    for site_id, hr_class, area in rows.rows(Tenant.park_id, stmt):
        park_id, code = site_of[site_id]
        acc = site_acc[park_id].setdefault(code, [0, 0, Decimal(0), 0, 0, 0, 0])
        acc[0] += 1
        acc[1] += hr_class != "none"
        if area is None:
            acc[3] += 1
        else:
            acc[2] += area
        if hr_class in _COUNTED:
            acc[4 + _COUNTED.index(hr_class)] += 1
    site_tallies = {
        pid: {code: SiteTally(*acc) for code, acc in sites.items()}
        for pid, sites in site_acc.items()
    }
    year_tallies: dict[int, dict[int, YearTally]] = defaultdict(dict)
    for year in years:
        stmt = (
            select(Tenant.park_id, TenantRevenue.amount_yuan)
            .select_from(Tenant)
            .outerjoin(
                TenantRevenue,
                and_(TenantRevenue.tenant_id == Tenant.id, TenantRevenue.year == year),
            )
            .where(present_during(year))
        )
        sums: dict[int, list[Any]] = defaultdict(lambda: [0, 0, Decimal(0)])
        for park_id, amount in rows.rows(Tenant.park_id, stmt):
            acc = sums[park_id]
            acc[0] += 1
            if amount is not None:
                acc[1] += 1
                acc[2] += amount
        for park_id, acc in sums.items():
            year_tallies[park_id][year] = YearTally(*acc)
    return _assemble(rows.ids, as_of, years, site_tallies, year_tallies)


def _assemble(
    ids: Sequence[int], as_of: dt.date, years: list[int], site_tallies: Any, year_tallies: Any
) -> dict[int, Tally]:
    return {
        pid: Tally(
            as_of,
            dict(site_tallies.get(pid, {})),
            {y: year_tallies.get(pid, {}).get(y, YearTally()) for y in years},
        )
        for pid in ids
    }
