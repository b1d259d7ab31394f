"""Rewards of one beneficiary under one scheme, year by year: pure, from the recorded facts.

The years from the scheme's first year to the year asked are replayed in order, because what
a year may pay depends on the years before: a one-off award already claimed, a revenue tier
already rewarded (the lz top-up), a title that is not the first. In each year: the occasions
of each rule (its trigger), then its requirements, the validity, the exclusions, first time,
once, the quota, the amount (fixed, ceiling, range, per head, percentage, tiers), then the
groups (only the highest), then the caps per item → per firm per year → by contribution.
Caps per fund per year are the budget's (:mod:`.budget`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from parkeval.domain.rewards.facts import Fact, SubjectFacts
from parkeval.domain.rewards.limits import apply_caps, apply_groups
from parkeval.domain.rewards.results import Claim, SetAside, SubjectRewards
from parkeval.domain.rewards.triggers import Occasion, occasions, requirement
from parkeval.domain.rewards.words import LEVEL_WORDS, money
from parkeval.policy.scheme.model import Rule, Scheme

# Quota entries per rule: (date of the honour, beneficiary), for every beneficiary.
Population = dict[str, list[tuple[dt.date, str]]]


@dataclass
class Plan:
    """What a replay reads of a scheme, worked out once (a budget replays every
    beneficiary's years with the same plan): the validity, the rules each kind of beneficiary
    may claim with the fact each trigger starts from, the tier-move setting, the warnings of
    each year."""

    scheme: Scheme
    start: dt.date | None
    end: dt.date
    top_up: bool  # tier moves pay the difference (lz) rather than the new tier in full
    # beneficiary kind → (rule, fact kind the trigger reads, read in the claim year only)
    rules: dict[str, list[tuple[Rule, str, bool]]]
    _warnings: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # (population, rule, first year of the quota period) → beneficiary → place (0 = first);
    # the population is kept with its ranking, so that its id is not reused while cached
    _ranks: dict[tuple[int, str, int], tuple[Population, dict[str, int]]] = field(
        default_factory=dict
    )

    def ranking(self, population: Population, rule: str, first: int, span: int) -> dict[str, int]:
        """Every beneficiary's place in a quota period of a rule, by the date of the honour
        (worked out once per period, not once per beneficiary)."""
        key = (id(population), rule, first)
        if key not in self._ranks:
            entries = sorted(
                (d, s) for d, s in population.get(rule, []) if first <= d.year < first + span
            )
            ranked = list(dict.fromkeys(s for _, s in entries))
            self._ranks[key] = (population, {s: i for i, s in enumerate(ranked)})
        return self._ranks[key][1]

    def warnings(self, year: int) -> tuple[str, ...]:
        """The scheme's warnings for a year (a draft, a year outside its validity)."""
        if year not in self._warnings:
            out, scheme, start, end = [], self.scheme, self.start, self.end
            if scheme.draft:
                out.append(
                    f"{scheme.title}是征求意见稿，尚未施行；以下测算仅供参考（施行日期为本地设置 {start}）"
                )
            if start is not None and not (start.year <= year <= end.year):
                out.append(f"{year}年不在{scheme.title}有效期（{start}至{end}）内")
            self._warnings[year] = tuple(out)
        return self._warnings[year]


def plan(scheme: Scheme) -> Plan:
    """Work out once what every replay under ``scheme`` reads of it."""
    rules: dict[str, list[tuple[Rule, str, bool]]] = {}
    for rule in scheme.rules:
        kind = _TRIGGER_FACTS.get(rule.trigger.kind)
        read = (kind, True) if kind is not None else (
            ("revenue", False) if rule.trigger.kind == "revenue_tiers" else ("location", False)
        )  # fmt: skip
        rules.setdefault(rule.beneficiary, []).append((rule, *read))
    top_up = (
        str(
            scheme.setting("tier_move")
            if any(s.id == "tier_move" for s in scheme.local_settings)
            else "top_up"
        )
        == "top_up"
    )
    return Plan(scheme, scheme.start, scheme.end, top_up, rules)


@dataclass
class _State:
    once: dict[str, int] = field(default_factory=dict)  # rule → the year it was claimed
    tier: dict[str, tuple[int, Decimal, int]] = field(default_factory=dict)  # index, counted, year


def _excluded(scheme: Scheme, sf: SubjectFacts, year: int) -> str | None:
    for ex in scheme.exclusions:
        if ex.fact == "no_star_last_year":
            if any(f.code == "无星" for f in sf.in_year("rating", year - 1)):
                return f"{year - 1}年度星级评定为无星（{ex.article}）"
        else:
            hit = [
                f for f in sf.of("status") if f.code == "severe_dishonesty" and f.fact_year <= year
            ]
            if hit:
                return f"{hit[0].fact_year}年列入严重失信名单（{ex.article}）"
    return None


def _quota_full(
    rule: Rule, how: Plan, sf: SubjectFacts, day: dt.date, population: Population
) -> str | None:
    if rule.quota is None or how.start is None:
        return None
    span = rule.quota.every_years
    first = how.start.year + ((day.year - how.start.year) // span) * span
    place = how.ranking(population, rule.id, first, span).get(sf.subject)
    if place is not None and place >= rule.quota.count:
        return (
            f"{first}—{first + span - 1}年{rule.quota.word}{rule.quota.count}个名额，"
            f"按获评日期排在第{place + 1}位"
        )
    return None


def _approved(sf: SubjectFacts, rule: Rule, year: int) -> Decimal | None:
    found = [f for f in sf.in_year("approval", year) if f.code == rule.id]
    return found[-1].amount if found else None


def _paid(
    sf: SubjectFacts, rule_id: str, before: int | None = None, since: int | None = None
) -> Decimal | None:
    found = [
        f.amount or Decimal(0)
        for f in sf.of("payment")
        if f.code == rule_id
        and (before is None or f.fact_year < before)
        and (since is None or f.fact_year >= since)
    ]
    return sum(found, Decimal(0)) if found else None


def _claim(
    rule: Rule, occ: Occasion, sf: SubjectFacts, year: int, top_up: bool, state: _State
) -> Claim | SetAside:
    a = rule.amount
    approved = _approved(sf, rule, year)
    claim = Claim(
        rule=rule.id, title=rule.title, article=rule.article, wording=rule.wording, year=year,
        amount=Decimal(0), basis="fixed", why=occ.why, subject=sf.subject, subject_kind=sf.subject_kind,
        item=occ.item, approved=approved, fund=rule.fund, group=rule.group,
    )  # fmt: skip
    if a.kind == "fixed":
        assert a.value is not None
        claim.amount = a.value
    elif a.kind == "ceiling":
        assert a.value is not None
        claim.ceiling, claim.amount, claim.basis = a.value, a.value, "ceiling"
    elif a.kind == "range":
        assert a.min is not None and a.max is not None
        claim.minimum, claim.ceiling, claim.amount, claim.basis = a.min, a.max, a.max, "range"
        if approved is not None and not a.min <= approved <= a.max:
            claim.notes.append(
                f"核定金额{money(approved)}不在{money(a.min)}—{money(a.max)}之间，请核对"
            )
    elif a.kind in ("per_head", "percent", "wage_share"):
        claim.amount, claim.basis = occ.computed or Decimal(0), "computed"
        if a.cap is not None and claim.amount > a.cap:
            claim.notes.append(
                f"按标准计{money(claim.amount)}，超过单项上限，按上限{money(a.cap)}计"
            )
            claim.amount = a.cap
        claim.ceiling = a.cap
    elif a.kind == "tiers":
        assert occ.tier is not None and a.tiers is not None
        tier = a.tiers[occ.tier]
        claim.tier = occ.tier + 1
        claim.ceiling = tier.value if tier.ceiling else None
        claim.amount, claim.basis = tier.value, ("ceiling" if tier.ceiling else "fixed")
        before = state.tier.get(rule.id)
        if before is not None:
            index, counted, when = before
            if occ.tier <= index:
                return SetAside(
                    rule.id, rule.title, rule.article, year, "not_higher_tier",
                    f"{occ.why}；{when}年已按第{index + 1}档享受，未升档（不得重复享受）",
                    subject=sf.subject, amount=tier.value,
                )  # fmt: skip
            if top_up:
                paid = _paid(sf, rule.id, before=year)
                received = paid if paid is not None else counted
                claim.paid_before = received
                claim.amount, claim.basis = max(tier.value - received, Decimal(0)), "top_up"
                claim.why += (
                    f"；由第{index + 1}档升至第{occ.tier + 1}档，按新档{money(tier.value)}减去已获"
                    f"{money(received)}补差"
                    + ("" if paid is not None else "（未记录拨付，按此前应得额计）")
                )
    if approved is not None and a.kind != "fixed":
        if claim.ceiling is not None and approved > claim.amount and a.kind != "range":
            claim.notes.append(
                f"核定金额{money(approved)}超过可得{money(claim.amount)}，按{money(claim.amount)}计"
            )
        else:
            claim.amount, claim.basis = approved, "approved"
    if rule.schedule:
        claim.schedule = [(year + i, claim.amount * s) for i, s in enumerate(rule.schedule)]
        claim.why += (
            "；分"
            + str(len(rule.schedule))
            + "年发放："
            + "、".join(f"{y}年{money(v)}" for y, v in claim.schedule)
        )
    else:
        claim.schedule = [(year, claim.amount)]
    claim.paid = _paid(sf, rule.id, since=year) or Decimal(0)
    return claim


def rewards_history(
    scheme: Scheme,
    sf: SubjectFacts,
    up_to: int,
    population: Population | None = None,
    how: Plan | None = None,
) -> list[SubjectRewards]:
    """The rewards of one beneficiary for every year from the scheme's first year up to
    ``up_to`` (or only ``up_to`` when it is earlier), oldest first. ``how``: the scheme's
    :func:`plan`, when the caller replays many beneficiaries."""
    state = _State()
    how = how or plan(scheme)
    first = how.start.year if how.start is not None else up_to
    return [
        _year(scheme, sf, y, state, population or {}, how)
        for y in range(min(first, up_to), up_to + 1)
    ]


def subject_rewards(
    scheme: Scheme, sf: SubjectFacts, year: int, population: Population | None = None
) -> SubjectRewards:
    """The rewards of one beneficiary for one year (the years before replayed)."""
    return rewards_history(scheme, sf, year, population)[-1]


# The kind of fact each trigger reads in the claim year (None: it reads the whole history).
_TRIGGER_FACTS = {
    "honour": "honour", "rating": "rating", "hires": "hire", "event": "event", "booths": "booth",
    "assessment": "assessment", "interns": "intern", "approval": "approval",
}  # fmt: skip


def _year(
    scheme: Scheme,
    sf: SubjectFacts,
    year: int,
    state: _State,
    population: Population,
    how: Plan,
) -> SubjectRewards:
    out = SubjectRewards(scheme.id, scheme.title, scheme.draft, sf.subject, sf.subject_kind, year)
    start, end = how.start, how.end
    out.warnings.extend(how.warnings(year))
    excluded = _excluded(scheme, sf, year)
    candidates: list[tuple[Rule, Claim]] = []

    def aside(
        rule: Rule, reason: str, detail: str, item: str | None = None, amount: Decimal | None = None
    ) -> None:
        out.set_aside.append(
            SetAside(
                rule.id, rule.title, rule.article, year, reason, detail, sf.subject, item, amount
            )
        )

    # a quick look before a rule is read in full: is there a fact its trigger could start from?
    for rule, kind, in_year in how.rules.get(sf.subject_kind, ()):
        if not sf.has(kind, year if in_year else None):
            continue
        for occ in occasions(rule, sf, year, scheme):
            if occ.reason is not None:
                aside(rule, occ.reason, occ.detail, occ.item)
                continue
            if start is not None and not (start <= occ.day <= end):
                aside(
                    rule,
                    "outside_validity",
                    f"{occ.why}；{occ.day.isoformat()}不在有效期（{start}至{end}）内",
                    occ.item,
                )
                continue
            whys, failed = [occ.why], None
            for req in rule.requires:
                reason, text = requirement(req, sf, year, occ.day)
                if reason is not None:
                    failed = (reason, f"{occ.why}；但{text}")
                    break
                whys.append(text)
            if failed is not None:
                aside(rule, failed[0], failed[1], occ.item)
                continue
            occ.why = "；".join(w for w in whys if w)
            if excluded is not None:
                aside(rule, "excluded", f"{occ.why}；但{excluded}", occ.item)
                continue
            if rule.once and rule.id in state.once:
                aside(
                    rule,
                    "already_received",
                    f"一次性奖励，已于{state.once[rule.id]}年享受",
                    occ.item,
                )
                continue
            full = _quota_full(rule, how, sf, occ.day, population)
            if full is not None:
                aside(rule, "quota_full", f"{occ.why}；但{full}", occ.item)
                continue
            made = _claim(rule, occ, sf, year, how.top_up, state)
            if isinstance(made, SetAside):
                out.set_aside.append(made)
                continue
            candidates.append((rule, made))
    claims = apply_groups(scheme, candidates, out)
    claims = apply_caps(scheme, claims, sf, out)
    for rule, claim in claims:
        if rule.once:
            state.once.setdefault(rule.id, year)
        if claim.tier is not None:
            counted = (claim.paid_before or Decimal(0)) + claim.amount
            state.tier[rule.id] = (claim.tier - 1, counted, year)
    out.claims = [c for _, c in claims]
    for kind in ("loan", "transfer"):
        for f in sf.in_year(kind, year):
            out.shown.append({"kind": kind, "amount": f.amount, "note": f.note or "", "year": year})
    return out


def quota_population(scheme: Scheme, facts: Iterable[Fact]) -> Population:
    """For each rule with a quota, the honours that take a place in it (every beneficiary's)."""
    out: Population = {}
    for rule in scheme.rules:
        if rule.quota is None or rule.trigger.lists is None:
            continue
        out[rule.id] = [
            (f.when, f.subject)
            for f in facts
            if f.kind == "honour"
            and f.code in rule.trigger.lists
            and (rule.trigger.levels is None or f.level in rule.trigger.levels)
        ]
    return out


__all__ = [
    "LEVEL_WORDS",
    "Plan",
    "Population",
    "plan",
    "quota_population",
    "rewards_history",
    "subject_rewards",
]
