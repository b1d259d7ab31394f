"""A park's status under its titles, and what it owes: derived from its records each time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from parkeval.app.settings import Settings
from parkeval.domain import lifecycle as lc
from parkeval.domain.goals import GoalResult, goal_due_items
from parkeval.errors import NotFoundError, ParkevalError
from parkeval.policy.model import Policy

DEFAULT_WITHIN_DAYS = 60


@dataclass
class ParkStatus:
    """``status --json``: every title of the park with its derived state, what is due, and the
    park's other records in force on the day (each with the id to void it by)."""

    park: str
    as_of: dt.date
    certifications: list[lc.CertificationState]
    due: list[lc.DueItem]
    applications: list[lc.ApplicationRecord] = field(default_factory=list)
    targets: list[lc.TargetRecord] = field(default_factory=list)
    waivers: list[lc.WaiverRecord] = field(default_factory=list)
    retired: lc.RetirementRecord | None = None
    voided: list[lc.VoidedRecord] | None = None  # only when asked for (--include-voided)
    # one park's ``status``: the development goals that apply to it (发展目标); not for --all
    goals: list[GoalResult] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``status --json`` contract (``voided`` only when asked for, ``goals`` for one
        park)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        for key in ("voided", "goals"):
            if out[key] is None:
                del out[key]
        return out


@dataclass
class ParkDue:
    """One park's entry of ``due --json``."""

    park: str
    as_of: dt.date
    due: list[lc.DueItem]


def _policies(settings: Settings, ids: Iterable[str]) -> dict[str, Policy]:
    out = {}
    for policy_id in set(ids):
        if policy_id not in settings.registry.policies:
            raise NotFoundError(
                f"历史记录引用了未加载的政策 “{policy_id}”",
                hint="用 --policy-file 或 PARKEVAL_POLICY_PATH 加入该政策文件",
            )
        out[policy_id] = settings.registry.get(policy_id)
    return out


def _states_and_due(
    settings: Settings, records: lc.LifecycleRecords, *, as_of: dt.date, within: int
) -> tuple[list[lc.CertificationState], list[lc.DueItem]]:
    policies = _policies(
        settings,
        [c.policy_id for c in records.certifications] + [a.policy_id for a in records.applications],
    )
    states = lc.derive_states(policies, records.certifications, records.assessments, as_of)
    return states, lc.park_due_items(policies, states, records, as_of=as_of, within=within)


def status_from_records(
    settings: Settings,
    park: str,
    records: lc.LifecycleRecords,
    *,
    as_of: dt.date,
    within: int = DEFAULT_WITHIN_DAYS,
    include_voided: bool = False,
) -> ParkStatus:
    """A park's status from records already loaded (reports load them with the rest)."""
    states, items = _states_and_due(settings, records, as_of=as_of, within=within)
    retired = [r for r in records.retirements if r.retired_on <= as_of]
    return ParkStatus(
        park,
        as_of,
        states,
        items,
        applications=[a for a in records.applications if a.received_on <= as_of],
        targets=[t for t in records.targets if t.filed_on is None or t.filed_on <= as_of],
        waivers=[w for w in records.waivers if w.recorded_on is None or w.recorded_on <= as_of],
        retired=retired[-1] if retired else None,
        # a correction corrects the past too: a voided record counts on no date, and every
        # voiding known now is listed
        voided=list(records.voided) if include_voided else None,
    )


def park_status(
    settings: Settings,
    park_code: str,
    as_of: dt.date | None = None,
    within: int = DEFAULT_WITHIN_DAYS,
    include_voided: bool = False,
) -> ParkStatus:
    """Every title of a park with its state as of a date, its flags and history, and what is
    due within ``within`` days (overdue items included); with ``include_voided``, the records
    withdrawn by corrections too."""
    from parkeval.app.goals import evaluate_for_parks
    from parkeval.store.database import reading
    from parkeval.store.snapshot import load_snapshot

    as_of = as_of or settings.today
    with reading(settings.reader) as connection:
        snapshot = load_snapshot(connection, code=park_code, history=True)
        goals = evaluate_for_parks(connection, settings.goals, [park_code], as_of=as_of)[0]
    assert snapshot.history is not None
    status = status_from_records(
        settings,
        park_code,
        snapshot.history,
        as_of=as_of,
        within=within,
        include_voided=include_voided,
    )
    return add_goals(status, goals[park_code], within=within)


def add_goals(
    status: ParkStatus, goals: list[GoalResult], *, within: int = DEFAULT_WITHIN_DAYS
) -> ParkStatus:
    """One park's status with its development goals on the status's day, and the goals whose
    year ends within the window unmet among what is due (as ``status`` shows them)."""
    status.goals = goals
    status.due = _with_goals(status.due, goals, as_of=status.as_of, within=within)
    return status


def _with_goals(
    items: list[lc.DueItem], goals: list[GoalResult], *, as_of: dt.date, within: int
) -> list[lc.DueItem]:
    """The due items with the goals whose year ends within the window unmet, in due order."""
    extra = goal_due_items(goals, as_of=as_of, within=within)
    return sorted([*items, *extra], key=lambda i: (i.due_date, i.policy, i.what))


def park_statuses(
    settings: Settings,
    park_codes: Sequence[str] | None,
    *,
    as_of: dt.date | None = None,
    within: int = DEFAULT_WITHIN_DAYS,
    include_voided: bool = False,
) -> list[ParkStatus]:
    """:func:`park_status` for many parks (all when None), read in one query per table."""
    as_of = as_of or settings.today
    return [
        status_from_records(
            settings, code, records, as_of=as_of, within=within, include_voided=include_voided
        )
        for code, records in _histories(settings, park_codes)
    ]


def _histories(
    settings: Settings, park_codes: Sequence[str] | None
) -> list[tuple[str, lc.LifecycleRecords]]:
    """Every named park's recorded life (all parks when None), one query per table."""
    from parkeval.store.database import reading
    from parkeval.store.snapshot import load_snapshots

    with reading(settings.reader) as connection:
        snapshots = load_snapshots(connection, codes=park_codes, history=True)
    out = []
    for s in snapshots:
        assert s.history is not None
        out.append((s.park.code, s.history))
    return out


def due(
    settings: Settings,
    park_codes: Sequence[str] | None,
    *,
    as_of: dt.date | None = None,
    within: int = DEFAULT_WITHIN_DAYS,
    policy_id: str | None = None,
) -> list[ParkDue]:
    """What is due or overdue for the parks named (all parks when None), same items as
    ``status``; with ``policy_id``, only the items of that policy."""
    from parkeval.app.goals import evaluate_for_parks
    from parkeval.store.database import reading

    as_of = as_of or settings.today
    if within < 0:
        raise ParkevalError(f"--within 应为非负天数，而不是 {within}")
    histories = _histories(settings, park_codes)
    with reading(settings.database) as connection:
        goals = evaluate_for_parks(
            connection, settings.goals, [code for code, _r in histories], as_of=as_of
        )[0]
    return [
        ParkDue(
            code,
            as_of,
            [
                item
                for item in _with_goals(
                    _states_and_due(settings, records, as_of=as_of, within=within)[1],
                    goals[code],
                    as_of=as_of,
                    within=within,
                )
                if policy_id is None or item.policy == policy_id
            ],
        )
        for code, records in histories
    ]
