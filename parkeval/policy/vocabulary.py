"""The vocabulary a policy file is written in: the metrics the rules compute, the comparison
words of the original wording and the operators they mean, the levels of recognition, and how
place names are compared.
"""

from __future__ import annotations

import operator
import re
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Literal


class Metric(StrEnum):
    """The fixed vocabulary of quantities the engine computes."""

    building_area = "building_area"  # ㎡, sum of the sites in scope
    hr_institutions = "hr_institutions"  # HR service institutions present at the date
    occupancy = "occupancy"  # occupied (leased) area ÷ building area
    revenue = "revenue"  # 元, tenants' 营业收入 for the year
    revenue_growth = "revenue_growth"  # revenue(Y) ÷ revenue(Y−1)
    branch_sites = "branch_sites"  # number of branch sites


METRIC_UNITS = {
    Metric.building_area: "㎡",
    Metric.hr_institutions: "家",
    Metric.occupancy: "%",
    Metric.revenue: "元",
    Metric.revenue_growth: "倍",
    Metric.branch_sites: "个",
}
METRIC_NAMES = {
    Metric.building_area: "建筑面积",
    Metric.hr_institutions: "人力资源服务机构数量",
    Metric.occupancy: "入驻面积占比",
    Metric.revenue: "年营业收入",
    Metric.revenue_growth: "营业收入增长",
    Metric.branch_sites: "分园区数量",
}
PARK_ONLY_METRICS = {Metric.revenue, Metric.revenue_growth, Metric.branch_sites}

Op = Literal[">=", ">", "<=", "<"]

# 民法典 第一千二百五十九条: 以上、以下、以内、届满 include the number; 不满、超过、以外 do not.
# Longest words first, so 不超过 is read before 超过 and 不低于 before 低于.
WORDING_OPS: dict[str, str] = {
    "不少于": ">=",
    "不低于": ">=",
    "不超过": "<=",
    "不高于": "<=",
    "不多于": "<=",
    "不满": "<",
    "以上": ">=",
    "以下": "<=",
    "达到": ">=",
    "超过": ">",
    "低于": "<",
    "高于": ">",
    "多于": ">",
}
_WORDING_RE = re.compile("|".join(sorted(WORDING_OPS, key=len, reverse=True)))
OP_WORDS = {">=": "不低于", ">": "高于", "<=": "不超过", "<": "低于"}


def ops_in_wording(wording: str) -> list[tuple[str, str]]:
    """The comparison words in a criterion's wording and the operator each means."""
    return [(m.group(0), WORDING_OPS[m.group(0)]) for m in _WORDING_RE.finditer(wording)]


_COMPARE = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


def compare(actual: Fraction | Decimal | int, op: str, threshold: Fraction | Decimal | int) -> bool:
    """Exact comparison: Decimals and ints compare exactly as they are; a ratio (Fraction)
    is compared as a Fraction."""
    if isinstance(actual, Fraction) or isinstance(threshold, Fraction):
        actual, threshold = Fraction(actual), Fraction(threshold)
    return bool(_COMPARE[op](actual, threshold))


# Administrative suffixes dropped when names are compared: 广西壮族自治区 = 广西, 包头市 = 包头.
_PLACE_SUFFIX = re.compile(r"(?:(?:壮族|回族|维吾尔)?自治区|特别行政区|自治州|地区|省|市|盟)$")


def place_key(name: str | None) -> str | None:
    """A place name reduced for comparison (广西壮族自治区 → 广西, 包头市 → 包头); None if empty."""
    if name is None:
        return None
    text = re.sub(r"\s+", "", name)
    return _PLACE_SUFFIX.sub("", text) or None


# The levels of recognition; each issuer names its own (``level_name``: 自治区级, 直辖市级 …).
LEVELS = ("national", "provincial", "city", "county")
LEVEL_ALIASES = {"regional": "provincial"}  # the older name of provincial, still accepted
