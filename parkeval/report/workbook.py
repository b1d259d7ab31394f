"""Results as Excel workbooks, for bureaus that work in Excel: ``certify --all --xlsx``,
``status --all --xlsx`` and ``due --all --xlsx``.

Each sheet has one row per park (or per park and item), a frozen bold header, filters, and
numbers as numbers: money as the exact decimal in 元 (format ``#,##0.00``), ratios as
fractions with a percentage format, counts as integers, dates as dates. No cell holds a
formula: text from dossiers (a park or tenant named ``=cmd|' /C calc'!A0``) is written as a
string cell marked with Excel's quote prefix, so Excel shows it as text and does not
evaluate it even after the cell is edited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from io import BytesIO
from typing import Any

from parkeval.domain.goals import GOAL_DUE_PREFIX, GOAL_DUE_SOURCE
from parkeval.domain.results import CertificationResult, CriterionResult
from parkeval.domain.wording import (
    FLAG_NAMES,
    STATE_NAMES,
    STATUS_NAMES,
    VERDICT_NAMES,
    cycle_period_name,
    display_percent,
    required_text,
)
from parkeval.policy.model import OP_WORDS, Metric, Policy

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
STATUS_ORDER = {"fail": 0, "unknown": 1, "warn": 2, "waived": 3, "pass": 4}
MONEY, PERCENT, AREA, COUNT, DATE = "#,##0.00", "0.0%", "#,##0.00", "0", "yyyy-mm-dd"


def _number(value: Any) -> Decimal | int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, (int, Decimal)):
        return value
    return Decimal(str(value))


class Sheet:
    """One worksheet written row by row: safe text, typed numbers, a styled header."""

    def __init__(self, book: Any, title: str, headers: Sequence[str], widths: Sequence[int]):
        from openpyxl.styles import Alignment, Font, PatternFill

        self.ws = book.create_sheet(title)
        for col, (name, width) in enumerate(zip(headers, widths, strict=True), 1):
            cell = self.ws.cell(row=1, column=col)
            self.text(cell, name)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="EDF2F7")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            letter = cell.column_letter
            self.ws.column_dimensions[letter].width = width
        self.columns = len(headers)

    @staticmethod
    def text(cell: Any, value: str) -> None:
        """A string cell, never a formula (Excel's quote prefix on text that starts like one)."""
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True

    def row(self, values: Iterable[tuple[Any, str | None]]) -> None:
        """Append a row of (value, number format) pairs: str → text, numbers typed. A row has
        exactly one value per header (None for an empty cell), so no value shifts column."""
        cells = list(values)
        if len(cells) != self.columns:
            raise ValueError(f"{self.ws.title}: {len(cells)} values for {self.columns} columns")
        r = self.ws.max_row + 1
        for col, (value, fmt) in enumerate(cells, 1):
            cell = self.ws.cell(row=r, column=col)
            if value is None:
                continue
            if isinstance(value, str):
                self.text(cell, value)
            elif isinstance(value, bool):
                self.text(cell, "是" if value else "否")
            elif isinstance(value, (dt.date, dt.datetime)):
                cell.value = value
                cell.number_format = fmt or DATE
            else:
                cell.value = _number(value)
                if fmt:
                    cell.number_format = fmt

    def finish(self, freeze: str = "C2") -> None:
        """Freeze the header and the first columns, and filter on every column."""
        from openpyxl.utils import get_column_letter

        self.ws.freeze_panes = freeze
        self.ws.auto_filter.ref = f"A1:{get_column_letter(self.columns)}{max(self.ws.max_row, 1)}"


def _book() -> Any:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    return book


def _bytes(book: Any) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _format(metric: str | None) -> str | None:
    return {
        Metric.revenue.value: MONEY,
        Metric.building_area.value: AREA,
        Metric.occupancy.value: PERCENT,
        Metric.revenue_growth.value: PERCENT,
        Metric.hr_institutions.value: COUNT,
        Metric.branch_sites.value: COUNT,
    }.get(metric or "")


def _actual_format(c: CriterionResult) -> str | None:
    """The number format of a criterion's actual: a ratio with as many decimals as the words
    use (59.99%, never 60.0% for a ratio short of 60%)."""
    fmt = _format(c.metric)
    if fmt != PERCENT or c.actual is None:
        return fmt
    shown = display_percent(c.actual, c.threshold).rstrip("%")
    places = len(shown.partition(".")[2])
    return "0." + "0" * max(places, 1) + "%"


def _actual(c: CriterionResult) -> Any:
    if c.kind == "qualitative":
        return None if c.actual is None else ("满足" if c.actual else "不满足")
    return c.actual


def _columns(results: Sequence[CertificationResult], policy: Policy) -> list[tuple[str, str]]:
    """(criterion id, title) in the policy's order, for every criterion some park was checked on."""
    seen = {c.id for r in results for c in r.criteria}
    return [(c.id, c.title) for c in policy.criteria if c.id in seen]


def _worst(found: list[CriterionResult]) -> CriterionResult:
    """A branch criterion checked once per branch site: the site that fares worst."""
    return min(found, key=lambda c: (STATUS_ORDER.get(c.status, 9), _number(c.actual) or 0))


def certification_workbook(results: Sequence[CertificationResult], policy: Policy) -> bytes:
    """``certify --all --xlsx``: a row per park with each criterion's actual, requirement and
    status and the gaps in words; and a sheet with one row per park and criterion (and site)."""
    book = _book()
    columns = _columns(results, policy)
    head = ["园区编码", "园区名称", "结论", "营业收入年度", "统计日", "差距与说明"]
    widths = [14, 30, 22, 10, 12, 60]
    for _id, title in columns:
        head += [f"{title}：实际", f"{title}：要求", f"{title}：状态"]
        widths += [16, 16, 9]
    wide = Sheet(book, "认定核查", head, widths)
    for r in results:
        by_id: dict[str, list[CriterionResult]] = {}
        for c in r.criteria:
            by_id.setdefault(c.id, []).append(c)
        gaps = "；".join(
            f"{c.title}：{c.gap or c.note}"  # a branch criterion's title names its site
            for c in r.criteria
            if c.gap or (c.note and c.status != "pass")
        )
        values: list[tuple[Any, str | None]] = [
            (r.park, None),
            (r.park_name, None),
            (VERDICT_NAMES[r.verdict], None),
            (r.year, COUNT),
            (r.as_of, DATE),
            (gaps, None),
        ]
        for cid, _title in columns:
            found = by_id.get(cid)
            if not found:
                values += [(None, None)] * 3
                continue
            c = _worst(found)
            values += [
                (_actual(c), _actual_format(c)),
                (_requirement(c), _format(c.metric)),
                (STATUS_NAMES[c.status], None),
            ]
        wide.row(values)
    wide.finish()
    long = Sheet(
        book,
        "逐项明细",
        [
            "园区编码",
            "园区名称",
            "条款",
            "条件",
            "分园区",
            "比较",
            "要求",
            "实际",
            "状态",
            "差距与说明",
        ],
        [14, 30, 12, 34, 14, 8, 16, 16, 9, 60],
    )
    titles = {c.id: c.title for c in policy.criteria}
    for r in results:
        for c in r.criteria:
            long.row(
                [
                    (r.park, None),
                    (r.park_name, None),
                    (c.article, None),
                    (titles.get(c.id, c.title), None),
                    (_site_name(c, titles), None),
                    (OP_WORDS.get(c.op or "", ""), None),
                    (_requirement(c), _format(c.metric)),
                    (_actual(c), _actual_format(c)),
                    (STATUS_NAMES[c.status], None),
                    (c.gap or c.note or "", None),
                ]
            )
    long.finish()
    return _bytes(book)


def _site_name(c: CriterionResult, titles: dict[str, str]) -> str:
    """The branch site a criterion was checked on, by name ("" for the park as a whole): a
    branch criterion's title is the policy's title followed by （site name）."""
    if not c.site:
        return ""
    base = titles.get(c.id, "")
    if base and c.title.startswith(base + "（") and c.title.endswith("）"):
        return c.title[len(base) + 1 : -1]
    return c.title


def _requirement(c: CriterionResult) -> Any:
    """The threshold as a number (a ratio stays a fraction, shown as a percentage); the words
    for a qualitative criterion."""
    return required_text(c) if c.kind == "qualitative" else c.threshold


def status_workbook(statuses: Sequence[Any], names: dict[str, str], registry: Any) -> bytes:
    """``status --all --xlsx``: a row per park and title with its state, dates, flags and latest
    rating; parks without a title get one row saying so."""
    book = _book()
    sheet = Sheet(
        book,
        "认定状态",
        [
            "园区编码",
            "园区名称",
            "政策",
            "认定状态",
            "认定日期",
            "取消日期",
            "取消原因",
            "整改期限",
            "表扬与支持",
            "最近一次正式评定",
            "评定结果",
            "评定日期",
            "评定单位",
            "待办事项",
            "其中逾期",
        ],
        [14, 30, 30, 10, 12, 12, 30, 12, 24, 20, 9, 12, 28, 9, 9],
    )
    for s in statuses:
        if not s.certifications:
            sheet.row(
                [(s.park, None), (names.get(s.park, ""), None), ("", None), ("尚无认定", None)]
                + [(None, None)] * (sheet.columns - 4)
            )
            continue
        for c in s.certifications:
            policy = registry.policies.get(c.policy)
            ratings = [h for h in c.history if h.cycle != "recognition"]
            last = max(ratings, key=lambda h: h.date or dt.date.min) if ratings else None
            cycle = (
                next((y for y in policy.cycles if last and y.id == last.cycle), None)
                if policy
                else None
            )
            due = [d for d in s.due if d.policy == c.policy]
            sheet.row(
                [
                    (s.park, None),
                    (names.get(s.park, ""), None),
                    (policy.short_title or policy.title if policy else c.policy, None),
                    (STATE_NAMES.get(c.state, c.state), None),
                    (c.certified_on, DATE),
                    (c.revoked_on, DATE),
                    (c.revoke_reason or "", None),
                    (c.rectification_due, DATE),
                    ("；".join(FLAG_NAMES.get(f, f) for f in c.flags), None),
                    (
                        cycle_period_name(cycle, int(str(last.period).split("-")[-1]))
                        if cycle and last and last.period
                        else "",
                        None,
                    ),
                    (last.rating if last else "", None),
                    (last.date if last else None, DATE),
                    (last.by or "" if last else "", None),
                    (len(due), COUNT),
                    (sum(1 for d in due if d.overdue), COUNT),
                ]
            )
    sheet.finish()
    return _bytes(book)


def due_workbook(dues: Sequence[Any], names: dict[str, str], registry: Any) -> bytes:
    """``due --all --xlsx``: one row per park and item due, overdue first by date."""
    book = _book()
    sheet = Sheet(
        book,
        "待办事项",
        ["园区编码", "园区名称", "政策", "事项", "期限", "状态", "依据条款"],
        [14, 30, 30, 40, 12, 9, 12],
    )
    for d in dues:
        for item in d.due:
            policy = registry.policies.get(item.policy)
            source = policy.short_title or policy.title if policy else item.policy
            if item.what.startswith(GOAL_DUE_PREFIX):  # its document is named in the item
                source = GOAL_DUE_SOURCE
            sheet.row(
                [
                    (d.park, None),
                    (names.get(d.park, ""), None),
                    (source, None),
                    (item.what, None),
                    (item.due_date, DATE),
                    ("已逾期" if item.overdue else "未到期", None),
                    (item.article, None),
                ]
            )
    sheet.finish()
    return _bytes(book)
