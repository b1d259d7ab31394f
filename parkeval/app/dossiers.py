"""Dossiers in: read, validate and store files in one transaction, all of them or none.

Also the dossier files a user asks for: a blank Excel template, and a synthetic province.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parkeval.app.settings import Settings
from parkeval.domain import lifecycle as lc
from parkeval.errors import InputError, Problem
from parkeval.intake.load import load_dossier
from parkeval.intake.schema import Dossier
from parkeval.policy.loader import PolicyRegistry

if TYPE_CHECKING:
    from parkeval.store.database import Session


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
    warnings: list[str] = field(default_factory=list)


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


def check_attestations(
    dossier: Dossier, registry: PolicyRegistry
) -> tuple[list[Problem], list[str]]:
    """Every attested criterion id must be a qualitative criterion of a loaded policy: a
    misspelt id would otherwise be kept silently while certify says 缺少证明材料.

    An unknown id is an error naming the row and listing the valid ids when the park lies in
    a loaded policy's jurisdiction; otherwise (a dossier meant for a policy not loaded here) it
    is a warning that names it.
    """
    valid: dict[str, list[str]] = {}
    for policy in registry.all():
        for c in policy.criteria:
            if c.kind == "qualitative":
                valid.setdefault(c.id, []).append(policy.id)
    unknown = [a for a in dossier.attestations if a.criterion_id not in valid]
    if not unknown:
        return [], []
    park = dossier.park
    judged_by = [p for p in registry.all() if p.jurisdiction.covers(park.province, park.city)]
    if judged_by:
        listing = "；".join(
            f"{p.id}：{'、'.join(c.id for c in p.criteria if c.kind == 'qualitative')}"
            for p in judged_by
        )
        problems = [
            Problem(
                a.ref.at("criterion_id") if a.ref else dossier.source,
                f"未知的条件编号 “{a.criterion_id}”；可用的编号（{listing}）",
            )
            for a in unknown
        ]
        return problems, []
    loaded = "、".join(p.id for p in registry.all()) or "（无）"
    warnings = [
        f"{dossier.source}：条件编号 {'、'.join(a.criterion_id for a in unknown)} 不属于已加载的政策（{loaded}），"
        "且园区所在地不在这些政策的适用范围内，未能核对；若该档案用于其他政策，请用 --policy-file 加入该政策"
    ]
    return [], warnings


def _history_records(dossier: Dossier) -> list[tuple[Any, lc.NewRecord]]:
    """A dossier's history rows as the records they stand for, each with its row."""
    out: list[tuple[Any, lc.NewRecord]] = []
    for ref, v in dossier.history.get("certifications", []):
        out.append(
            (
                ref,
                lc.CertificationRecord(
                    v["policy"], v["certified_on"], v["level"], v["doc_no"], source="dossier"
                ),
            )
        )
    for ref, v in dossier.history.get("assessments", []):
        fields = (
            "rating rated_on rated_by proposed_rating proposed_score confirmed_by confirmed_on"
            " rectified_on"
        ).split()
        out.append(
            (
                ref,
                lc.AssessmentRecord(
                    v["policy"],
                    v["cycle"],
                    v["year"],
                    **{f: v[f] for f in fields},
                    from_dossier=True,
                ),
            )
        )
    for ref, v in dossier.history.get("targets", []):
        values = {k: v[k] for k in ("revenue_yuan", "hr_institutions", "occupancy", "goals")}
        out.append(
            (ref, lc.TargetRecord(v["year"], **values, filed_on=v["filed_on"], source="dossier"))
        )
    return out


def check_dossier_history(
    settings: Settings, session: Session, dossiers: Sequence[Dossier]
) -> list[Problem]:
    """The dossiers' certifications, assessments and targets checked exactly as grant, rate,
    assess --save, confirm, rectified and target check them (:func:`lc.check_new_records`),
    beside the records made with commands (the rows an earlier import stored are replaced).
    Called once the parks' rows are stored; their records are read in one query per table."""
    from parkeval.store.snapshot import load_snapshots

    new = {d.park.code: rows for d in dossiers if (rows := _history_records(d))}
    if not new:
        return []
    snapshots = load_snapshots(session.connection(), codes=sorted(new), history=True)
    problems = []
    for snapshot in snapshots:
        park, records = snapshot.park, snapshot.history
        assert records is not None
        kept = lc.LifecycleRecords(
            certifications=[c for c in records.certifications if c.source != "dossier"],
            assessments=[a for a in records.assessments if not a.from_dossier],
            targets=[t for t in records.targets if t.source != "dossier"],
        )
        for ref, record_field, message in lc.check_new_records(
            settings.registry.policies,
            park.province,
            park.city,
            kept,
            new[park.code],
            settings.today,
        ):
            if record_field == "policy":
                message += (
                    "；档案中不能记录适用范围或有效期以外的认定，如确需记录，"
                    "请删除此行，改用 parkeval grant 并写明理由"
                )
            problems.append(Problem(ref.at(record_field), message))
    return problems


