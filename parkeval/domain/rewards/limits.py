"""The limits on a beneficiary's claims in a year, in order: only the highest of a group
(就高从优、从优从高、不得重复), a cap by the firm's local contribution, caps per firm per year.
What is cut or set aside says why; nothing is scaled down silently."""

from __future__ import annotations

from decimal import Decimal

from parkeval.domain.rewards.facts import SubjectFacts
from parkeval.domain.rewards.results import Claim, SetAside, SubjectRewards
from parkeval.domain.rewards.words import money
from parkeval.policy.scheme.model import Rule, Scheme


def _contribution_cap(rule: Rule, sf: SubjectFacts) -> tuple[Decimal | None, str]:
    years = rule.cap_by_contribution_years or 0
    facts = sf.of("contribution")
    if not facts:
        return None, "未记录地方财力贡献，无法核对上限"
    first = min(f.fact_year for f in facts)
    total = sum(
        (f.amount or Decimal(0) for f in facts if first <= f.fact_year < first + years), Decimal(0)
    )
    return total, f"{first}—{first + years - 1}年地方财力贡献合计{money(total)}"


def apply_groups(
    scheme: Scheme, candidates: list[tuple[Rule, Claim]], out: SubjectRewards
) -> list[tuple[Rule, Claim]]:
    """Keep only the highest claim of each group (per event for events); set the rest aside."""
    if len(candidates) < 2:  # nothing to compare with: most years of most firms
        return list(candidates)
    best: dict[tuple[str, str | None], tuple[Rule, Claim]] = {}
    names = {g.id: g.name for g in scheme.groups}
    kept: list[tuple[Rule, Claim]] = []
    for rule, claim in candidates:
        if rule.group is None:
            kept.append((rule, claim))
            continue
        key = (rule.group, claim.item if rule.trigger.kind == "event" else None)
        if key not in best or claim.amount > best[key][1].amount:
            best[key] = (rule, claim)
    winners = {id(c) for _, c in best.values()}
    for rule, claim in candidates:
        if rule.group is None:
            continue
        if id(claim) in winners:
            kept.append((rule, claim))
        else:
            key = (rule.group, claim.item if rule.trigger.kind == "event" else None)
            top = best[key][1]
            out.set_aside.append(
                SetAside(
                    rule.id,
                    rule.title,
                    rule.article,
                    claim.year,
                    "lower_in_group",
                    f"{claim.why}；与“{top.title}”（{money(top.amount)}）同属{names[rule.group]}，只享受最高一项",
                    claim.subject,
                    claim.item,
                    claim.amount,
                )  # fmt: skip
            )
    order = {id(c): i for i, (_, c) in enumerate(candidates)}
    return sorted(kept, key=lambda rc: order[id(rc[1])])


def apply_caps(
    scheme: Scheme, claims: list[tuple[Rule, Claim]], sf: SubjectFacts, out: SubjectRewards
) -> list[tuple[Rule, Claim]]:
    """Apply the cap by contribution, then every cap per firm per year; cut amounts are set aside."""
    if not claims:
        return []
    kept: list[tuple[Rule, Claim]] = []
    for rule, claim in claims:
        if rule.cap_by_contribution_years:
            limit, text = _contribution_cap(rule, sf)
            if limit is None:
                out.set_aside.append(
                    SetAside(
                        rule.id,
                        rule.title,
                        rule.article,
                        claim.year,
                        "missing_data",
                        f"{claim.why}；但{text}",
                        claim.subject,
                        claim.item,
                        claim.amount,
                    )  # fmt: skip
                )
                continue
            claim.notes.append(f"上限：{text}")
            if claim.amount > limit:
                out.set_aside.append(
                    SetAside(
                        rule.id,
                        rule.title,
                        rule.article,
                        claim.year,
                        "cap_reached",
                        f"超过企业两年内地方财力贡献（{money(limit)}）的部分{money(claim.amount - limit)}不予奖励",
                        claim.subject,
                        claim.item,
                        claim.amount - limit,
                    )  # fmt: skip
                )
                _reduce(claim, limit)
                if limit == 0:
                    continue
        kept.append((rule, claim))
    for cap in scheme.caps:
        used = Decimal(0)
        for rule, claim in kept:
            if rule.id not in cap.rules:
                continue
            room = max(cap.amount - used, Decimal(0))
            if claim.amount > room:
                out.set_aside.append(
                    SetAside(
                        rule.id,
                        rule.title,
                        rule.article,
                        claim.year,
                        "cap_reached",
                        f"单个企业年度补助总额不超过{money(cap.amount)}（{cap.article}），超出的{money(claim.amount - room)}不予补助",
                        claim.subject,
                        claim.item,
                        claim.amount - room,
                    )  # fmt: skip
                )
                _reduce(claim, room)
            used += claim.amount
        kept = [(r, c) for r, c in kept if not (r.id in cap.rules and c.amount == 0)]
    return kept


def _reduce(claim: Claim, limit: Decimal) -> None:
    share = limit / claim.amount if claim.amount else Decimal(0)
    claim.notes.append(f"按上限由{money(claim.amount)}减至{money(limit)}")
    claim.amount = limit
    claim.schedule = [(y, a * share) for y, a in claim.schedule]
