"""Parsers for the values people type into dossiers: money, areas, credit codes, dates.

Each parser takes what a YAML/JSON/Excel reader produced (str, int, Decimal, float,
date, bool, None) and returns an exact value or raises ``ValueError`` with a Chinese
message saying what is expected. Money and areas are :class:`~decimal.Decimal`, never
floats; money is in 元.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from operator import mul

# Chinese magnitude words accepted after a number: 5亿, 5000万, 1.2亿元, 3千.
_UNITS = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "千": Decimal(1_000)}
_MONEY_RE = re.compile(
    r"^(?P<sign>[-+]?)(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?P<unit>亿|万|千)?\s*(?:元|元人民币|人民币)?$"
)
_AREA_RE = re.compile(
    r"^(?P<sign>[-+]?)(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?:㎡|m2|m²|平方米|平米)?$",
    re.I,
)


def _normalise(text: str) -> str:
    # NFKC folds full-width digits and punctuation (１２，３４５．６７) to ASCII; it would also
    # fold superscripts and circled numbers (² → 2, ① → 1), which are not amounts: refused.
    odd = [c for c in text if unicodedata.category(c) == "No"]
    if odd:
        raise ValueError(f"含有不是数字的数字符号 “{odd[0]}”（如上标、带圈数字）")
    text = unicodedata.normalize("NFKC", text).strip()
    return text.replace("，", ",").replace(" ", "").replace("¥", "").replace("￥", "")


def _exact_from_number(value: object) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("应为数字，而不是真/假值")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("应为有限的数字")
        return value
    if isinstance(value, float):
        # Excel stores numbers as doubles; the shortest repr is what the user typed.
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("应为有限的数字")
        return Decimal(repr(value))
    raise TypeError


def parse_money(value: object) -> Decimal:
    """Parse an amount of money into exact 元 (at most 2 decimal places, not negative).

    Accepts numbers and text such as ``32000000``, ``12,345.67``, ``3500万``, ``5亿``,
    ``1.2亿元``. Raises ``ValueError`` with the expected form otherwise.
    """
    expected = "应为不小于 0 的金额（元），如 32000000、12,345.67、3500万、1.2亿元"
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"缺少金额；{expected}")
    try:
        amount = _exact_from_number(value)
    except TypeError:
        if not isinstance(value, str):
            raise ValueError(f"无法识别的金额 {value!r}；{expected}") from None
        match = _MONEY_RE.match(_normalise(value))
        if not match:
            raise ValueError(f"无法识别的金额 “{value}”；{expected}") from None
        amount = Decimal(match["num"].replace(",", "")) * _UNITS.get(match["unit"] or "", 1)
        if match["sign"] == "-":
            amount = -amount
    except ValueError as exc:
        raise ValueError(f"{exc}；{expected}") from None
    if amount < 0:
        raise ValueError(f"金额不能为负数（{value}）；{expected}")
    _check_size(amount, value, "金额")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"金额最多精确到分（两位小数）：{value}")
    return _canonical(amount)


def parse_area(value: object, *, allow_zero: bool = True) -> Decimal:
    """Parse an area in square metres (㎡) exactly; not negative, at most 2 decimals."""
    expected = "应为以平方米计的非负数字，如 5000 或 120.5"
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"缺少面积；{expected}")
    try:
        area = _exact_from_number(value)
    except TypeError:
        if not isinstance(value, str):
            raise ValueError(f"无法识别的面积 {value!r}；{expected}") from None
        match = _AREA_RE.match(_normalise(value))
        if not match:
            raise ValueError(f"无法识别的面积 “{value}”；{expected}") from None
        area = Decimal(match["num"].replace(",", ""))
        if match["sign"] == "-":
            area = -area
    except ValueError as exc:
        raise ValueError(f"{exc}；{expected}") from None
    if area < 0:
        raise ValueError(f"面积不能为负数（{value}）；{expected}")
    _check_size(area, value, "面积")
    if area == 0 and not allow_zero:
        raise ValueError(f"面积必须大于 0；{expected}")
    if area != area.quantize(Decimal("0.01")):
        raise ValueError(f"面积最多保留两位小数：{value}")
    return _canonical(area)


# Far above any park's revenue or area; larger values are typing mistakes (and would
# overflow NUMERIC(20, 2)).
MAX_EXACT = Decimal("1e15")


def _check_size(value: Decimal, original: object, what: str) -> None:
    if abs(value) >= MAX_EXACT:
        raise ValueError(f"{what}过大（{original}）；应小于 {MAX_EXACT:,.0f}")


def _canonical(value: Decimal) -> Decimal:
    """Return the value with at most two decimals and no trailing zeros (5E+8 → 500000000)."""
    value = value.quantize(Decimal("0.01"))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


# GB 32100-2015 统一社会信用代码: 18 characters from this 31-character set
# (no I, O, Z, S, V); the last is a check character over the first 17.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


_CREDIT_VALUES = {c: i for i, c in enumerate(CREDIT_CODE_CHARSET)}


def credit_code_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a credit code
    (ValueError for another length or a character outside the set)."""
    if len(first17) != 17:
        raise ValueError(f"expected 17 characters, got {len(first17)}")
    try:
        # map/sum run in C: a province's import checks every code of every tenant and revenue row
        total = sum(map(mul, map(_CREDIT_VALUES.__getitem__, first17), _CREDIT_WEIGHTS))
    except KeyError as exc:
        raise ValueError(f"{exc.args[0]!r} is not a credit-code character") from None
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def parse_credit_code(value: object) -> str:
    """Validate a 统一社会信用代码 (GB 32100-2015) and return it upper-cased."""
    if value is None or not str(value).strip():
        raise ValueError("缺少统一社会信用代码（18 位）")
    if isinstance(value, bool) or (
        isinstance(value, int | float | Decimal)
        and not (isinstance(value, int) and len(str(value)) == 18)
    ):
        raise ValueError(
            f"统一社会信用代码被存成了数字（{value}），数字会丢掉位数或字母；"
            "请把该列设为「文本」格式后重新填写（或在代码前加英文单引号 '）"
        )
    code = unicodedata.normalize("NFKC", str(value)).strip().upper()
    if len(code) != 18:
        raise ValueError(f"统一社会信用代码应为 18 位，“{value}” 为 {len(code)} 位")
    bad = [] if _CREDIT_VALUES.keys() >= set(code) else sorted(set(code) - _CREDIT_VALUES.keys())
    if bad:
        raise ValueError(
            f"统一社会信用代码 “{value}” 含有不允许的字符 {''.join(bad)}"
            "（只允许数字和除 I、O、Z、S、V 外的大写字母）"
        )
    if not code[2:8].isdigit():
        raise ValueError(f"统一社会信用代码 “{value}” 第 3–8 位应为行政区划码（数字）")
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValueError(
            f"统一社会信用代码 “{value}” 校验位错误：第 18 位应为 {expected}（GB 32100-2015）"
        )
    return code


