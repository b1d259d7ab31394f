"""The numbers an article's wording gives, as a reward scheme file reads them: money (10万元,
1亿元, 10—20万元, 1 万), people and firms (20人, 10家, 10名), months and years (满6个月, 满一年,
每两年), percentages (40%). The loader checks every amount, threshold, cap and quota of a rule
against them, and the comparison word of every condition against the operator it means.
"""

from __future__ import annotations

import re
from decimal import Decimal

from parkeval.policy.vocabulary import WORDING_OPS, parse_chinese_number

_NUM = r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+"
_RANGE_RE = re.compile(
    rf"(?P<a>{_NUM})\s*(?P<sa>万|亿)?\s*(?:元)?\s*[—–\-~～至到]\s*(?P<b>{_NUM})\s*(?P<sb>万|亿)?\s*(?P<u>元)?"
)
_QTY_RE = re.compile(
    rf"(?P<n>{_NUM})\s*(?P<s>千万|万|亿)?\s*(?P<u>元|人|家|个月|个|名|年|%|％|倍)?"
)
_SCALE = {"千万": 10_000_000, "万": 10_000, "亿": 100_000_000}
_FAMILY = {
    "元": "money",
    "人": "count",
    "家": "count",
    "个": "count",
    "名": "count",
    "个月": "months",
    "年": "years",
    "%": "percent",
    "％": "percent",
}

# Comparison words of the reward documents beyond those of the policies: 满/达/达到 and the
# inclusive 含/包含 (及以上) include the number; 不含/不包含 exclude it.
SCHEME_WORDS: dict[str, str] = {
    **WORDING_OPS,
    "满": ">=",
    "达": ">=",
    "包含": ">=",
    "含": ">=",
    "及以上": ">=",
    "不含": "<",
    "不包含": "<",
}


def _value(number: str) -> Decimal | None:
    if number[0].isdigit():
        return Decimal(number)
    try:
        return Decimal(parse_chinese_number(number))
    except ValueError:
        return None


def numbers_in_wording(wording: str) -> dict[str, set[Decimal]]:
    """Every quantity of the wording by family: money in 元, counts, months (a year counts as
    12 months too), years, and percentages as fractions (40% → 0.4). A number with 万/亿 and no
    unit is money (1 万); a range 10—20万元 gives both ends."""
    out: dict[str, set[Decimal]] = {
        f: set() for f in ("money", "count", "months", "years", "percent")
    }
    for m in _RANGE_RE.finditer(wording):
        scale = m.group("sb") or m.group("sa")
        if scale is None and m.group("u") is None:
            continue
        for key, own in (("a", "sa"), ("b", "sb")):
            v = _value(m.group(key))
            if v is not None:
                out["money"].add(
                    v * _SCALE[m.group(own) or scale] if (m.group(own) or scale) else v
                )
    for m in _QTY_RE.finditer(wording):
        value = _value(m.group("n"))
        scale, unit = m.group("s"), m.group("u")
        if value is None or (scale is None and unit is None):
            continue
        if scale:
            value *= _SCALE[scale]
        family = "money" if unit is None else _FAMILY.get(unit)
        if family is None:
            continue
        if family == "percent":
            value /= 100
        out[family].add(value)
        if family == "years":
            out["months"].add(value * 12)
    return out
