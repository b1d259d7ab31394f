"""What is stored about parks: the list, and everything about one park (``parks``, ``show``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from parkeval.app.settings import Settings
from parkeval.policy.model import Policy

if TYPE_CHECKING:
    from parkeval.store.snapshot import ParkSnapshot


@dataclass
class ParkSummary:
    """One line of ``parks``."""

    code: str
    name: str
    province: str | None
    city: str | None
    sites: int
    tenants: int
    revenue_years: list[int]
    imported_at: str  # ISO 8601, to the second
    retired: bool = False


@dataclass
class SiteView:
    code: str
    name: str
    role: str  # core | branch
    building_area_m2: Decimal | None
    usable_area_m2: Decimal | None = None
    property_area_m2: Decimal | None = None
    rented_area_m2: Decimal | None = None


@dataclass
class TenantView:
    credit_code: str
    name: str
    site: str  # the site's code
    hr_service: bool
    license_no: str | None
    leased_area_m2: Decimal | None
    move_in: str  # ISO 8601
    move_out: str | None
    revenue: dict[str, Decimal] = field(default_factory=dict)  # year → 元
    hr_class: str = "none"  # licensed | filed | licensed_or_filed | public | none


@dataclass
class AttestationView:
    met: bool
    evidence: str | None
    note: str | None


@dataclass
class ParkDetail:
    """Everything stored about one park (``show --json``); reports hash it as their input."""

    code: str
    name: str
    province: str | None
    city: str | None
    operator: str | None
    operator_type: str | None
    full_time_staff: int | None
    source_file: str | None
    imported_at: str  # ISO 8601, to the second
    layout: str  # single | multi
    sites: list[SiteView]
    tenants: list[TenantView]
    revenue_by_year: dict[str, Decimal]  # year → the sum of every tenant's reported revenue
    attestations: dict[str, AttestationView]


def list_parks(settings: Settings, *, include_retired: bool = False) -> list[ParkSummary]:
    """Every park (retired ones only when asked) with its site count, tenant count and the
    years it has revenue for."""
    from parkeval.store.database import reading
    from parkeval.store.snapshot import list_parks as rows
    from parkeval.store.snapshot import park_index

    with reading(settings.reader) as connection:
        retired = {p.code for p, gone in park_index(connection) if gone}
        return [
            ParkSummary(
                p.code,
                p.name,
                p.province,
                p.city,
                sites,
                tenants,
                years,
                p.imported_at.isoformat(timespec="seconds"),
                p.code in retired,
            )
            for p, sites, tenants, years in rows(connection)
            if include_retired or p.code not in retired
        ]


@dataclass
class ParkSelection:
    """The parks an ``--all`` command covers, and those it leaves out and why."""

    codes: list[str]
    outside: list[str] = field(default_factory=list)  # outside the policy's jurisdiction
    unlocated: list[str] = field(default_factory=list)  # the dossier gives no province/city
    retired: list[str] = field(default_factory=list)

    def left_out(self, policy: Policy | Sequence[Policy] | None) -> list[str]:
        """Sentences saying which parks were left out, and how to include them."""
        lines = []
        chosen = [policy] if isinstance(policy, Policy) else list(policy or [])
        if len(chosen) == 1:
            where = f"《{chosen[0].title}》的适用范围（{chosen[0].jurisdiction.display}）内"
        else:
            where = "、".join(f"《{p.title}》" for p in chosen) + "中任何一个的适用范围内"
        if self.outside and chosen:
            lines.append(
                f"{len(self.outside)} 个园区不在{where}，未列入（--include-outside 一并核查）"
            )
        if self.unlocated and chosen:
            lines.append(
                f"{len(self.unlocated)} 个园区的档案未填写所在省份或城市（{'、'.join(self.unlocated[:5])}"
                f"{'等' if len(self.unlocated) > 5 else ''}），无法确认是否适用，未列入（--include-outside 一并核查）"
            )
        if self.retired:
            lines.append(f"{len(self.retired)} 个园区已停用，未列入（--include-retired 一并列出）")
        return lines


def select_parks(
    settings: Settings,
    *,
    policy: Policy | None = None,
    include_outside: bool = False,
    include_retired: bool = False,
    policies: Sequence[Policy] = (),
) -> ParkSelection:
    """The parks for an ``--all`` command: those not retired and, for a policy, those in its
    jurisdiction or holding a title under it (granted outside it with a stated reason: the
    bureau that granted it keeps it on its lists) — unless asked otherwise. With several
    ``policies`` (``compare``), those of any of them."""
    from parkeval.store.database import reading
    from parkeval.store.lifecycle import titled_parks
    from parkeval.store.snapshot import park_index

    chosen = [*([policy] if policy is not None else []), *policies]
    with reading(settings.reader) as connection:
        index = park_index(connection)
        titled = titled_parks(connection, [p.id for p in chosen])
    selection = ParkSelection([])
    for park, retired in index:
        if retired and not include_retired:
            selection.retired.append(park.code)
            continue
        verdicts = {p.jurisdiction.covers(park.province, park.city) for p in chosen}
        covered = (
            True
            if not chosen or True in verdicts or park.id in titled
            else (None if None in verdicts else False)
        )
        if covered is True or include_outside:
            selection.codes.append(park.code)
        elif covered is False:
            selection.outside.append(park.code)
        else:
            selection.unlocated.append(park.code)
    return selection


def park_detail(snapshot: ParkSnapshot) -> ParkDetail:
    """A snapshot loaded with ``roster=True`` in the words of ``show``."""
    park, facts, roster = snapshot.park, snapshot.facts, snapshot.roster or []
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for t in roster:
        for year, amount in t.revenue.items():
            totals[year] += amount
    return ParkDetail(
        code=park.code,
        name=park.name,
        province=park.province,
        city=park.city,
        operator=park.operator,
        operator_type=park.operator_type,
        full_time_staff=park.full_time_staff,
        source_file=park.source_file,
        imported_at=park.imported_at.isoformat(timespec="seconds"),
        layout=facts.layout,
        sites=[
            SiteView(
                s.code,
                s.name,
                s.role,
                s.building_area,
                s.usable_area,
                s.property_area,
                s.rented_area,
            )
            for s in facts.sites
        ],
        tenants=[
            TenantView(
                t.credit_code,
                t.name,
                t.site,
                t.hr_service,
                t.license_no,
                t.leased_area_m2,
                t.move_in.isoformat(),
                t.move_out.isoformat() if t.move_out else None,
                {str(y): a for y, a in sorted(t.revenue.items())},
                t.hr_class,
            )
            for t in roster
        ],
        revenue_by_year={str(y): totals[y] for y in sorted(totals)},
        attestations={
            k: AttestationView(a.met, a.evidence, a.note)
            for k, a in sorted(facts.attestations.items())
        },
    )


def show_park(settings: Settings, code: str) -> ParkDetail:
    """Everything stored about one park."""
    from parkeval.store.database import reading
    from parkeval.store.snapshot import load_snapshot

    with reading(settings.reader) as connection:
        return park_detail(load_snapshot(connection, code=code, roster=True))
