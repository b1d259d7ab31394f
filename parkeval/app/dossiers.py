"""Dossiers in: read and validate files, then store them all in one transaction or none.

Also the dossier files a user asks for: a blank Excel template, and a synthetic province.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from parkeval.app.settings import Settings
from parkeval.errors import InputError, Problem
from parkeval.intake.load import load_dossier
from parkeval.intake.schema import Dossier
from parkeval.policy.loader import PolicyRegistry


@dataclass
class ImportSummary:
    """What one file brought in."""

    park: str
    name: str
    source: str
    replaced: bool
    sites: int
    tenants: int
    revenue_rows: int
    attestations: int


def read_dossiers(
    paths: Sequence[Path], progress: Callable[[Path], None] | None = None
) -> list[Dossier]:
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
                problems.append(
                    Problem(
                        dossier.source,
                        f"园区编码 “{dossier.park.code}” 与 {seen[dossier.park.code]} 重复；"
                        "一次导入中每个园区只能出现一次",
                    )
                )
            seen[dossier.park.code] = dossier.source
            dossiers.append(dossier)
        if progress:
            progress(Path(path))
    if problems:
        raise InputError(problems)
    return dossiers


def check_history_policies(dossier: Dossier, registry: PolicyRegistry) -> list[Problem]:
    """The policies and cycles a dossier's certifications and assessments name must be known."""
    problems: list[Problem] = []
    for ref, v in dossier.history.get("certifications", []) + dossier.history.get(
        "assessments", []
    ):
        if v["policy"] not in registry.policies:
            problems.append(
                Problem(
                    ref.at("policy"),
                    f"未知的政策 “{v['policy']}”；已知：{', '.join(sorted(registry.policies))}",
                )
            )
        elif "cycle" in v:
            policy = registry.get(v["policy"])
            if v["cycle"] not in {c.id for c in policy.cycles}:
                problems.append(
                    Problem(
                        ref.at("cycle"),
                        f"政策 {policy.id} 没有考核周期 “{v['cycle']}”；"
                        f"可用：{', '.join(c.id for c in policy.cycles)}",
                    )
                )
    return problems


def import_dossiers(settings: Settings, dossiers: Sequence[Dossier]) -> list[ImportSummary]:
    """Write validated dossiers in one transaction: all of them, or nothing."""
    from parkeval.store.audit import record_many
    from parkeval.store.database import Session, write_transaction
    from parkeval.store.dossiers import replace_dossier, replace_dossier_history

    registry = settings.registry
    levels = {p.id: p.level_name for p in registry.all()}

    def write(session: Session) -> list[ImportSummary]:
        summaries = []
        for d in dossiers:
            park_id, replaced = replace_dossier(session, dossier=d)
            problems = check_history_policies(d, registry)
            if problems:
                raise InputError(problems)
            problems = replace_dossier_history(
                session, park_id=park_id, dossier=d, levels=levels, recorded_by=settings.actor
            )
            if problems:
                raise InputError(problems)
            summaries.append(
                ImportSummary(
                    d.park.code,
                    d.park.name,
                    d.source,
                    replaced,
                    len(d.sites),
                    len(d.tenants),
                    sum(len(t.revenue) for t in d.tenants),
                    len(d.attestations),
                )
            )
        record_many(
            session,
            [
                {
                    "action": "import",
                    "park": s.park,
                    "by": settings.actor,
                    "detail": f"{'更新' if s.replaced else '导入'} {s.source}",
                    "input_sha256": d.sha256,
                }
                for s, d in zip(summaries, dossiers, strict=True)
            ],
        )
        return summaries

    return write_transaction(settings.database, write)


def import_files(
    settings: Settings, paths: Sequence[Path], progress: Callable[[Path], None] | None = None
) -> list[ImportSummary]:
    """Validate every file, then write them all (nothing is written if any file is invalid)."""
    if not paths:
        raise InputError([Problem("parkeval import", "没有指定要导入的文件")])
    return import_dossiers(settings, read_dossiers(paths, progress))


def write_template(path: Path, *, overwrite: bool = False) -> None:
    """Write a blank dossier workbook for a park operator to fill in."""
    from parkeval.intake.template import write_template as write

    write(path, overwrite=overwrite)


def write_synthetic_province(
    out: Path, *, parks: int, tenants: int, years: int, seed: int, fmt: str
) -> list[Path]:
    """Write one synthetic dossier per park into ``out`` (see :mod:`parkeval.intake.synth`)."""
    from parkeval.intake.synth import write_province

    return write_province(out, parks=parks, tenants=tenants, years=years, seed=seed, fmt=fmt)
