"""Scoring a period with a policy's rubric (a local setting) and proposing a rating.

The documents name the five dimensions of an assessment (平台建设、政策体系、管理运营、
服务保障、经济社会效益) but give no weights or cut-offs; those come from the policy file's
``local_settings.rubric`` and every result says so (``local_setting``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from parkeval.errors import ParkevalError
from parkeval.policy.model import Policy, Rubric


class ScoredCriterion(Protocol):
    """What the rubric reads of a criterion's finding."""

    id: str
    title: str
    status: str
    strictness: str


@dataclass
class ScoredItem:
    item: str  # a criterion's title, or a target metric's id
    kind: str  # criterion | target
    status: str  # the criterion's status, or "attainment"
    score: Decimal  # 0–1


@dataclass
class DimensionScore:
    id: str
    name: str
    weight: Decimal
    score: Decimal  # 0–100
    items: list[ScoredItem] = field(default_factory=list)
    note: str | None = None


@dataclass
class RubricScore:
    score: Decimal  # weighted total, 0–100
    rating: str  # the proposed 优秀/合格/不合格
    capped: str | None  # why 优秀 was lowered to 合格, if it was
    dimensions: list[DimensionScore]
    cutoffs: dict[str, Decimal]
    local_setting: bool
    note: str


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


ITEM_SCORES = {
    "pass": Decimal(1),
    "waived": Decimal(1),
    "warn": Decimal("0.5"),
    "fail": Decimal(0),
    "unknown": Decimal(0),
}


def propose_rating(
    policy: Policy, criteria: Sequence[ScoredCriterion], attainment: Mapping[str, Decimal | None]
) -> RubricScore:
    """Score the five dimensions with the policy's rubric (a local setting) and propose a rating.

    ``criteria`` are the certification results for the period; ``attainment`` maps a target
    metric to actual ÷ target (None when there is no target or no actual). A criterion scores
    1 when met or waived, ½ for an in-principle warning, 0 when failed or unknown; a target
    scores its attainment, capped at 1. A park failing a mandatory threshold is never
    proposed 优秀.
    """
    setting = policy.local_settings.get("rubric")
    if setting is None:
        raise ParkevalError(
            f"政策 {policy.id} 没有评分办法（local_settings.rubric）",
            hint="在政策文件的 local_settings 中加入 rubric（五个维度的权重与分数线）",
        )
    rubric = Rubric.model_validate(setting.value)
    dimensions = []
    total = Decimal(0)
    for d in rubric.dimensions:
        items: list[ScoredItem] = []
        for c in criteria:
            if c.id in d.criteria:
                items.append(
                    ScoredItem(
                        c.title, "criterion", c.status, ITEM_SCORES.get(c.status, Decimal(0))
                    )
                )
        for metric in d.targets:
            value = attainment.get(metric)
            if value is not None:
                items.append(
                    ScoredItem(metric, "target", "attainment", min(Decimal(value), Decimal(1)))
                )
        score = (
            _q(Decimal(100) * sum((i.score for i in items), Decimal(0)) / len(items))
            if items
            else Decimal(0)
        )
        total += Decimal(d.weight) * score / Decimal(100)
        dimensions.append(
            DimensionScore(
                d.id, d.name, d.weight, score, items, None if items else "无可评分项，计 0 分"
            )
        )
    total = _q(total)
    rating = (
        "优秀" if total >= rubric.excellent else "合格" if total >= rubric.passing else "不合格"
    )
    capped = None
    failed = [c for c in criteria if c.status == "fail" and c.strictness == "mandatory"]
    if rating == "优秀" and failed:
        rating = "合格"
        capped = "未达到必备条件（" + "、".join(c.title for c in failed) + "），不能评为优秀"
    return RubricScore(
        total,
        rating,
        capped,
        dimensions,
        {"优秀": rubric.excellent, "合格": rubric.passing},
        True,
        setting.note,
    )
