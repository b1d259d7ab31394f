"""The 奖补测算表 (a firm, or a park and its firms) and the 奖补预算报告 as PDF/A, in the house
style of the other reports (``report.css``, the running header, the signature block), with the
result's JSON attached. Each context is built from the result alone, in words."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from parkeval.domain.rewards.budget import Budget
from parkeval.domain.rewards.results import BASIS_NAMES, REASONS
from parkeval.domain.rewards.words import money

KIND_WORDS = {"firm": "企业", "park": "园区", "person": "个人"}
SHOWN_WORDS = {"loan": "贷款", "transfer": "财政体制结算"}


@dataclass
class SheetContext:
    """Everything ``rewards.html`` uses."""

    title: str
    heading: str
    scheme_title: str
    document: str | None
    year: int
    today: str
    report_id: str
    font_face: Any  # the @font-face rule, as markup (not escaped)
    warnings: list[str]
    subjects: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class BudgetContext:
    """Everything ``budget.html`` uses."""

    title: str
    scheme_title: str
    document: str | None
    year: int
    today: str
    report_id: str
    font_face: Any  # the @font-face rule, as markup (not escaped)
    warnings: list[str]
    beneficiaries: int
    total_due: str
    paid: str
    funds: list[dict[str, Any]]
    rules: list[dict[str, Any]]
    shown: list[str]


def _id(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()[:16]


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def sheet_context(
    report: Any, scheme: Any, *, today: dt.date, payload: bytes, font_face: str
) -> SheetContext:
    """The 奖补测算表's words from a rewards report."""
    heading = (
        report.subjects[0].subject
        if len(report.subjects) == 1
        else f"{len(report.subjects)} 个受益主体"
    )
    ctx = SheetContext(
        f"奖补测算表（{report.year}年度）", heading, report.scheme_title, scheme.document, report.year,
        _date(today), _id(payload), font_face, list(report.warnings),
    )  # fmt: skip
    for s in report.subjects:
        claims = []
        for c in s.claims:
            amount = money(c.amount)
            if c.basis == "range" and c.minimum is not None:
                amount = f"{money(c.minimum)}—{money(c.amount)}"
            title = c.title + (f"（{c.item}）" if c.item else "")
            claims.append({"article": c.article, "title": title, "wording": c.wording, "amount": amount,
                           "basis": BASIS_NAMES.get(c.basis, c.basis), "why": c.why, "notes": c.notes})  # fmt: skip
        ctx.subjects.append(
            {
                "name": s.subject,
                "kind": KIND_WORDS.get(s.subject_kind, s.subject_kind),
                "total": money(s.total),
                "claims": claims,
                "set_aside": [
                    {
                        "article": a.article,
                        "title": a.title + (f"（{a.item}）" if a.item else ""),
                        "reason": REASONS.get(a.reason, a.reason),
                        "detail": a.detail,
                    }  # fmt: skip
                    for a in s.set_aside
                ],
                "shown": [f"{SHOWN_WORDS[x['kind']]}{money(x['amount'] or 0)}" for x in s.shown],
            }
        )
    return ctx


def budget_context(
    b: Budget, scheme: Any, *, today: dt.date, payload: bytes, font_face: str
) -> BudgetContext:
    """The budget report's words from a budget."""
    funds = []
    for f in b.funds:
        over = f.shortfall > 0 or f.park_subsidy_shortfall > 0
        if f.cap is None:
            verdict = "本年未安排资金"
        elif f.shortfall > 0:
            verdict = f"超额承诺，缺口{money(f.shortfall)}"
        else:
            verdict = f"未超出，尚余{money(f.cap - f.committed)}"
        if f.park_subsidy_cap is not None:
            verdict += f"；其中园区补贴{money(f.park_subsidy)}（上限{money(f.park_subsidy_cap)}"
            verdict += (
                f"，缺口{money(f.park_subsidy_shortfall)}）" if f.park_subsidy_shortfall else "）"
            )
        funds.append({"name": f.name, "article": f.article, "cap": money(f.cap) if f.cap is not None else "—",
                      "committed": money(f.committed), "verdict": verdict, "over": over})  # fmt: skip
    return BudgetContext(
        f"奖补预算报告（{b.year}年度）", b.scheme_title, scheme.document, b.year, _date(today), _id(payload),
        font_face, list(b.warnings), b.beneficiaries, money(b.total_due), money(b.paid_in_year), funds,
        [{"article": r.article, "title": r.title, "claims": r.claims, "due": money(r.due)} for r in b.rules],
        [f"{SHOWN_WORDS[k]}{money(v)}" for k, v in b.shown.items()],
    )  # fmt: skip


# The names of the JSON attached to each kind of document (verify recognises them by these).
REWARDS_ATTACHMENT = "parkeval-rewards.json"
BUDGET_ATTACHMENT = "parkeval-budget.json"
UNVERIFIABLE = {REWARDS_ATTACHMENT: "奖补测算表", BUDGET_ATTACHMENT: "奖补预算报告"}


def rewards_pdf(report: Any, scheme: Any, *, today: dt.date) -> bytes:
    """The 奖补测算表 as PDF/A bytes, the report's JSON attached."""
    from markupsafe import Markup

    from parkeval.jsonout import dumps
    from parkeval.report.render import font_face_css, render_html, render_pdf

    payload = dumps(report).encode("utf-8")
    ctx = sheet_context(
        report, scheme, today=today, payload=payload, font_face=Markup(font_face_css())
    )
    pdf, _, _ = render_pdf(
        render_html("rewards.html", ctx),
        attachment=payload,
        attachment_name=REWARDS_ATTACHMENT,
    )
    assert pdf is not None
    return pdf


def budget_pdf(b: Budget, scheme: Any, *, today: dt.date) -> bytes:
    """The budget report as PDF/A bytes, the budget's JSON attached."""
    from markupsafe import Markup

    from parkeval.jsonout import dumps
    from parkeval.report.render import font_face_css, render_html, render_pdf

    payload = dumps(b).encode("utf-8")
    ctx = budget_context(b, scheme, today=today, payload=payload, font_face=Markup(font_face_css()))
    pdf, _, _ = render_pdf(
        render_html("budget.html", ctx), attachment=payload, attachment_name=BUDGET_ATTACHMENT
    )
    assert pdf is not None
    return pdf
