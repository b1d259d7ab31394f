"""Certify parks against a policy: the snapshot loader's sums in, the pure rules' verdicts out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from parkeval.app.settings import Settings
from parkeval.domain.calendar import certification_period
from parkeval.domain.eligibility import evaluate
from parkeval.domain.facts import WaiverFacts
from parkeval.domain.metrics import policy_years
from parkeval.domain.results import CertificationResult
from parkeval.policy.model import Policy

if TYPE_CHECKING:
    from parkeval.store.snapshot import ParkSnapshot


def successor_title(settings: Settings, policy: Policy) -> str | None:
    """The title of the policy that succeeds ``policy``, when it is registered."""
    if policy.successor and policy.successor in settings.registry.policies:
        return settings.registry.get(policy.successor).title
    return None


def evaluate_snapshot(
    settings: Settings,
    policy: Policy,
    snapshot: ParkSnapshot,
    *,
    year: int,
    as_of: dt.date,
    waivers: Mapping[str, WaiverFacts] | None = None,
    known_on: dt.date | None = None,
) -> CertificationResult:
    """A loaded park (its sums, waivers) judged under ``policy`` for ``year`` at ``as_of``
    (``waivers``: those under this policy when the snapshot was loaded for several), as known on
    ``known_on`` (default today; a report's own date, so that verify judges it as it was made:
    whether the revenue year had ended is a fact of that day)."""
    return evaluate(
        policy,
        snapshot.facts,
        year=year,
        as_of=as_of,
        waivers=snapshot.waivers if waivers is None else waivers,
        successor_title=successor_title(settings, policy),
        today=known_on or settings.today,
    )


def certify(
    settings: Settings,
    *,
    policy_id: str,
    park_codes: Sequence[str] | None,
    year: int | None = None,
    as_of: dt.date | None = None,
    known_on: dt.date | None = None,
) -> list[CertificationResult]:
    """Certify the named parks (all parks when ``park_codes`` is None) against a policy.

    ``year`` is the revenue year, ``as_of`` the day tenants and areas are counted (see
    :func:`~parkeval.domain.calendar.certification_period` for the defaults and refusals);
    ``known_on`` the day the results are known on (default today; a summary report's date).
    """
    from parkeval.store.database import reading
    from parkeval.store.snapshot import load_snapshots

    policy = settings.registry.get(policy_id)
    year, as_of = certification_period(year, as_of, today=settings.today)
    with reading(settings.reader) as connection:
        # The year before is only read for a growth criterion (bt-2022), not for gx-2021.
        parks = load_snapshots(
            connection,
            codes=park_codes,
            as_of=as_of,
            years=policy_years(policy, year, as_of),
            policy_id=policy.id,
        )
    return [
        evaluate_snapshot(settings, policy, p, year=year, as_of=as_of, known_on=known_on)
        for p in parks
    ]
