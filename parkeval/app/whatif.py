"""What-if (``whatif``): a park's verdict and every criterion before and after supposed
changes — a tenant leaving or moving out, new tenants, a site's area, revenue — and the
tenants whose departure alone would break a threshold (``whatif --risks``, reports' 风险提示).

The park is read once with its tenant rows; the changes exist only in memory. Nothing is
written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from parkeval.app.settings import Settings
from parkeval.domain.calendar import certification_period
from parkeval.domain.eligibility import evaluate
from parkeval.domain.facts import ParkFacts, TenantFacts
from parkeval.domain.metrics import policy_years
from parkeval.domain.results import CertificationResult
from parkeval.domain.whatif import (
    AddTenants,
    Change,
    CriterionChange,
    DepartureRisk,
    MoveOut,
    ScaleRevenue,
    SetArea,
    SetRevenue,
    Without,
    departure_risks,
    what_if,
)
from parkeval.errors import NotFoundError, ParkevalError
from parkeval.policy.model import AREA_KINDS, Policy

if TYPE_CHECKING:
    from parkeval.store.snapshot import ParkSnapshot


@dataclass
class WhatIf:
    """``whatif --json``: what was supposed, the verdict and every criterion before and after
    (``before`` and ``after`` are the certify contract)."""

    park: str
    park_name: str
    policy: str
    year: int
    as_of: dt.date
    changes: list[str]
    verdict_before: str
    verdict_after: str
    verdict_changed: bool
    criteria: list[CriterionChange]
    before: CertificationResult
    after: CertificationResult


@dataclass
class Risks:
    """``whatif --risks --json``: the tenants whose departure alone would break a threshold."""

    park: str
    park_name: str
    policy: str
    year: int
    as_of: dt.date
    verdict: str
    risks: list[DepartureRisk]


def find_tenant(facts: ParkFacts, text: str, option: str) -> TenantFacts:
    """A tenant by its credit code, its exact name, or a part of its name found in one tenant
    only; otherwise an error listing the candidates."""
    key = text.strip()
    exact = [t for t in facts.tenants if key.upper() == t.credit_code or key == t.name]
    found = exact or [t for t in facts.tenants if key and key in t.name]
    if len(found) == 1:
        return found[0]
    if not found:
        some = "；".join(f"{t.name}（{t.credit_code}）" for t in facts.tenants[:8])
        more = "等" if len(facts.tenants) > 8 else ""
        raise NotFoundError(
            f"{option} {text}：园区 {facts.code} 没有这家机构",
            hint=f"用统一社会信用代码或名称指明；园区的机构有：{some}{more}（parkeval show {facts.code}）",
        )
    names = "；".join(f"{t.name}（{t.credit_code}）" for t in found[:8])
    raise ParkevalError(
        f"{option} {text}：有 {len(found)} 家机构名称包含它：{names}",
        hint="请用统一社会信用代码或完整名称",
    )


def _load(
    settings: Settings, park: str, policy_id: str, year: int | None, as_of: dt.date | None
) -> tuple[Policy, int, dt.date, ParkSnapshot]:
    """The policy, the period resolved, and the park with its tenant rows."""
    from parkeval.store.database import reading
    from parkeval.store.snapshot import load_snapshot

    policy = settings.registry.get(policy_id)
    year, as_of = certification_period(year, as_of, today=settings.today)
    with reading(settings.reader) as connection:
        snapshot = load_snapshot(
            connection,
            code=park,
            as_of=as_of,
            years=policy_years(policy, year, as_of),
            policy_id=policy.id,
            roster=True,
        )
    return policy, year, as_of, snapshot


def _added(path: Path, facts: ParkFacts) -> AddTenants:
    from parkeval.intake.load import read_raw
    from parkeval.intake.schema import SiteRecord
    from parkeval.intake.validate import validate_tenants

    sites = {
        s.code: SiteRecord(
            s.code, s.name, s.role, s.building_area, s.usable_area, s.property_area, s.rented_area
        )
        for s in facts.sites
    }
    records = validate_tenants(read_raw(path), sites)
    known = {t.credit_code: t.name for t in facts.tenants}
    clash = [f"{r.name}（{r.credit_code}，园区中已有：{known[r.credit_code]}）" for r in records
             if r.credit_code in known]  # fmt: skip
    if clash:
        raise ParkevalError(f"--add-tenant {path}：这些机构已在园区中：{'；'.join(clash)}")
    return AddTenants(
        tuple(
            TenantFacts(
                r.credit_code,
                r.name,
                r.site,
                r.hr_class,
                r.leased_area_m2,
                r.move_in,
                r.move_out,
                dict(r.revenue),
            )
            for r in records
        ),
        str(path),
    )


def what_if_park(
    settings: Settings,
    *,
    park: str,
    policy_id: str,
    year: int | None = None,
    as_of: dt.date | None = None,
    without: Sequence[str] = (),
    move_out: Sequence[tuple[str, dt.date]] = (),
    add_tenants: Sequence[Path] = (),
    areas: Sequence[tuple[str, str, Decimal]] = (),
    revenue_percent: Decimal | None = None,
    revenue: Sequence[tuple[str, Decimal]] = (),
) -> WhatIf:
    """The park under the policy as it is and with the changes supposed (applied in this
    order: departures, move-outs, new tenants, areas, revenue). Nothing is written."""
    policy, year, as_of, snapshot = _load(settings, park, policy_id, year, as_of)
    facts = snapshot.facts
    changes: list[Change] = []
    for text in without:
        t = find_tenant(facts, text, "--without")
        changes.append(Without(t.credit_code, t.name))
    for text, day in move_out:
        t = find_tenant(facts, text, "--move-out")
        if day <= t.move_in:
            raise ParkevalError(f"--move-out {text}={day}：应晚于 {t.name} 的迁入日期 {t.move_in}")
        changes.append(MoveOut(t.credit_code, t.name, day))
    changes += [_added(path, facts) for path in add_tenants]
    sites = {s.code: s for s in facts.sites}
    for code, kind, value in areas:
        if code not in sites:
            raise NotFoundError(
                f"--area {code}：园区 {park} 没有场地 “{code}”；已有场地：{'、'.join(sites)}"
            )
        if kind not in AREA_KINDS:
            kinds = "、".join(f"{k}（{v}）" for k, v in AREA_KINDS.items())
            raise ParkevalError(f"--area {code}:{kind}：面积种类应为 {kinds}")
        changes.append(SetArea(code, sites[code].name, kind, value))
    if revenue_percent is not None:
        changes.append(ScaleRevenue(revenue_percent))
    for text, amount in revenue:
        t = find_tenant(facts, text, "--revenue")
        changes.append(SetRevenue(t.credit_code, t.name, amount))
    if not changes:
        raise ParkevalError(
            "没有给出要假设的变化",
            hint="例如 --without 机构名称、--move-out 机构=2025-06-30、--add-tenant 新机构.yaml、"
            "--area core=6000、--revenue +10%；或用 --risks 列出一旦迁出即会导致不达标的机构",
        )
    outcome = what_if(
        policy,
        facts,
        changes,
        year=year,
        as_of=as_of,
        waivers=snapshot.waivers,
        today=settings.today,
    )
    return WhatIf(
        park=snapshot.park.code,
        park_name=snapshot.park.name,
        policy=policy.id,
        year=year,
        as_of=as_of,
        changes=outcome.changes,
        verdict_before=outcome.verdict_before,
        verdict_after=outcome.verdict_after,
        verdict_changed=outcome.verdict_changed,
        criteria=outcome.criteria,
        before=outcome.before,
        after=outcome.after,
    )


def park_risks(
    settings: Settings,
    *,
    park: str,
    policy_id: str,
    year: int | None = None,
    as_of: dt.date | None = None,
) -> Risks:
    """The tenants whose departure alone would break a threshold met today."""
    policy, year, as_of, snapshot = _load(settings, park, policy_id, year, as_of)
    verdict = evaluate(
        policy, snapshot.facts, year=year, as_of=as_of, waivers=snapshot.waivers
    ).verdict
    return Risks(
        snapshot.park.code,
        snapshot.park.name,
        policy.id,
        year,
        as_of,
        verdict,
        departure_risks(policy, snapshot.facts, year=year, as_of=as_of, waivers=snapshot.waivers),
    )
