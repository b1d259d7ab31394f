"""Reward scheme files load as strictly as policies: unknown keys, an operator that is not
what the wording's comparison word means, a number the wording does not give, bad dates —
every problem at once, each naming its key; and a scheme file is told from a policy file."""

from __future__ import annotations

from pathlib import Path

import pytest

from parkeval.errors import PolicyError
from parkeval.policy.scheme.loader import load_scheme_file, load_schemes, read_scheme_file
from parkeval.resources import data_dir

BUILT_IN = data_dir() / "incentives"


def test_the_four_schemes_load():
    schemes = load_schemes()
    assert sorted(schemes.schemes) == ["bt-2022-measures", "jh-draft", "lz-2022", "pzh-2021"]
    assert schemes.get("jh-draft").draft and not schemes.get("lz-2022").draft
    assert str(schemes.get("jh-draft").start) == "2023-01-01"  # a local setting
    assert str(schemes.get("jh-draft").end) == "2027-12-31"


def _broken(tmp_path: Path, old: str, new: str, source: str = "jh-draft.yaml") -> list[str]:
    text = (BUILT_IN / source).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    scheme, problems = read_scheme_file(path)
    assert scheme is None
    return problems


def test_an_operator_that_disagrees_with_the_word_is_refused(tmp_path):
    problems = _broken(
        tmp_path,
        'organisations: {op: ">", value: 50, word: 超过}',
        'organisations: {op: ">=", value: 50, word: 超过}',
    )
    assert any("“超过”" in p and ">=" in p for p in problems), problems


def test_a_word_the_wording_does_not_use_is_refused(tmp_path):
    problems = _broken(
        tmp_path,
        'count: {op: ">=", value: 20, word: 以上}',
        'count: {op: ">=", value: 20, word: 不少于}',
    )
    assert any("原文中没有 “不少于”" in p for p in problems), problems


def test_a_number_the_wording_does_not_give_is_refused(tmp_path):
    problems = _broken(
        tmp_path, "amount: {kind: fixed, value: 300万}", "amount: {kind: fixed, value: 350万}"
    )
    assert any("rules[0](id=hq_world500)" in p and "3500000元 与原文不符" in p for p in problems), (
        problems
    )


def test_tier_bounds_must_be_stated_inclusive_below_and_exclusive_above(tmp_path):
    problems = _broken(
        tmp_path, "max: 5000万, max_word: 不含", "max: 5000万, max_word: 包含", "lz-2022.yaml"
    )
    assert any("tiers[0].max_word" in p for p in problems), problems


def test_every_problem_at_once_with_unknown_keys_and_bad_dates(tmp_path):
    text = (BUILT_IN / "lz-2022.yaml").read_text(encoding="utf-8")
    text = text.replace("valid_until: 2025-12-31", "valid_until: 2025/12/31")
    text = text.replace(
        "    once: true\n    fund: special_fund\n",
        "    once: true\n    fund: special_fund\n    bonus: 1\n",
        1,
    )
    text = text.replace("amount: {kind: fixed, value: 4万}", "amount: {kind: fixed, value: 5万}")
    path = tmp_path / "lz.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as exc:
        load_scheme_file(path)
    message = str(exc.value)
    assert "valid_until" in message and "日期无效" in message
    assert "bonus: 未知的键" in message
    assert "50000元 与原文不符" in message


def test_an_impossible_date_is_an_error_naming_the_file(tmp_path):
    text = (
        (BUILT_IN / "lz-2022.yaml")
        .read_text(encoding="utf-8")
        .replace("valid_until: 2025-12-31", "valid_until: 2025-13-31")
    )
    path = tmp_path / "lz.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match="lz.yaml.*日期"):
        load_scheme_file(path)


def test_a_policy_file_is_no_scheme_and_a_scheme_is_no_policy(tmp_path):
    from parkeval.policy.loader import load_policy_file

    _, problems = read_scheme_file(data_dir() / "policies" / "gx-2021.yaml")
    assert "kind: reward_scheme" in problems[0]
    with pytest.raises(PolicyError, match="--scheme-file"):
        load_policy_file(BUILT_IN / "lz-2022.yaml")


def test_schemes_and_policies_side_by_side_on_the_policy_path(tmp_path):
    from parkeval.policy.loader import load_registry

    text = (BUILT_IN / "pzh-2021.yaml").read_text(encoding="utf-8")
    (tmp_path / "pzh-local.yaml").write_text(
        text.replace("id: pzh-2021", "id: pzh-local").replace("value: 1900", "value: 2100"),
        encoding="utf-8",
    )
    (tmp_path / "gx.yaml").write_text(
        (data_dir() / "policies" / "gx-2021.yaml")
        .read_text(encoding="utf-8")
        .replace("id: gx-2021", "id: gx-local", 1),
        encoding="utf-8",
    )
    schemes = load_schemes([tmp_path])
    assert schemes.get("pzh-local").setting("minimum_wage") == 2100
    assert "gx-local" in load_registry([tmp_path]).policies
