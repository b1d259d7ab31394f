"""JSON output: exact numbers (Decimal money and areas) written as JSON numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import secrets
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any


def _number(value: Decimal) -> Any:
    return int(value) if value == value.to_integral_value() else float(value)


def to_jsonable(value: Any, *, decimal: Callable[[Decimal], Any] = _number) -> Any:
    """Convert results to JSON-ready values. Decimals become ints when whole, otherwise
    floats whose shortest form is the same decimal text (12345.67 → 12345.67)."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, Decimal):
        return decimal(value)
    if isinstance(value, Fraction):
        return to_jsonable(Decimal(value.numerator) / Decimal(value.denominator), decimal=decimal)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return to_jsonable(value.to_dict(), decimal=decimal)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # field by field (not dataclasses.asdict), so a nested result's own to_dict applies
        return {
            f.name: to_jsonable(getattr(value, f.name), decimal=decimal)
            for f in dataclasses.fields(value)
        }
    if isinstance(value, dict):
        return {str(k): to_jsonable(v, decimal=decimal) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [to_jsonable(v, decimal=decimal) for v in value]
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


# A Decimal no float can carry (999999999999999.99 元) is written as its own digits: it goes
# through json.dumps as a string with a mark no input can know (a fresh random token) and the
# marks are taken off the finished text.
def dumps(value: Any) -> str:
    """JSON text in which every number is exactly the Decimal it came from."""
    token = secrets.token_hex(8)

    def exact(number: Decimal) -> Any:
        plain = _number(number)
        if isinstance(plain, int) or Decimal(repr(plain)) == number:
            return plain
        return f"{token}:{number:f}"

    text = json.dumps(to_jsonable(value, decimal=exact), ensure_ascii=False, indent=2)
    return re.sub(f'"{token}:(-?[0-9]+(?:\\.[0-9]+)?)"', r"\1", text)
