"""Compare a park across policies (``compare``): its 市级 title and the 自治区级 one it aims for,
criterion by criterion, with what is still missing under each, nearest first.

One snapshot serves every policy: the sums for the union of the years the policies read, and
the waivers recorded under each. Nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from parkeval.app.certify import evaluate_snapshot
from parkeval.app.settings import Settings
from parkeval.domain.calendar import certification_period
from parkeval.domain.compare import CompareRow, Standing, by_level, compare_rows, standing
from parkeval.domain.metrics import policy_years
from parkeval.domain.results import CertificationResult
from parkeval.errors import ParkevalError
from parkeval.policy.model import LEVEL_NAMES, Policy, place_key

if TYPE_CHECKING:
    from parkeval.domain.lifecycle import LifecycleRecords
    from parkeval.store.snapshot import ParkSnapshot


@dataclass
class TitleHeld:
    """A title the park holds (its state on the day), under one of the registered policies."""

    policy: str
    level: str
    level_name: str
    state: str  # active | rectifying | revoked
    certified_on: dt.date


@dataclass
class Prerequisite:
    """What a policy expects the park to hold first (gx-2021 第三条) and whether it does."""

    policy: str
    article: str
    wording: str
    level_name: str  # the level expected, in the words of that level (市级)
    held: list[str]  # policies of that level (in the same province) whose title is in force


@dataclass
class Comparison:
    """``compare --json``: the park under each policy (lowest level first), the certify
    contract per policy in ``results``, and the table of rows."""

    park: str
    park_name: str
    year: int
    as_of: dt.date
    policies: list[str]
    standings: list[Standing]
    rows: list[CompareRow]
    results: list[CertificationResult]
    titles: list[TitleHeld] | None = None  # for one park (None with --all)
    prerequisites: list[Prerequisite] = field(default_factory=list)


def _titles(settings: Settings, park: str, records: LifecycleRecords) -> list[TitleHeld]:
    from parkeval.app.lifecycle import status_from_records

    status = status_from_records(settings, park, records, as_of=settings.today)
    out = []
    for cert in status.certifications:
        policy = settings.registry.policies.get(cert.policy)
        if policy is not None:
            out.append(
                TitleHeld(policy.id, policy.level, policy.level_name, cert.state, cert.certified_on)
            )
    return out


def _prerequisites(
    settings: Settings, policies: list[Policy], titles: list[TitleHeld]
) -> list[Prerequisite]:
    out = []
    for policy in policies:
        need = policy.builds_on
        if need is None:
            continue
        held = [
            t.policy
            for t in titles
            if t.level == need.level
            and t.state != "revoked"
            and place_key(settings.registry.get(t.policy).jurisdiction.province)
            == place_key(policy.jurisdiction.province)
        ]
        out.append(
            Prerequisite(policy.id, need.article, need.wording, LEVEL_NAMES[need.level][0], held)
        )
    return out


def compare_snapshot(
    settings: Settings,
    policies: list[Policy],
    snapshot: ParkSnapshot,
    *,
    year: int,
    as_of: dt.date,
) -> Comparison:
    """One loaded park judged under each policy and laid side by side."""
    results = [
        evaluate_snapshot(
            settings,
            p,
            snapshot,
            year=year,
            as_of=as_of,
            waivers=snapshot.policy_waivers.get(p.id, {}),
        )
        for p in policies
    ]
    names = {s.code: s.name for s in snapshot.facts.sites}
    titles = None
    if snapshot.history is not None:
        titles = _titles(settings, snapshot.park.code, snapshot.history)
    return Comparison(
        park=snapshot.park.code,
        park_name=snapshot.park.name,
        year=year,
        as_of=as_of,
        policies=[p.id for p in policies],
        standings=[standing(p, r) for p, r in zip(policies, results, strict=True)],
        rows=compare_rows(results, names),
        results=results,
        titles=titles,
        prerequisites=_prerequisites(settings, policies, titles or [])
        if titles is not None
        else [],
    )


def compare(
    settings: Settings,
    *,
    policy_ids: Sequence[str],
    park_codes: Sequence[str] | None,
    year: int | None = None,
    as_of: dt.date | None = None,
) -> list[Comparison]:
    """Compare the named parks (every park when None) under several policies. The year means
    the same under each (the assessment year; each criterion reads the revenue period it
    states from it), and so does the head-count day."""
    from parkeval.store.database import reading
    from parkeval.store.snapshot import load_snapshots

    ids = list(dict.fromkeys(policy_ids))
    if len(ids) < 2:
        raise ParkevalError(
            "比较至少需要两个政策",
            hint="例如：parkeval compare nn-hr --policies bt-2022,gx-2021",
        )
    policies = by_level([settings.registry.get(p) for p in ids])
    year, as_of = certification_period(year, as_of, today=settings.today)
    years = sorted({y for p in policies for y in policy_years(p, year, as_of)})
    one_park = park_codes is not None and len(park_codes) == 1
    with reading(settings.reader) as connection:
        parks = load_snapshots(
            connection,
            codes=park_codes,
            as_of=as_of,
            years=years,
            policy_ids=[p.id for p in policies],
            history=one_park,
        )
    return [compare_snapshot(settings, policies, p, year=year, as_of=as_of) for p in parks]
