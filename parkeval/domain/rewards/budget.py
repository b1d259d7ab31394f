"""A scheme's budget for a year, pure: every beneficiary's claims (replayed from the facts),
what falls due in the year (the year's awards and the instalments of earlier ones), against
every cap — per fund per year, the park subsidy within a fund — with over-commitment flagged
with its shortfall, never scaled down. Loans and transfers are shown beside, never summed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from parkeval.domain.rewards.compute import Population, plan, rewards_history
from parkeval.domain.rewards.facts import SubjectFacts
from parkeval.domain.rewards.results import Claim
from parkeval.domain.rewards.words import money
from parkeval.policy.scheme.model import Scheme


@dataclass
class BudgetLine:
    """One claim with something due in the budget year."""

    subject: str
    subject_kind: str
    park: str | None
    rule: str
    title: str
    article: str
    award_year: int
    amount: Decimal  # the award's whole amount
    due: Decimal  # what falls due in the budget year
    basis: str
    fund: str | None


@dataclass
class FundLine:
    """A fund's cap for the year against what is committed from it."""

    fund: str
    name: str
    article: str
    cap: Decimal | None  # None: the fund is not set for the year
    committed: Decimal
    shortfall: Decimal  # 0 when within the cap
    park_subsidy_cap: Decimal | None = None
    park_subsidy: Decimal = Decimal(0)
    park_subsidy_shortfall: Decimal = Decimal(0)


@dataclass
class RuleLine:
    """The claims of one rule due in the year."""

    rule: str
    title: str
    article: str
    claims: int
    due: Decimal


@dataclass
class Budget:
    """A scheme's budget for one year."""

    scheme: str
    scheme_title: str
    draft: bool
    year: int
    beneficiaries: int
    total_due: Decimal
    paid_in_year: Decimal
    lines: list[BudgetLine] = field(default_factory=list)
    funds: list[FundLine] = field(default_factory=list)
    rules: list[RuleLine] = field(default_factory=list)
    shown: dict[str, Decimal] = field(default_factory=dict)  # loans, transfers: never summed
    warnings: list[str] = field(default_factory=list)

    @property
    def over_committed(self) -> bool:
        """Whether any fund or park subsidy cap is exceeded."""
        return any(f.shortfall > 0 or f.park_subsidy_shortfall > 0 for f in self.funds)


def budget(
    scheme: Scheme,
    year: int,
    subjects: Iterable[SubjectFacts],
    population: Population | None = None,
) -> Budget:
    """The budget of ``scheme`` for ``year`` over every beneficiary given."""
    span = max((len(r.schedule or [1]) for r in scheme.rules), default=1)
    lines: list[BudgetLine] = []
    paid = Decimal(0)
    shown: dict[str, Decimal] = {}
    count = 0
    how = plan(scheme)
    for sf in subjects:
        count += 1
        history = rewards_history(scheme, sf, year, population, how)
        for result in history[-span:]:
            for claim in result.claims:
                due = claim.due_in(year)
                if due:
                    lines.append(_line(sf, claim, due))
        for f in sf.in_year("payment", year):
            paid += f.amount or Decimal(0)
        if sf.has("loan") or sf.has("transfer"):  # rare: shown in the order recorded
            for f in sf.facts:
                if f.kind in ("loan", "transfer") and f.fact_year == year:
                    shown[f.kind] = shown.get(f.kind, Decimal(0)) + (f.amount or Decimal(0))
    out = Budget(
        scheme.id, scheme.title, scheme.draft, year, count,
        sum((x.due for x in lines), Decimal(0)), paid, lines, shown=shown,
    )  # fmt: skip
    if scheme.draft:
        out.warnings.append(f"{scheme.title}是征求意见稿，尚未施行；预算仅供参考")
    start, end = scheme.start, scheme.end
    if start is not None and not start.year <= year <= end.year:
        out.warnings.append(f"{year}年不在{scheme.title}有效期（{start}至{end}）内")
    for fund in scheme.funds:
        committed = sum((x.due for x in lines if x.fund == fund.id), Decimal(0))
        in_years = fund.years[0] <= year <= fund.years[1]
        cap = fund.per_year if in_years else None
        line = FundLine(
            fund.id, fund.name, fund.article, cap, committed,
            max(committed - cap, Decimal(0)) if cap is not None else committed,
            fund.park_subsidy_cap,
        )  # fmt: skip
        if not in_years:
            out.warnings.append(
                f"{fund.name}只安排{fund.years[0]}—{fund.years[1]}年，{year}年无资金"
            )
        if fund.park_subsidy_cap is not None:
            line.park_subsidy = sum(
                (x.due for x in lines if x.fund == fund.id and x.subject_kind == "park"), Decimal(0)
            )
            line.park_subsidy_shortfall = max(line.park_subsidy - fund.park_subsidy_cap, Decimal(0))
        if line.shortfall > 0:
            out.warnings.append(
                f"{fund.name}{year}年超额承诺：应付{money(committed)}，上限{money(cap or 0)}，缺口{money(line.shortfall)}（未按比例压减）"
            )
        if line.park_subsidy_shortfall > 0:
            out.warnings.append(
                f"产业园建设补贴{year}年超过上限{money(fund.park_subsidy_cap or 0)}，缺口{money(line.park_subsidy_shortfall)}"
            )
        out.funds.append(line)
    by_rule: dict[str, RuleLine] = {}
    for x in lines:
        r = by_rule.setdefault(x.rule, RuleLine(x.rule, x.title, x.article, 0, Decimal(0)))
        r.claims += 1
        r.due += x.due
    out.rules = [by_rule[r.id] for r in scheme.rules if r.id in by_rule]
    return out


def _line(sf: SubjectFacts, claim: Claim, due: Decimal) -> BudgetLine:
    return BudgetLine(
        sf.subject, sf.subject_kind, sf.park, claim.rule, claim.title, claim.article,
        claim.year, claim.amount, due, claim.basis, claim.fund,
    )  # fmt: skip
