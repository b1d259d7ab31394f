"""Parsers for what people type into dossiers: exact money and areas, credit codes, dates, 是/否."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from conftest import make_credit_code
from hypothesis import assume, example, given
from hypothesis import strategies as st

from parkeval.values import (
    CREDIT_CODE_CHARSET,
    credit_code_check_char,
    parse_area,
    parse_bool,
    parse_credit_code,
    parse_date,
    parse_money,
)

# --------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5亿", Decimal("500000000")),
        ("5000万", Decimal("50000000")),
        ("1.2亿元", Decimal("120000000")),
        ("4.99亿", Decimal("499000000")),
        ("3500万元", Decimal("35000000")),
        ("12,345.67", Decimal("12345.67")),
        ("12,345.67元", Decimal("12345.67")),
        ("32000000", Decimal("32000000")),
        ("0", Decimal("0")),
        ("0.01", Decimal("0.01")),
        ("１２，３４５．６７", Decimal("12345.67")),  # full-width digits and punctuation
        ("５亿", Decimal("500000000")),
        (
            "1.2345亿",
            Decimal("123450000"),
        ),  # more decimals are fine when the unit makes them whole 元
        ("￥1,000", Decimal("1000")),
        (32000000, Decimal("32000000")),
        (Decimal("12345.67"), Decimal("12345.67")),
        (Decimal("5E+8"), Decimal("500000000")),
        (
            12345.67,
            Decimal("12345.67"),
        ),  # Excel hands over doubles; the shortest repr is what was typed
    ],
)
def test_money_is_parsed_exactly(text, expected):
    value = parse_money(text)
    assert isinstance(value, Decimal)
    assert value == expected


@pytest.mark.parametrize(
    "bad",
    [
        "-5",
        "-5亿",
        -1,
        Decimal("-0.01"),
        "abc",
        "5亿亿",
        "12,34.5",
        "1.234",
        Decimal("1.005"),
        0.001,
        True,
        False,
        "",
        "   ",
        None,
        "5美元",
        float("nan"),
        float("inf"),
        Decimal("NaN"),
        [1],
        "1e5",
    ],
)
def test_money_rejects_what_is_not_an_exact_non_negative_amount(bad):
    with pytest.raises(ValueError):
        parse_money(bad)


def test_money_error_says_what_is_expected():
    with pytest.raises(ValueError, match="应为不小于 0 的金额"):
        parse_money("abc")
    with pytest.raises(ValueError, match="两位小数"):
        parse_money("1.234")
    with pytest.raises(ValueError, match="负数"):
        parse_money("-1")


# --------------------------------------------------------------------------- areas


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5000", Decimal("5000")),
        ("5000㎡", Decimal("5000")),
        ("120.5平方米", Decimal("120.5")),
        ("1,234.56 m2", Decimal("1234.56")),
        ("８０００", Decimal("8000")),
        (6000, Decimal("6000")),
        (Decimal("2999.99"), Decimal("2999.99")),
        (120.5, Decimal("120.5")),
        (0, Decimal("0")),
    ],
)
def test_area_is_parsed_exactly(text, expected):
    assert parse_area(text) == expected


@pytest.mark.parametrize(
    "bad", ["-1", -0.5, "abc", "12.345", Decimal("0.001"), True, None, "", "5000亩"]
)
def test_area_rejects_bad_values(bad):
    with pytest.raises(ValueError):
        parse_area(bad)


def test_area_zero_rejected_when_not_allowed():
    with pytest.raises(ValueError, match="大于 0"):
        parse_area(0, allow_zero=False)
    assert parse_area("0.01", allow_zero=False) == Decimal("0.01")


# --------------------------------------------------------------------------- credit codes


def _valid(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


def test_check_character_of_a_known_real_code():
    # 91110000600037341L is a widely published real code (Beijing); the check char is L.
    assert credit_code_check_char("91110000600037341") == "L"
    assert parse_credit_code("91110000600037341L") == "91110000600037341L"


def test_valid_code_accepted_and_lower_case_normalised():
    code = make_credit_code(7)
    assert parse_credit_code(code) == code
    assert parse_credit_code(code.lower()) == code
    assert parse_credit_code(f"  {code}  ") == code


def test_every_wrong_check_character_is_rejected():
    code = make_credit_code(3)
    wrong = [c for c in CREDIT_CODE_CHARSET if c != code[17]]
    assert len(wrong) == 30
    for c in wrong:
        with pytest.raises(ValueError, match="校验位"):
            parse_credit_code(code[:17] + c)


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_forbidden_letters_rejected(letter):
    code = make_credit_code(11)
    # put the forbidden letter in the registration body and fix the check char would be impossible;
    # it must be rejected as a forbidden character whatever the check char.
    bad = code[:10] + letter + code[11:]
    with pytest.raises(ValueError, match="不允许的字符"):
        parse_credit_code(bad)


@pytest.mark.parametrize(
    "bad", ["", None, "9145010", "91450100MA5K0XXXX", "91450100MA5K0XXXXXX", "12345678901234567890"]
)
def test_wrong_length_rejected(bad):
    with pytest.raises(ValueError):
        parse_credit_code(bad)


def test_region_part_must_be_digits():
    body = "91ABCDEF" + "123456789"
    with pytest.raises(ValueError, match="行政区划"):
        parse_credit_code(_valid(body))


# --------------------------------------------------------------------------- dates and booleans


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-03-01", dt.date(2020, 3, 1)),
        ("2020/3/1", dt.date(2020, 3, 1)),
        ("2020.03.01", dt.date(2020, 3, 1)),
        ("2020年3月1日", dt.date(2020, 3, 1)),
        ("２０２０－０３－０１", dt.date(2020, 3, 1)),
        (dt.date(2020, 3, 1), dt.date(2020, 3, 1)),
        (dt.datetime(2020, 3, 1, 15, 30), dt.date(2020, 3, 1)),
    ],
)
def test_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "bad", ["2020-02-30", "2021-02-29", "2020-13-01", "03/01/2020", "abc", "", None, "2020-3"]
)
def test_bad_dates_rejected(bad):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date(bad)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("是", True),
        ("否", False),
        ("true", True),
        ("FALSE", False),
        ("yes", True),
        ("no", False),
        ("1", True),
        ("0", False),
        (1, True),
        (0, False),
        (True, True),
        (False, False),
        ("有", True),
        ("无", False),
    ],
)
def test_booleans(value, expected):
    assert parse_bool(value) is expected


@pytest.mark.parametrize("bad", ["maybe", "", None, 2, "是否"])
def test_bad_booleans_rejected(bad):
    with pytest.raises(ValueError, match="是/否"):
        parse_bool(bad)


# --------------------------------------------------------------------------- properties


@given(st.text(max_size=40))
@example("1" * 40)
@example("9" * 30 + "亿")
@example("１" * 30)
@example("5亿元")
@example("１２，３４５．６７")
@example("-0.00")
def test_random_text_only_ever_raises_value_error(text):
    for parse in (parse_money, parse_area, parse_credit_code):
        try:
            parse(text)
        except ValueError:
            pass


# the same property restricted to what people do type (digits with or without units), so a
# failure here is not about exotic Unicode
@given(st.from_regex(r"\A-?[0-9]{1,40}(\.[0-9]{1,4})?(万|亿|元|㎡)?\Z"))
def test_numeric_text_only_ever_raises_value_error(text):
    for parse in (parse_money, parse_area):
        try:
            parse(text)
        except ValueError:
            pass


# beyond 28 significant digits Decimal.quantize raises InvalidOperation: it must come out as ValueError
@pytest.mark.parametrize("text", ["1" * 40, "9" * 30 + "亿", "１" * 30])
@pytest.mark.parametrize("parse", [parse_money, parse_area])
def test_huge_number_is_a_value_error(parse, text):
    if parse is parse_area and text.endswith("亿"):
        text = text[:-1]
    with pytest.raises(ValueError):
        parse(text)


two_places = st.decimals(
    min_value=0,
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(two_places)
def test_decimal_round_trips_through_str_and_wan_yi(amount):
    assert parse_money(str(amount)) == amount
    assert parse_money(amount) == amount
    assert parse_money(f"{amount.scaleb(-4):f}万") == amount
    assert parse_money(f"{amount.scaleb(-8):f}亿元") == amount
    assert parse_money(f"{amount:,f}") == amount
    assert parse_area(str(amount)) == amount


first17 = st.builds(
    lambda a, region, body: a + region + body,
    st.text(CREDIT_CODE_CHARSET, min_size=2, max_size=2),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(CREDIT_CODE_CHARSET, min_size=9, max_size=9),
)


@given(
    first17,
    st.integers(min_value=0, max_value=17),
    st.sampled_from(CREDIT_CODE_CHARSET + "IOZSV-#中"),
)
def test_generated_code_valid_and_any_single_change_rejected(head, position, replacement):
    code = _valid(head)
    assert parse_credit_code(code) == code
    assume(replacement != code[position])
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValueError):
        parse_credit_code(changed)
