"""What a rewards calculation returns: claims (what a beneficiary can claim, with the amount or
ceiling, the article and its wording, and why it applies) and set-asides (what it cannot, with
the reason), per year; and the words for the reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

REASONS = {
    "not_first": "非首次",
    "lower_in_group": "同类奖励已就高",
    "excluded": "不予享受政策",
    "outside_validity": "不在政策有效期内",
    "cap_reached": "已达上限",
    "quota_full": "名额已满",
    "already_received": "已享受（一次性）",
    "not_higher_tier": "未升档",
    "unmet": "条件未满足",
    "missing_data": "缺少数据，无法判断",
}
BASIS_NAMES = {
    "fixed": "定额",
    "ceiling": "最高限额（待核定）",
    "range": "区间（待核定，按上限计入预算）",
    "approved": "核定金额",
    "computed": "按标准计算",
    "top_up": "升档补差",
}


@dataclass
class Claim:
    """An award a beneficiary can claim for a year. ``amount`` is what counts (the approved
    amount once recorded, else the fixed amount, the ceiling or the top of the range);
    ``ceiling``/``minimum`` are the document's bounds; ``schedule`` the payments by year."""

    rule: str
    title: str
    article: str
    wording: str
    year: int
    amount: Decimal
    basis: str
    why: str
    subject: str = ""
    subject_kind: str = "firm"
    item: str | None = None
    ceiling: Decimal | None = None
    minimum: Decimal | None = None
    approved: Decimal | None = None
    paid_before: Decimal | None = None
    tier: int | None = None  # the revenue tier (1 = the lowest), for tier rules
    paid: Decimal = Decimal(0)
    fund: str | None = None
    group: str | None = None
    schedule: list[tuple[int, Decimal]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def due_in(self, year: int) -> Decimal:
        """What falls due in a year under the payment schedule."""
        return sum((a for y, a in self.schedule if y == year), Decimal(0))


@dataclass
class SetAside:
    """An award a beneficiary cannot claim for a year, and why (``reason`` is a key of
    :data:`REASONS`, ``detail`` the sentence)."""

    rule: str
    title: str
    article: str
    year: int
    reason: str
    detail: str
    subject: str = ""
    item: str | None = None
    amount: Decimal | None = None


@dataclass
class SubjectRewards:
    """The rewards of one beneficiary for one year under one scheme."""

    scheme: str
    scheme_title: str
    draft: bool
    subject: str
    subject_kind: str
    year: int
    claims: list[Claim] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)
    shown: list[dict[str, object]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        """The sum of what the claims count."""
        return sum((c.amount for c in self.claims), Decimal(0))
