"""`parkeval synth` writes a realistic province; hostile dossiers never crash the loader and
are never silently accepted when wrong (hypothesis)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from parkeval.cli import app
from parkeval.errors import InputError
from parkeval.intake.load import load_dossier
from parkeval.intake.schema import SECTIONS
from parkeval.intake.synth import park, province
from parkeval.values import parse_credit_code


@pytest.mark.parametrize("fmt", ["yaml", "json", "xlsx"])
def test_synth_writes_a_province_that_imports_and_certifies(runner, tmp_path: Path, fmt):
    out = tmp_path / "prov"
    made = runner.invoke(
        app,
        [
            "synth",
            "--parks",
            "16",
            "--tenants",
            "40",
            "--years",
            "2",
            "--seed",
            "5",
            "--out",
            str(out),
            "--format",
            fmt,
        ],
    )
    assert made.exit_code == 0, made.output
    files = sorted(out.glob(f"*.{fmt}"))
    assert len(files) == 16
    assert runner.invoke(app, ["import", "--json", *map(str, files)]).exit_code == 0
    for policy in ("gx-2021", "bt-2022"):
        result = runner.invoke(
            app, ["certify", "--all", "--policy", policy, "--year", "2024", "--json"]
        )
        verdicts = {r["verdict"] for r in json.loads(result.stdout)}
        assert {"eligible", "not_eligible"} <= verdicts, (policy, verdicts)


def test_synth_is_deterministic_and_valid():
    a = list(province(parks=12, tenants=25, years=3, seed=9))
    assert a == list(province(parks=12, tenants=25, years=3, seed=9))
    assert a != list(province(parks=12, tenants=25, years=3, seed=10))
    for mapping in a:
        codes = [t["credit_code"] for t in mapping["tenants"]]
        assert len(set(codes)) == len(codes) == 25
        assert all(parse_credit_code(c) == c for c in codes)
        for t in mapping["tenants"]:
            for amount in t["revenue"].values():
                assert isinstance(amount, str)  # exact text, never a float


def test_synth_rejects_an_unknown_format(runner, tmp_path):
    result = runner.invoke(app, ["synth", "--out", str(tmp_path), "--format", "csv"])
    assert result.exit_code == 2 and "--format" in result.output


# --------------------------------------------------------------------------- hostile dossiers

BASE = park(0, tenants=4, years=2, seed=1)

# Values well inside what a spreadsheet or YAML file can hold. Numbers beyond 28 significant
# digits are left out: they hit a known parser bug (decimal.InvalidOperation escapes
# parse_money/parse_area) recorded as xfail in tests/test_parsing.py.
hostile = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=True, allow_infinity=True, width=64).filter(
        lambda f: abs(f) < 1e15 or f != f
    ),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "-1",
            "1e400",
            "NaN",
            "五千",
            "3500万",
            "１２３",
            "9" * 20,
            "2024-02-30",
            "0000-00-00",
            "是",
            "否",
            "maybe",
            "core",
            "b9",
            "91450100MA5K0XXXXX",
            "\x00",
            "=1+1",
            "${x}",
            "<b>",
        ]
    ),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)

FIELDS = (
    [("park", None, f.key) for f in SECTIONS["park"].fields]
    + [("sites", 0, f.key) for f in SECTIONS["sites"].fields]
    + [("tenants", i, f.key) for i in range(2) for f in SECTIONS["tenants"].fields]
)


def _field_accepts(section: str, key: str, value: Any) -> bool:
    try:
        SECTIONS[section].field(key).parse(value)
    except (ValueError, TypeError):
        return False
    return True


@hsettings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(where=st.sampled_from(FIELDS), value=hostile, as_json=st.booleans())
def test_a_hostile_field_is_rejected_or_loaded_never_a_crash(
    tmp_path_factory, where, value, as_json
):
    section, index, key = where
    mapping = copy.deepcopy(BASE)
    target = mapping[section] if index is None else mapping[section][index]
    target[key] = value
    folder = tmp_path_factory.mktemp("hostile")
    if as_json:
        try:
            text = json.dumps(mapping, ensure_ascii=False, allow_nan=True)
        except (TypeError, ValueError):
            return
        path = folder / "d.json"
    else:
        text = yaml.safe_dump(mapping, allow_unicode=True)
        path = folder / "d.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        dossier = load_dossier(path)
    except InputError as exc:
        assert exc.problems  # rejected, with problems to show
        return
    # accepted: the value must be one its field's own parser accepts (or an optional blank)
    spec = SECTIONS[section].field(key)
    blank = value is None or (isinstance(value, str) and not value.strip())
    assert _field_accepts(section, key, value) or (blank and not spec.required), (where, value)
    assert dossier.park.code


@hsettings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".yaml", ".json", ".xlsx", ".yml"]))
def test_garbage_files_are_rejected_plainly(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("garbage") / f"g{suffix}"
    path.write_bytes(data)
    with pytest.raises(InputError):
        load_dossier(path)


@hsettings(max_examples=60, deadline=None)
@given(code=st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=18, max_size=18))
def test_a_wrong_check_character_is_never_accepted_in_a_dossier(code):
    from parkeval.values import credit_code_check_char

    wrong = code[:17] + ("0" if credit_code_check_char(code[:17]) != "0" else "1")
    mapping = copy.deepcopy(BASE)
    mapping["tenants"][0]["credit_code"] = wrong
    from parkeval.intake.structured import raw_from_mapping
    from parkeval.intake.validate import validate

    with pytest.raises(InputError, match="统一社会信用代码|校验位|行政区划"):
        validate(raw_from_mapping(mapping, source="mem.yaml", sha256="0"))
