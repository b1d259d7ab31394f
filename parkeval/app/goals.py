"""Development goals against the recorded parks: for one park (its park goals and its city's
goals), for a city (the city goals and each park's), and the goals whose year has passed or
comes within a window without being met (for ``due``).

Which goals apply: a goal file applies to a park whose recorded province and city its
``jurisdiction`` covers (the same place-name matching as a policy's, so 包头市 = 包头); a park
without a recorded city is covered by no city's goals. A city goal sums every recorded park of
the city that is not retired. Every park needed is read in one :func:`load_snapshots` call (one
query per table), tallied on the day asked with every year it has revenue for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from parkeval.app.settings import Settings
from parkeval.domain.goals import DRAFT_NOTE, GoalResult, evaluate_goal
from parkeval.errors import NotFoundError
from parkeval.policy.goals import GoalRegistry, GoalSet
from parkeval.policy.vocabulary import place_key


@dataclass
class GoalsReport:
    """``goals --json``: the goals of every document that applies, against the actuals."""

    as_of: dt.date
    park: str | None  # the park asked for (None for --city)
    city: str | None  # the city asked for (None for a park)
    documents: list[dict[str, Any]]  # id, title, draft, jurisdiction of each document applied
    goals: list[GoalResult] = field(default_factory=list)
    park_names: dict[str, str] = field(default_factory=dict)


def _covered(goals: GoalSet, province: str | None, city: str | None) -> bool:
    return goals.jurisdiction.covers(province, city) is True


def evaluate_for_parks(
    connection: Any, registry: GoalRegistry, codes: Sequence[str], *, as_of: dt.date
) -> tuple[dict[str, list[GoalResult]], dict[str, str]]:
    """Each park's goals (park goals on the park, city goals on its city's recorded parks),
    computed once per document for a city; and the names of the parks read."""
    from parkeval.store.snapshot import load_snapshots, park_index

    index = park_index(connection)
    rows = {p.code: p for p, _retired in index}
    missing = [c for c in codes if c not in rows]
    if missing:
        load_snapshots(connection, codes=missing)  # raises the usual not-found error
    applying = {
        code: [g for g in registry.all() if _covered(g, rows[code].province, rows[code].city)]
        for code in codes
    }
    documents = {g.id: g for gs in applying.values() for g in gs}
    members = {
        gid: [p.code for p, retired in index if not retired and _covered(g, p.province, p.city)]
        for gid, g in documents.items()
    }
    wanted = sorted(set(codes) | {c for cs in members.values() for c in cs})
    out: dict[str, list[GoalResult]] = {code: [] for code in codes}
    if not wanted or not any(applying.values()):
        return out, {c: rows[c].name for c in codes}
    snapshots = {
        s.park.code: s
        for s in load_snapshots(connection, codes=wanted, as_of=as_of, every_revenue_year=True)
    }
    city_results: dict[tuple[str, str], GoalResult] = {}
    for code in codes:
        for goals in applying[code]:
            city_facts = [snapshots[c].facts for c in members[goals.id]]
            for goal in goals.goals:
                if goal.scope == "park":
                    out[code].append(
                        evaluate_goal(goals, goal, [snapshots[code].facts], as_of=as_of)
                    )
                    continue
                key = (goals.id, goal.id)
                if key not in city_results:
                    city_results[key] = evaluate_goal(goals, goal, city_facts, as_of=as_of)
                out[code].append(city_results[key])
    return out, {c: rows[c].name for c in wanted}


def _documents(sets: Sequence[GoalSet]) -> list[dict[str, Any]]:
    return [
        {
            "id": g.id,
            "title": g.display_title,
            "draft": g.draft,
            "jurisdiction": g.jurisdiction.display,
            "note": DRAFT_NOTE if g.draft else None,
        }
        for g in sets
    ]


def park_goals(settings: Settings, park: str, as_of: dt.date | None = None) -> GoalsReport:
    """The goals that apply to one park, on ``as_of`` (default today)."""
    from parkeval.domain.calendar import check_not_after_today
    from parkeval.store.database import reading

    day = check_not_after_today(as_of or settings.today, settings.today, "统计日")
    with reading(settings.database) as connection:
        results, names = evaluate_for_parks(connection, settings.goals, [park], as_of=day)
    ids = list(dict.fromkeys(r.goals_id for r in results[park]))
    return GoalsReport(
        day, park, None, _documents([settings.goals.get(i) for i in ids]), results[park], names
    )


def city_goals(settings: Settings, city: str, as_of: dt.date | None = None) -> GoalsReport:
    """The goals of every document issued for ``city`` (包头 = 包头市): the city goals on its
    recorded parks together, and the park goals on each of them."""
    from parkeval.domain.calendar import check_not_after_today
    from parkeval.store.database import reading
    from parkeval.store.snapshot import park_index

    day = check_not_after_today(as_of or settings.today, settings.today, "统计日")
    key = place_key(city)
    sets = [
        g
        for g in settings.goals.all()
        if place_key(g.jurisdiction.city or g.jurisdiction.province) == key
    ]
    if not sets:
        known = "、".join(
            sorted({g.jurisdiction.city or g.jurisdiction.province for g in settings.goals.all()})
        )
        raise NotFoundError(
            f"没有 “{city}” 的发展目标文件。已有：{known or '（无）'}",
            hint="用 --goals-file 或 PARKEVAL_GOALS_PATH 加入该市的发展目标文件。",
        )
    with reading(settings.database) as connection:
        index = park_index(connection)
        codes = [
            p.code
            for p, retired in index
            if not retired and any(_covered(g, p.province, p.city) for g in sets)
        ]
        from parkeval.store.snapshot import load_snapshots

        snapshots = (
            load_snapshots(connection, codes=codes, as_of=day, every_revenue_year=True)
            if codes
            else []
        )
    results: list[GoalResult] = []
    for goals in sets:
        mine = [s for s in snapshots if _covered(goals, s.park.province, s.park.city)]
        for goal in goals.goals:
            if goal.scope == "city":
                results.append(evaluate_goal(goals, goal, [s.facts for s in mine], as_of=day))
            else:
                results += [evaluate_goal(goals, goal, [s.facts], as_of=day) for s in mine]
    return GoalsReport(
        day,
        None,
        city,
        _documents(sets),
        results,
        {s.park.code: s.park.name for s in snapshots},
    )
