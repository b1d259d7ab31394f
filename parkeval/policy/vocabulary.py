"""The vocabulary a policy file is written in: the metrics the rules compute, the kinds of
area and the classes of institution a criterion may name, the comparison words of the original
wording and the operators they mean, the numbers and units in that wording, the levels of
recognition, and how place names are compared.
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

    building_area = "building_area"  # ㎡ of 建筑面积, sum of the sites in scope
    area = "area"  # ㎡ of the criterion's ``area_kind`` (使用面积, 产权面积 …), sum of the sites
    hr_institutions = "hr_institutions"  # HR service institutions present at the date
    occupancy = "occupancy"  # occupied (leased) area ÷ building area
    revenue = "revenue"  # 元, tenants' 营业收入 for the year
    revenue_growth = "revenue_growth"  # revenue(Y) ÷ revenue(Y−1)
    branch_sites = "branch_sites"  # number of branch sites


METRIC_UNITS = {
    Metric.building_area: "㎡",
    Metric.area: "㎡",
    Metric.hr_institutions: "家",
    Metric.occupancy: "%",
    Metric.revenue: "元",
    Metric.revenue_growth: "倍",
    Metric.branch_sites: "个",
}
METRIC_NAMES = {
    Metric.building_area: "建筑面积",
    Metric.area: "园区面积",
    Metric.hr_institutions: "人力资源服务机构数量",
    Metric.occupancy: "入驻面积占比",
    Metric.revenue: "年营业收入",
    Metric.revenue_growth: "营业收入增长",
    Metric.branch_sites: "分园区数量",
}
PARK_ONLY_METRICS = {Metric.revenue, Metric.revenue_growth, Metric.branch_sites}
AREA_METRICS = {Metric.building_area, Metric.area, Metric.occupancy}  # read a kind of site area
REVENUE_METRICS = {Metric.revenue, Metric.revenue_growth}  # read a period of revenue years

# The kinds of area a site may carry (a dossier gives those it knows). Regimes measure
# 建筑面积 (gx-2021, bt-2022) or 使用面积, sometimes 产权面积 or 租赁面积.
AREA_KINDS = {
    "building": "建筑面积",
    "usable": "使用面积",
    "property": "产权面积",
    "rented": "租赁面积",
}

# What a tenant is, as an institution (人力资源服务机构管理规定 人社部令第50号 第二章: 职业中介
# needs a 人力资源服务许可证, other HR services a 备案; 广西壮族自治区人力资源市场条例 第三条:
# 人力资源服务机构 are public or commercial). ``licensed_or_filed`` is what a dossier's
# ``hr_service: true`` (是否人力资源服务机构：是) has always meant: a 许可证 or a 备案, not saying which.
HR_CLASSES = {
    "licensed": "经营性人力资源服务机构（持人力资源服务许可证）",
    "filed": "经营性人力资源服务机构（已备案）",
    "licensed_or_filed": "经营性人力资源服务机构（持许可证或已备案，未注明哪一种）",
    "public": "公共人力资源服务机构",
    "none": "非人力资源服务机构",
}
COUNTABLE_CLASSES = ("licensed", "filed", "public")  # what a criterion's ``classes`` may list
DEFAULT_CLASSES = ("licensed", "filed")  # 许可证 or 备案: the rule before classes existed


def classes_phrase(classes: tuple[str, ...] | list[str]) -> str:
    """The institutions a criterion counts, in words: 人力资源服务机构 for the default (a 许可证
    or a 备案), 持许可证的人力资源服务机构, 人力资源服务机构（含公共人力资源服务机构）…"""
    chosen = set(classes)
    commercial = chosen & {"licensed", "filed"}
    if commercial == {"licensed", "filed"}:
        base = "人力资源服务机构"
    elif commercial == {"licensed"}:
        base = "持许可证的人力资源服务机构"
    elif commercial == {"filed"}:
        base = "已备案的人力资源服务机构"
    else:
        return "公共人力资源服务机构"
    return base + ("（含公共人力资源服务机构）" if "public" in chosen else "")


# Which revenue year a criterion reads, counted from the assessment year (``--year``) or the
# assessment/application day (``--as-of``): 年营业收入 is the assessment year; 上年度营业收入 is
# the year before the application.
PERIOD_ENDS = {
    "year": "评估年度（--year）",
    "year_before_as_of": "统计日（申报日）所在年度的上一年度",
    "last_complete_year": "统计日（申报日）前最近一个完整年度",
}

Op = Literal[">=", ">", "<=", "<"]

# 民法典 第一千二百五十九条: 以上、以下、以内、届满 include the number; 不满、超过、以外 do not.
# The words of the same family read alike (DOMAIN.md): 不足、少于、未满、小于 exclude the
# number as 不满 and 低于 do; 不大于 and 不小于 include it as 不高于 and 不低于 do; 大于
# excludes it as 高于 does.
# Longest words first, so 不超过 is read before 超过, 不低于 before 低于, 不少于 before 少于.
WORDING_OPS: dict[str, str] = {
    "不少于": ">=",
    "不低于": ">=",
    "不小于": ">=",
    "不超过": "<=",
    "不高于": "<=",
    "不多于": "<=",
    "不大于": "<=",
    "不满": "<",
    "未满": "<",
    "不足": "<",
    "以上": ">=",
    "以下": "<=",
    "以内": "<=",
    "达到": ">=",
    "超过": ">",
    "大于": ">",
    "低于": "<",
    "小于": "<",
    "少于": "<",
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


# The levels of recognition, lowest first; each issuer names its own (``level_name``).
LEVELS = ("county", "city", "provincial", "national")
LEVEL_ALIASES = {"regional": "provincial"}  # the older name of provincial, still accepted
LEVEL_NAMES = {
    "national": ("国家级",),
    "provincial": ("省级", "自治区级", "直辖市级"),
    "city": ("市级", "设区市级", "地市级", "州级", "盟级"),
    "county": ("县级", "区级", "旗级", "县区级", "旗县区级", "县（市、区）级"),
}


def level_rank(level: str) -> int:
    """Where a level stands: county 0, city 1, provincial 2, national 3."""
    return LEVELS.index(LEVEL_ALIASES.get(level, level))


# --------------------------------------------------------------------------- numbers in wording

# A quantity in an article's wording: a number (Arabic, or Chinese numerals) with its unit. The
# loader reads them to check that a criterion's threshold is the number the article gives.
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CN_NUMBER = "[零〇一二两三四五六七八九十百千万亿]+"
_UNITS = {
    "平方米": ("area", 1),
    "平米": ("area", 1),
    "㎡": ("area", 1),
    "m²": ("area", 1),
    "m2": ("area", 1),
    "元": ("money", 1),
    "家": ("count", 1),
    "个": ("count", 1),
    "户": ("count", 1),
    "%": ("percent", 1),
    "％": ("percent", 1),
}
_QUANTITY_RE = re.compile(
    rf"(?P<percent_of>百分之)?(?P<number>\d+(?:,\d{{3}})*(?:\.\d+)?|{_CN_NUMBER})"
    r"\s*(?P<scale>千万|百万|万|亿|千|百)?\s*(?P<unit>平方米|平米|㎡|m²|m2|元|家|个|户|%|％)?"
)
# a scale after Arabic digits: 5千 = 5000, 1.2亿 = 120000000
_SCALES = {
    "百": 100,
    "千": 1000,
    "万": 10_000,
    "百万": 1_000_000,
    "千万": 10_000_000,
    "亿": 100_000_000,
}
QUANTITY_FAMILIES = {
    "area": "面积",
    "money": "金额",
    "count": "数量",
    "percent": "百分比",
}


def parse_chinese_number(text: str) -> int:
    """A number in Chinese numerals (二十, 两, 三千五百, 一万二千, 五亿) as an int."""
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[ch]
            digit = 0
        elif ch in _CN_BIG:
            total = (total + section + digit) * _CN_BIG[ch]
            section = digit = 0
        else:
            raise ValueError(f"不是中文数字：{text}")
    return total + section + digit


def quantities_in_wording(wording: str) -> list[tuple[str, Decimal, str]]:
    """The quantities an article's wording gives in a clause with a comparison word, as
    (the text, the value in base units — 元, ㎡, a count, or a fraction for %, the family:
    area, money, count or percent). ``只设立一个园区的，…不少于30家`` gives only 30家: the clause
    “只设立一个园区的” compares nothing."""
    out: list[tuple[str, Decimal, str]] = []
    for clause in re.split(r"[，；;。：:、]|,(?!\d{3})", wording):
        if not _WORDING_RE.search(clause):
            continue
        for m in _QUANTITY_RE.finditer(clause):
            number, scale, unit = m.group("number"), m.group("scale"), m.group("unit")
            if m.group("percent_of"):
                unit = "%"
            elif unit is None:
                continue
            if number[0].isdigit():
                value = Decimal(number.replace(",", ""))
            else:
                try:
                    value = Decimal(parse_chinese_number(number))
                except ValueError:
                    continue
            family, _ = _UNITS[unit]
            if scale:
                value *= _SCALES[scale]
            if family == "percent":
                value /= 100
            out.append((m.group(0).strip(), value, family))
    return out
