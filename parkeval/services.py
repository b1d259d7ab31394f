"""What the commands do, as library functions: import, certify, list, show, demo.

Each takes the run's :class:`~parkeval.settings.Settings` and returns plain results;
the CLI only renders them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parkeval.dossier import Dossier, load_dossier
from parkeval.engine import CertificationResult, default_period, evaluate, policy_years
from parkeval.errors import InputError, Problem
from parkeval.settings import Settings


@dataclass
class ImportSummary:
    park: str
    name: str
    source: str
    replaced: bool
    sites: int
    tenants: int
    revenue_rows: int
    attestations: int


# Later commands store more of a dossier (certifications, targets, assessments): each hook
# is called inside the import's transaction with (session, park id, dossier, settings).
IMPORT_HOOKS: list[Callable[[Any, int, Dossier, Settings], None]] = []


def read_dossiers(paths: Sequence[Path], progress: Callable[[Path], None] | None = None) -> list[Dossier]:
    """Read and validate every file; one InputError lists the problems of all of them."""
    problems: list[Problem] = []
    dossiers: list[Dossier] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            dossier = load_dossier(Path(path))
        except InputError as exc:
            problems.extend(exc.problems)
        else:
            if dossier.park.code in seen:
                problems.append(Problem(dossier.source, f"园区编码 “{dossier.park.code}” 与 {seen[dossier.park.code]} 重复；"
                                        "一次导入中每个园区只能出现一次"))
            seen[dossier.park.code] = dossier.source
            dossiers.append(dossier)
        if progress:
            progress(Path(path))
    if problems:
        raise InputError(problems)
    return dossiers


def import_dossiers(settings: Settings, dossiers: Sequence[Dossier]) -> list[ImportSummary]:
    """Write validated dossiers in one transaction: all of them, or nothing."""
    from parkeval.audit import record_many
    from parkeval.db import write_transaction
    from parkeval.repository import replace_dossier

    def write(session: Any) -> list[ImportSummary]:
        summaries = []
        for d in dossiers:
            park_id, replaced = replace_dossier(session, dossier=d)
            for hook in IMPORT_HOOKS:
                hook(session, park_id, d, settings)
            summaries.append(ImportSummary(
                d.park.code, d.park.name, d.source, replaced, len(d.sites), len(d.tenants),
                sum(len(t.revenue) for t in d.tenants), len(d.attestations)))
        record_many(session, [{"action": "import", "park": s.park, "by": settings.actor,
                               "detail": f"{'更新' if s.replaced else '导入'} {s.source}",
                               "input_sha256": d.sha256} for s, d in zip(summaries, dossiers, strict=True)])
        return summaries

    return write_transaction(settings.engine, write)


def import_files(settings: Settings, paths: Sequence[Path],
                 progress: Callable[[Path], None] | None = None) -> list[ImportSummary]:
    """Validate every file, then write them all (nothing is written if any file is invalid)."""
    if not paths:
        raise InputError([Problem("parkeval import", "没有指定要导入的文件")])
    return import_dossiers(settings, read_dossiers(paths, progress))


# Later commands add history the engine takes into account (waivers): each loader gets
# (session, policy id, park ids) and returns {park id: {criterion id: WaiverFacts}}.
WAIVER_LOADERS: list[Callable[[Any, str, list[int]], dict[int, dict[str, Any]]]] = []


def certify(settings: Settings, *, policy_id: str, park_codes: Sequence[str] | None,
            year: int | None = None, as_of: dt.date | None = None) -> list[CertificationResult]:
    """Certify the named parks (all parks when ``park_codes`` is None) against a policy."""
    from sqlmodel import Session

    from parkeval.repository import SumOverflow, load_facts, load_tallied

    policy = settings.registry.get(policy_id)
    year, as_of = default_period(year=year, as_of=as_of, today=settings.today)
    successor = None
    if policy.successor and policy.successor in settings.registry.policies:
        successor = settings.registry.get(policy.successor).title
    # The year before is only read for a growth criterion (bt-2022), not for gx-2021.
    years = policy_years(policy, year)
    with Session(settings.engine) as session:
        try:
            loaded = load_tallied(session, codes=park_codes, as_of=as_of, years=years)
        except SumOverflow:  # sums past 9×10¹⁶ 元 on SQLite: add the rows up here instead
            loaded = load_facts(session, codes=park_codes, years=years)
        waivers: dict[int, dict[str, Any]] = {}
        for loader in WAIVER_LOADERS:
            for park_id, items in loader(session, policy.id, [p.id for p in loaded]).items():
                waivers.setdefault(park_id, {}).update(items)
    return [evaluate(policy, p.facts, year=year, as_of=as_of, waivers=waivers.get(p.id),
                     successor_title=successor) for p in loaded]


def list_parks(settings: Settings) -> list[dict[str, Any]]:
    from sqlmodel import Session

    from parkeval.repository import list_parks as _list

    with Session(settings.engine) as session:
        return _list(session)


def show_park(settings: Settings, code: str) -> dict[str, Any]:
    from sqlmodel import Session

    from parkeval.repository import park_detail

    with Session(settings.engine) as session:
        return park_detail(session, code=code)


def demo_files() -> list[tuple[Path, str]]:
    """The sample dossiers and the policy each is certified under (data/demo/manifest.yaml)."""
    from parkeval.resources import demo_dir
    from parkeval.yamlio import load_yaml

    manifest = load_yaml((demo_dir() / "manifest.yaml").read_text(encoding="utf-8"))
    return [(demo_dir() / item["file"], item["policy"]) for item in manifest["parks"]]


@dataclass
class DemoResult:
    imported: list[ImportSummary]
    results: list[CertificationResult]
    report: Any = None  # parkeval.report.ReportOutcome when a report was asked for


DEMO_REPORT_PARK = "gx-fail"  # multi-site and short of two thresholds: shows gaps and charts


def run_demo(settings: Settings, *, report_path: Path | None = None) -> DemoResult:
    """Load the sample parks and certify each under its policy; with ``report_path``, also
    render one park's PDF report there."""
    files = demo_files()
    imported = import_files(settings, [f for f, _ in files])
    results = []
    for (_path, policy_id), summary in zip(files, imported, strict=True):
        results.extend(certify(settings, policy_id=policy_id, park_codes=[summary.park], year=2024,
                               as_of=dt.date(2024, 12, 31)))
    report = None
    if report_path is not None:
        from parkeval.report import make_report

        policy_id = next(p for (_f, p), s in zip(files, imported, strict=True) if s.park == DEMO_REPORT_PARK)
        report = make_report(settings, park=DEMO_REPORT_PARK, policy_id=policy_id, year=2024,
                             as_of=dt.date(2024, 12, 31), out=report_path)
    return DemoResult(imported, results, report)
