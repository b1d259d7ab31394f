"""The reward schemes' cases (data/incentives/tests/<id>.yaml): facts of a beneficiary (and of
others, for quotas), and per year the claims expected (rule → amount, exactly) and the
set-asides expected (rule → reason). Every rule of every built-in scheme must be claimed by at
least one case: a rule no case exercises is a failing test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from parkeval.domain.rewards.compute import quota_population, subject_rewards
from parkeval.domain.rewards.facts import Fact, SubjectFacts
from parkeval.policy.scheme import load_schemes
from parkeval.values import parse_money
from parkeval.yamlio import load_yaml

CASES = Path(__file__).resolve().parent.parent / "data" / "incentives" / "tests"
SUBJECT = "测试企业"


def _cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        doc = load_yaml(path.read_text(encoding="utf-8"))
        out += [(doc["scheme"], case) for case in doc["cases"]]
    return out


def _fact(i: int, raw: dict[str, Any], kind: str) -> Fact:
    data = dict(raw)
    subject = data.pop("subject", SUBJECT)
    subject_kind = data.pop("subject_kind", kind)
    if "amount" in data:
        data["amount"] = parse_money(data["amount"])
    if "date" in data:  # YAML reads a key `on` as true: the files say `date`
        day = data.pop("date")
        data["on"] = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return Fact(id=i, subject=subject, subject_kind=subject_kind, **data)


def run_case(scheme_id: str, case: dict[str, Any]) -> dict[int, Any]:
    """Each year's result of the case's beneficiary."""
    scheme = load_schemes().get(scheme_id)
    kind = case.get("subject_kind", "firm")
    facts = [_fact(i, raw, kind) for i, raw in enumerate(case["facts"], start=1)]
    mine = SubjectFacts(SUBJECT, kind, [f for f in facts if f.subject == SUBJECT])
    population = quota_population(scheme, facts)
    return {int(y): subject_rewards(scheme, mine, int(y), population) for y in case["expect"]}


@pytest.mark.parametrize(
    ("scheme_id", "case"), _cases(), ids=lambda v: v if isinstance(v, str) else v["name"]
)
def test_case(scheme_id, case):
    results = run_case(scheme_id, case)
    for year, expected in case["expect"].items():
        result = results[int(year)]
        claimed: dict[str, Decimal] = {}
        for c in result.claims:
            claimed[c.rule] = claimed.get(c.rule, Decimal(0)) + c.amount
        want = {k: parse_money(v) for k, v in (expected.get("claims") or {}).items()}
        assert claimed == want, (
            f"{year}: claims {claimed} ≠ {want}; set aside: {[(a.rule, a.reason, a.detail) for a in result.set_aside]}"
        )
        asides = {(a.rule, a.reason) for a in result.set_aside}
        for rule, reason in (expected.get("set_aside") or {}).items():
            assert (rule, reason) in asides, f"{year}: {rule} not set aside as {reason}: {asides}"
        if "schedule" in expected:
            for rule, parts in expected["schedule"].items():
                claim = next(c for c in result.claims if c.rule == rule)
                assert [(y, a) for y, a in claim.schedule] == [
                    (int(y), parse_money(a)) for y, a in parts
                ]
        if expected.get("draft"):
            assert result.draft and any("征求意见稿" in w for w in result.warnings)


def test_every_rule_is_claimed_by_some_case():
    claimed: dict[str, set[str]] = {}
    for scheme_id, case in _cases():
        for expected in case["expect"].values():
            claimed.setdefault(scheme_id, set()).update((expected.get("claims") or {}).keys())
    missing = [
        f"{s.id}:{r.id}"
        for s in load_schemes().all()
        for r in s.rules
        if r.id not in claimed.get(s.id, set())
    ]
    assert not missing, f"rules no case claims: {missing}"


def test_every_reason_is_exercised():
    from parkeval.domain.rewards.results import REASONS

    seen = {
        reason
        for _, case in _cases()
        for expected in case["expect"].values()
        for reason in (expected.get("set_aside") or {}).values()
    }
    assert set(REASONS) <= seen, f"reasons no case shows: {set(REASONS) - seen}"
