"""Boundary tests generated from the scheme files: every revenue tier edge (包含 the lower
bound, 不含 the upper), every comparison of a hire or event condition at its number and one
either side (超过 excludes the number, 以上/满/达 include it), every per-head and per-item cap
at the cap and just past it. A change to a scheme file changes the tests with it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from parkeval.domain.rewards.compute import subject_rewards
from parkeval.domain.rewards.facts import Fact, SubjectFacts
from parkeval.policy.scheme import load_schemes

SCHEMES = load_schemes().all()
CENT = Decimal("0.01")


def _year(scheme: Any) -> int:
    return scheme.start.year + 1


def _claim(scheme: Any, rule: Any, facts: list[Fact]) -> Decimal | None:
    kind = rule.beneficiary
    result = subject_rewards(scheme, SubjectFacts("边界企业", kind, facts), _year(scheme))
    found = [c.amount for c in result.claims if c.rule == rule.id]
    return sum(found, Decimal(0)) if found else None


def _tier_cases() -> list[Any]:
    out = []
    for s in SCHEMES:
        for r in s.rules:
            for i in range(len(r.amount.tiers or [])):
                out.append(pytest.param(s, r, i, id=f"{s.id}:{r.id}:tier{i + 1}"))
    return out


@pytest.mark.parametrize(("scheme", "rule", "index"), _tier_cases())
def test_tier_edges(scheme, rule, index):
    tiers = rule.amount.tiers
    tier = tiers[index]

    def at(value: Decimal) -> Decimal | None:
        fact = Fact(
            1, "revenue", "边界企业", year=_year(scheme), code=rule.trigger.measure, amount=value
        )
        return _claim(scheme, rule, [fact])

    assert at(tier.min) == tier.value  # 包含 the lower bound
    below = at(tier.min - CENT)
    assert below == (tiers[index - 1].value if index else None)
    if tier.max is not None:
        assert at(tier.max - CENT) == tier.value  # 不含 the upper bound
        assert at(tier.max) == tiers[index + 1].value


def _hire_facts(rule: Any, year: int, *, count: int, contract: int, insured: int) -> list[Fact]:
    code = rule.trigger.categories[0]
    return [
        Fact(
            1,
            "hire",
            "边界企业",
            year=year,
            code=code,
            count=count,
            contract_months=contract,
            insured_months=insured,
        )
    ]


def _passing(cond: Any) -> int:
    return int(cond.value) + (1 if cond.op == ">" else 0) if cond is not None else 1


def _condition_cases() -> list[Any]:
    out = []
    for s in SCHEMES:
        for r in s.rules:
            for key in ("count", "contract_months", "insured_months", "organisations", "attendees"):
                cond = getattr(r.trigger, key)
                if cond is not None:
                    out.append(
                        pytest.param(s, r, key, id=f"{s.id}:{r.id}:{key}{cond.op}{cond.value}")
                    )
    return out


@pytest.mark.parametrize(("scheme", "rule", "key"), _condition_cases())
def test_condition_edges(scheme, rule, key):
    t = rule.trigger
    cond = getattr(t, key)
    year = _year(scheme)

    def holds(value: int) -> bool:
        if t.kind == "hires":
            values = {
                "count": _passing(t.count),
                "contract_months": _passing(t.contract_months),
                "insured_months": _passing(t.insured_months),
            }
            values[key] = value
            facts = _hire_facts(
                rule,
                year,
                count=values["count"],
                contract=values["contract_months"],
                insured=values["insured_months"],
            )
        else:
            values = {
                "organisations": _passing(t.organisations),
                "attendees": _passing(t.attendees),
            }
            values[key] = value
            facts = [
                Fact(
                    1,
                    "event",
                    "边界企业",
                    year=year,
                    count=values["organisations"],
                    attendees=values["attendees"],
                )
            ]
        return _claim(scheme, rule, facts) is not None

    n = int(cond.value)
    expected = {">=": (False, True, True), ">": (False, False, True)}[cond.op]
    assert (holds(n - 1), holds(n), holds(n + 1)) == expected, f"{cond.word}{n}"


def _cap_cases() -> list[Any]:
    out = []
    for s in SCHEMES:
        for r in s.rules:
            if r.amount.kind == "per_head" and r.amount.cap is not None:
                out.append(pytest.param(s, r, "per_head", id=f"{s.id}:{r.id}:cap"))
            for where in r.amount.item_caps or {}:
                out.append(pytest.param(s, r, where, id=f"{s.id}:{r.id}:{where}"))
    return out


@pytest.mark.parametrize(("scheme", "rule", "which"), _cap_cases())
def test_caps(scheme, rule, which):
    a = rule.amount
    year = _year(scheme)
    if which == "per_head":
        t = rule.trigger
        at_cap = int(a.cap / a.rate)

        def amount(n: int) -> Decimal | None:
            return _claim(
                scheme,
                rule,
                _hire_facts(
                    rule,
                    year,
                    count=n,
                    contract=_passing(t.contract_months),
                    insured=_passing(t.insured_months),
                ),
            )

        assert amount(at_cap) == a.cap
        assert amount(at_cap - 1) == a.cap - a.rate
        assert amount(at_cap + 1) == a.cap
    else:
        cap = a.item_caps[which]

        def amount(cost: Decimal) -> Decimal | None:
            return _claim(
                scheme,
                rule,
                [Fact(1, "booth", "边界企业", year=year, code=which, amount=cost, count=1)],
            )

        assert amount(cap / a.rate) == cap
        assert amount(cap / a.rate - CENT * 2) == cap - CENT
        assert amount(cap / a.rate + CENT * 2) == cap


def test_every_firm_year_cap_is_reached_and_cut():
    for s in SCHEMES:
        for cap in s.caps:
            rule = s.rule(cap.rules[0])
            where = next(iter(rule.amount.item_caps))
            per_booth = rule.amount.item_caps[where]
            booths = int(cap.amount / per_booth) + 1
            cost = per_booth / rule.amount.rate * booths
            facts = [
                Fact(1, "booth", "边界企业", year=_year(s), code=where, amount=cost, count=booths)
            ]
            result = subject_rewards(s, SubjectFacts("边界企业", "firm", facts), _year(s))
            assert sum(c.amount for c in result.claims) == cap.amount
            assert [a.amount for a in result.set_aside if a.reason == "cap_reached"] == [per_booth]


def test_generated_cases_cover_every_boundary_kind():
    assert _tier_cases() and _condition_cases() and _cap_cases()
    words = {getattr(p.values[1].trigger, p.values[2]).word for p in _condition_cases()}
    assert {"超过", "以上", "满", "达"} <= words
