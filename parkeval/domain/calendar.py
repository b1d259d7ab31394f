"""Dates checked against the calendar: nothing recorded happens after today, a year is rated
only once it has ended, and a certification period is chosen explicitly when it is unfinished.

Each check raises a :class:`~parkeval.errors.ParkevalError` (exit 2) with a sentence that says
what is wrong and what to do instead.
"""

from __future__ import annotations

import datetime as dt

from parkeval.errors import ParkevalError


def check_not_after_today(day: dt.date, today: dt.date, what: str) -> dt.date:
    """``day`` itself, or an error when it lies after ``today`` (``what``: 评定日期, 认定日期 …)."""
    if day > today:
        raise ParkevalError(
            f"{what} {day} 晚于今天（{today}）：不能记录尚未发生的事",
            hint="请核对日期；事情发生后再记录。",
        )
    return day


def check_year_ended(year: int, today: dt.date, what: str) -> int:
    """``year`` itself, or an error when the year has not ended by ``today``."""
    if dt.date(year, 12, 31) >= today:
        raise ParkevalError(
            f"{year} 年尚未结束（今天是 {today}）：不能{what}",
            hint=f"{year} 年结束后再办理；年中自查请用 parkeval certify 并以 --as-of 指明统计日。",
        )
    return year


def check_rated_after_period(year: int, rated_on: dt.date, period: str) -> None:
    """An official rating is given after the period it rates has ended (gx 第十三条: in the
    first quarter of the following year)."""
    if rated_on <= dt.date(year, 12, 31):
        raise ParkevalError(
            f"评定日期 {rated_on} 不晚于考核期（{period}）结束之日 {year}-12-31：考核期结束后才能评定等次",
            hint="请核对 --year（考核覆盖的最后一个年度）和 --date（评定日期）。",
        )


def certification_period(
    year: int | None, as_of: dt.date | None, *, today: dt.date
) -> tuple[int, dt.date]:
    """Resolve ``--year``/``--as-of`` for a certification, refusing what cannot be true.

    Neither given: as of today, for the last complete calendar year. Only ``--year``: as of
    31 December of that year, which must have ended. Only ``--as-of``: the year ending on that
    day if it is 31 December, else the year before. Both: a mid-year self-check is allowed
    (the result says the revenue year is incomplete). A head-count day after today, or a
    revenue year that has not begun, is refused.
    """
    if as_of is not None and as_of > today:
        raise ParkevalError(
            f"统计日 {as_of} 晚于今天（{today}）：只能统计已经发生的入驻情况",
            hint="请用今天或更早的日期作为 --as-of。",
        )
    if year is not None and year > today.year:
        raise ParkevalError(f"营业收入年度 {year} 尚未开始（今天是 {today}）")
    if year is not None and as_of is None and dt.date(year, 12, 31) >= today:
        raise ParkevalError(
            f"{year} 年尚未结束：不能按全年核查营业收入",
            hint=f"年中自查请用 --as-of 指明统计日（如 --as-of {today}），结果会注明营业收入年度未结束；"
            f"或核查上一完整年度（--year {today.year - 1}）。",
        )
    if as_of is None:
        as_of = dt.date(year, 12, 31) if year is not None else today
    if year is None:
        year = as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1
    return year, as_of