def import_dossiers(settings: Settings, dossiers: Sequence[Dossier]) -> list[ImportSummary]:
    """Write validated dossiers in one transaction: all of them, or nothing."""
    return _import(settings, [(None, d) for d in dossiers])


def import_files(
    settings: Settings, paths: Sequence[Path], progress: Callable[[Path], None] | None = None
) -> list[ImportSummary]:
    """Validate every file and write it, in one transaction: nothing is written if any file is
    invalid. Each dossier is written as soon as it is read and checked, so a province's import
    holds one dossier in memory at a time, not all of them."""
    if not paths:
        raise InputError([Problem("parkeval import", "没有指定要导入的文件")])
    return _import(settings, ((Path(p), None) for p in paths), progress)


def _import(
    settings: Settings,
    items: Iterable[tuple[Path | None, Dossier | None]],
    progress: Callable[[Path], None] | None = None,
) -> list[ImportSummary]:
    """Read (a path) or take (a dossier) each item, check it and write it; the problems are
    reported as they always were: every file's reading problems first, else every dossier's
    unknown policies and criteria, else the first dossier whose history contradicts the
    database's."""
    from parkeval.store.audit import record_many
    from parkeval.store.database import write_transaction
    from parkeval.store.dossiers import replace_dossier, replace_dossier_history

    registry = settings.registry
    levels = {p.id: p.level_name for p in registry.all()}
    items = list(items)

    def write(session: Session) -> list[ImportSummary]:
        session.connection()  # take the write lock now, before reading any file
        read_problems: list[Problem] = []
        check_problems: list[Problem] = []
        history_problems: list[Problem] = []
        seen: dict[str, str] = {}
        summaries: list[ImportSummary] = []
        audit: list[dict[str, Any]] = []
        for path, given in items:
            try:
                d = given if given is not None else load_dossier(path)  # type: ignore[arg-type]
            except InputError as exc:
                read_problems.extend(exc.problems)
                d = None
            if d is not None:
                if d.park.code in seen:
                    read_problems.append(
                        Problem(
                            d.source,
                            f"园区编码 “{d.park.code}” 与 {seen[d.park.code]} 重复；"
                            "一次导入中每个园区只能出现一次",
                        )
                    )
                seen[d.park.code] = d.source
                found, warned = check_attestations(d, registry)
                check_problems.extend(found + check_history_policies(d, registry))
                if not (read_problems or check_problems or history_problems):
                    park_id, replaced = replace_dossier(session, dossier=d)
                    # the history rows checked as grant, rate, target… check them
                    history_problems = check_dossier_history(settings, session, [d])
                    if not history_problems:
                        history_problems = replace_dossier_history(
                            session,
                            park_id=park_id,
                            dossier=d,
                            levels=levels,
                            recorded_by=settings.actor,
                        )
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
                            warned,
                        )
                    )
                    audit.append(
                        {
                            "action": "import",
                            "park": d.park.code,
                            "by": settings.actor,
                            "detail": f"{'更新' if replaced else '导入'} {d.source}",
                            "input_sha256": d.sha256,
                        }
                    )
            if progress and path is not None:
                progress(path)
        for problems in (read_problems, check_problems, history_problems):
            if problems:
                raise InputError(problems)  # the transaction is rolled back: nothing written
        record_many(session, audit)
        return summaries

    from parkeval.store.database import discard_new_database, is_new_database

    # each dossier is written as it is read, so a database is opened before the files are
    # checked: a new one is removed again when the import is refused (nothing is left behind)
    new = is_new_database(settings.db_url)
    try:
        return write_transaction(settings.database, write)
    except InputError:
        if new:
            discard_new_database(settings.database)
            settings.forget_database()
        raise


def write_template(path: Path, *, overwrite: bool = False) -> None:
    """Write a blank dossier workbook for a park operator to fill in."""
    from parkeval.intake.template import write_template as write

    write(path, overwrite=overwrite)


def write_synthetic_province(
    out: Path, *, parks: int, tenants: int, years: int, seed: int, fmt: str, force: bool = False
) -> list[Path]:
    """Write one synthetic dossier per park into ``out`` (see :mod:`parkeval.intake.synth`);
    existing files are refused unless ``force``."""
    from parkeval.intake.synth import write_province

    return write_province(
        out, parks=parks, tenants=tenants, years=years, seed=seed, fmt=fmt, force=force
    )
