"""A scheme's budget over a generated province equals the sum of what each firm's own
``rewards`` says falls due in the year: the budget's faster replay (the scheme worked out
once, years with one claim or none skipping the group and cap work, quota places ranked once
per period) changes no amount, no firm and no quota place. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest

from parkeval.app.rewards import budget, rewards
from parkeval.app.settings import Settings
from parkeval.policy.vocabulary import place_key
from parkeval.store.database import write_transaction
from parkeval.store.rewards import add_facts

TIERS = [Decimal(v) for v in (15_000_000, 25_000_000, 60_000_000, 200_000_000, 600_000_000)]
HONOURS = [
    ("integrity_demo", "city"), ("integrity_demo", "provincial"), ("integrity_demo", "national"),
    ("hroot_top100", None), ("backbone", "city"), ("high_tech", None), ("world500", None),
    ("talent_elite", None), ("backbone", "city"), ("integrity_demo", "city"),
]  # fmt: skip


def _province(city: str, rules: list[str], *, parks: int, firms: int, seed: int) -> list[dict]:
    """Firms with a location, revenue moving through the tiers, honours (some on the same
    day, so quota places are decided by the date), approvals and payments."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for p in range(parks):
        for f in range(firms):
            row = {"subject": f"省内企业{p:02d}-{f:02d}", "park": f"park-{p}", "city": city}
            rows.append(
                {
                    **row,
                    "kind": "location",
                    "on_date": dt.date(2021 + f % 3, 1 + f % 12, 1),
                    "code": rng.choice(["headquarters", "regional_headquarters", "branch"]),
                    "area": rng.choice(["北部园区", "核心园区"]),
                }  # fmt: skip
            )
            tier = rng.randrange(len(TIERS))
            for year in range(2020, 2026):
                tier = min(tier + (rng.random() < 0.4), len(TIERS) - 1)
                if rng.random() < 0.9:  # now and then a year's revenue is missing
                    rows.append({**row, "kind": "revenue", "year": year,
                                 "code": "main_business", "amount_yuan": TIERS[tier]})  # fmt: skip
                if rng.random() < 0.5:
                    code, level = rng.choice(HONOURS)
                    on = dt.date(year, rng.choice([3, 6]), 1) if rng.random() < 0.7 else None
                    rows.append({**row, "kind": "honour", "year": year, "on_date": on,
                                 "code": code, "level": level})  # fmt: skip
                if rng.random() < 0.15:
                    rows.append({**row, "kind": rng.choice(["payment", "approval"]), "year": year,
                                 "code": rng.choice(rules),
                                 "amount_yuan": Decimal(rng.choice([30_000, 50_000]))})  # fmt: skip
    return rows


@pytest.mark.parametrize(
    ("scheme_id", "year", "span"),
    [("lz-2022", 2024, 1), ("jh-draft", 2024, 3), ("jh-draft", 2025, 3)],
)
def test_budget_equals_the_sum_of_every_firms_rewards(
    settings: Settings, scheme_id: str, year: int, span: int
) -> None:
    scheme = settings.schemes.get(scheme_id)
    city = place_key(scheme.city)
    rows = _province(city, [r.id for r in scheme.rules], parks=4, firms=12, seed=len(scheme_id))
    write_transaction(
        settings.database, lambda s: add_facts(s, rows, recorded_by="测试", source="test")
    )
    result = budget(settings, scheme_id, year)

    expected: dict[tuple[str, str, int], Decimal] = {}
    firms = sorted({r["subject"] for r in rows})
    for award_year in range(year - span + 1, year + 1):
        for firm in firms:
            (one,) = rewards(settings, scheme_id, award_year, subject=firm).subjects
            for claim in one.claims:
                due = claim.due_in(year)
                if due:
                    expected[(firm, claim.rule, award_year)] = due
    got = {(x.subject, x.rule, x.award_year): x.due for x in result.lines}
    assert got == expected
    assert result.total_due == sum(expected.values(), Decimal(0)) > 0
    assert result.beneficiaries == len(firms)
    paid = sum(
        (r["amount_yuan"] for r in rows if r["kind"] == "payment" and r["year"] == year),
        Decimal(0),
    )
    assert result.paid_in_year == paid
    if scheme_id == "jh-draft":  # the quota is reached in this province and decides places
        reasons = {
            a.reason
            for firm in firms
            for y in (2023, 2024, 2025)
            for a in rewards(settings, scheme_id, y, subject=firm).subjects[0].set_aside
        }
        assert "quota_full" in reasons
