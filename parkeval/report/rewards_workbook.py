"""Rewards and budget as Excel workbooks (``rewards --xlsx``, ``budget --xlsx``), in the
pattern of :mod:`parkeval.report.workbook`: a bold frozen header, filters, money as exact
numbers in 元, text never a formula."""

from __future__ import annotations

from typing import Any

from parkeval.domain.rewards.budget import Budget
from parkeval.domain.rewards.results import BASIS_NAMES, REASONS
from parkeval.report.workbook import MONEY, Sheet, _book, _bytes

KIND_WORDS = {"firm": "企业", "park": "园区", "person": "个人"}


def _about(book: Any, title: str, year: int, warnings: list[str]) -> None:
    """The first sheet: which scheme and year, and every warning (a draft says so here)."""
    about = Sheet(book, "说明", ["项目", "内容"], [16, 90])
    about.row([("奖补方案", None), (title, None)])
    about.row([("年度", None), (year, "0")])
    for w in warnings:
        about.row([("注意", None), (w, None)])
    about.finish("A2")


def rewards_workbook(report: Any) -> bytes:
    """Three sheets: 说明 (scheme, year, warnings — a draft says so), the claims (可申报) and
    what was set aside (不予计入), one row each."""
    book = _book()
    _about(book, report.scheme_title, report.year, list(report.warnings))
    claims = Sheet(
        book, "可申报奖励",
        ["主体", "类型", "年度", "条款", "奖励项目", "计入金额（元）", "计算方式", "上限（元）",
         "核定金额（元）", "已拨付（元）", "此前已获（元）", "适用理由", "原文", "备注"],
        [24, 6, 6, 12, 24, 14, 16, 14, 14, 12, 14, 50, 50, 30],
    )  # fmt: skip
    aside = Sheet(
        book, "不予计入",
        ["主体", "类型", "年度", "条款", "奖励项目", "原因", "说明", "涉及金额（元）"],
        [24, 6, 6, 12, 24, 14, 60, 14],
    )  # fmt: skip
    for s in report.subjects:
        kind = KIND_WORDS.get(s.subject_kind, s.subject_kind)
        for c in s.claims:
            claims.row(
                [
                    (s.subject, None), (kind, None), (c.year, "0"), (c.article, None),
                    (c.title + (f"（{c.item}）" if c.item else ""), None), (c.amount, MONEY),
                    (BASIS_NAMES.get(c.basis, c.basis), None), (c.ceiling, MONEY),
                    (c.approved, MONEY), (c.paid, MONEY), (c.paid_before, MONEY), (c.why, None),
                    (c.wording, None), ("；".join(c.notes) or None, None),
                ]
            )  # fmt: skip
        for a in s.set_aside:
            aside.row(
                [
                    (s.subject, None), (kind, None), (a.year, "0"), (a.article, None),
                    (a.title + (f"（{a.item}）" if a.item else ""), None),
                    (REASONS.get(a.reason, a.reason), None), (a.detail, None), (a.amount, MONEY),
                ]
            )  # fmt: skip
    claims.finish()
    aside.finish()
    return _bytes(book)


def budget_workbook(b: Budget) -> bytes:
    """Four sheets: 说明 (scheme, year, warnings), funds against their caps, the claims by
    rule, and every line due."""
    book = _book()
    _about(book, b.scheme_title, b.year, list(b.warnings))
    funds = Sheet(
        book, "资金与上限",
        ["资金", "条款", "年度上限（元）", "应付（元）", "缺口（元）", "园区补贴上限（元）", "园区补贴（元）", "园区补贴缺口（元）"],
        [30, 16, 16, 16, 16, 16, 16, 16],
    )  # fmt: skip
    for f in b.funds:
        funds.row(
            [
                (f.name, None), (f.article, None), (f.cap, MONEY), (f.committed, MONEY),
                (f.shortfall, MONEY), (f.park_subsidy_cap, MONEY), (f.park_subsidy, MONEY),
                (f.park_subsidy_shortfall, MONEY),
            ]
        )  # fmt: skip
    funds.row(
        [("合计应付", None), (None, None), (None, None), (b.total_due, MONEY)] + [(None, None)] * 4
    )
    funds.finish("B2")
    rules = Sheet(book, "按项目", ["条款", "奖励项目", "项数", "本年应付（元）"], [14, 30, 8, 16])
    for r in b.rules:
        rules.row([(r.article, None), (r.title, None), (r.claims, "0"), (r.due, MONEY)])
    rules.finish("B2")
    lines = Sheet(
        book, "明细",
        ["主体", "类型", "园区", "条款", "奖励项目", "奖励年度", "奖励金额（元）", "本年应付（元）", "计算方式"],
        [24, 6, 14, 12, 26, 8, 14, 14, 16],
    )  # fmt: skip
    for x in b.lines:
        lines.row(
            [
                (x.subject, None), (KIND_WORDS.get(x.subject_kind, x.subject_kind), None),
                (x.park, None), (x.article, None), (x.title, None), (x.award_year, "0"),
                (x.amount, MONEY), (x.due, MONEY), (BASIS_NAMES.get(x.basis, x.basis), None),
            ]
        )  # fmt: skip
    lines.finish()
    return _bytes(book)