# Dates a dossier, a record or an option may carry (the README's "Limits and safety"):
# nothing a park does happened before 1900 or is planned after 2100; 0001-01-01 and
# 9999-12-31 are typing mistakes or placeholders.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)


def check_date_range(day: dt.date) -> dt.date:
    """``day``, or ``ValueError`` when it lies outside :data:`MIN_DATE`–:data:`MAX_DATE`."""
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(
            f"日期 {day.isoformat()} 超出允许的范围（{MIN_DATE.isoformat()} 至 {MAX_DATE.isoformat()}）"
        )
    return day


def parse_date(value: object) -> dt.date:
    """Parse a date given as a date, datetime or ISO text (2020-03-01, 2020/3/1, 2020年3月1日),
    between :data:`MIN_DATE` and :data:`MAX_DATE`."""
    if isinstance(value, dt.datetime):
        return check_date_range(value.date())
    if isinstance(value, dt.date):
        return check_date_range(value)
    if value is None or not str(value).strip():
        raise ValueError("缺少日期；应为 YYYY-MM-DD，如 2020-03-01")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if match:
        try:
            day = dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
        else:
            return check_date_range(day)
    raise ValueError(f"无法识别的日期 “{value}”；应为 YYYY-MM-DD，如 2020-03-01")


def parse_optional_date(value: object) -> dt.date | None:
    """A date, or None for an empty value."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value)


_TRUE = {"true", "yes", "y", "1", "是", "有", "√", "✓", "t"}
_FALSE = {"false", "no", "n", "0", "否", "无", "×", "f"}


def parse_bool(value: object) -> bool:
    """Parse 是/否, true/false, yes/no, 1/0."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().lower() if value is not None else ""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"应为 是/否（或 true/false），而不是 “{value}”")


def parse_year(value: object) -> int:
    """Parse a calendar year between 1990 and 2100."""
    try:
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        year = int(unicodedata.normalize("NFKC", str(value)).strip().removesuffix("年"))
    except (TypeError, ValueError):
        raise ValueError(f"应为四位数年份，如 2024，而不是 “{value}”") from None
    if not 1990 <= year <= 2100:
        raise ValueError(f"年份 {year} 超出范围（1990–2100）")
    return year


def parse_count(value: object) -> int:
    """Parse a non-negative whole number."""
    try:
        if isinstance(value, bool):
            raise ValueError
        number = (
            _exact_from_number(value) if not isinstance(value, str) else Decimal(_normalise(value))
        )
    except (TypeError, ValueError, InvalidOperation):
        raise ValueError(f"应为非负整数，而不是 “{value}”") from None
    if (
        not number.is_finite()
        or number < 0
        or number > 10**9
        or number != number.to_integral_value()
    ):
        raise ValueError(f"应为不超过 10 亿的非负整数，而不是 “{value}”")
    return int(number)


def parse_ratio(value: object) -> Decimal:
    """65%, 0.65 → Decimal('0.65'); a bare number above 1 is refused as ambiguous."""
    text = str(value).strip().replace("％", "%")
    try:
        ratio = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
    except InvalidOperation:
        raise ValueError(f"应为百分比，如 65% 或 0.65，而不是 “{value}”") from None
    if not ratio.is_finite() or not Decimal(0) <= ratio <= 1:
        raise ValueError(f"应为 0%–100% 之间的百分比（如 65% 或 0.65），而不是 “{value}”")
    if ratio != ratio.quantize(Decimal("0.000001")):
        raise ValueError(f"百分比最多保留 4 位小数（如 65.5%），而不是 “{value}”")
    return ratio


def parse_score(value: object) -> Decimal:
    """A score from 0 to 100 with at most two decimals."""
    try:
        score = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"应为 0–100 的分数，而不是 “{value}”") from None
    if (
        not score.is_finite()
        or not Decimal(0) <= score <= 100
        or score != score.quantize(Decimal("0.01"))
    ):
        raise ValueError(f"应为 0–100 的分数（最多 2 位小数），而不是 “{value}”")
    return score
