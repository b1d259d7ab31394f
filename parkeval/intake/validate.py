"""Validation: raw rows of any reader → a :class:`~parkeval.intake.schema.Dossier` of exact
values, or one :class:`~parkeval.errors.InputError` listing every problem with its place.

Nothing is written anywhere until every file of an import is valid.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from parkeval.errors import InputError, Problem
from parkeval.intake.schema import (
    SECTIONS,
    AttestationRecord,
    Dossier,
    ParkRecord,
    RawDossier,
    RawRow,
    RowRef,
    SectionSpec,
    SiteRecord,
    TenantRecord,
)
from parkeval.limits import MAX_LONG_TEXT, MAX_TEXT, shown, text_problem
from parkeval.policy.vocabulary import AREA_KINDS, HR_CLASSES

HISTORY_SECTIONS = ("certifications", "targets", "assessments")


# Fields whose text may run over several lines (and be longer).
MULTILINE_FIELDS = frozenset({"note", "evidence", "goals", "notes"})
_SCALARS = (str, int, float, Decimal, bool, dt.date)


def scalar_problem(value: Any, *, multiline: bool = False) -> str | None:
    """Why a raw value cannot go into a field, before its parser sees it: not a single value
    (a list, a mapping, a set, binary data), or text beyond :func:`parkeval.limits.text_problem`."""
    if not isinstance(value, _SCALARS):
        return f"应为单个值（文字、数字或日期），而不是{shown(value)}"
    if isinstance(value, str):
        limit = MAX_LONG_TEXT if multiline else MAX_TEXT
        return text_problem(value, limit=limit, multiline=multiline)
    return None


def _parse_row(spec: SectionSpec, row: RawRow, problems: list[Problem]) -> dict[str, Any] | None:
    if row.ref.section == "revenue" and row.ref.path is not None:
        # a YAML tenant's nested ``revenue: {year: amount}`` carries the tenant's credit code:
        # a problem with it is reported once, at the tenant, not again for every year
        own: list[Problem] = []
        out = _parse_row_fields(spec, row, own)
        problems.extend(p for p in own if p.where != row.ref.at("credit_code"))
        return out
    return _parse_row_fields(spec, row, problems)


def _parse_row_fields(
    spec: SectionSpec, row: RawRow, problems: list[Problem]
) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    ok = True
    for f in spec.fields:
        value = row.values.get(f.key)
        empty = value is None or (isinstance(value, str) and not value.strip())
        if empty:
            if f.required:
                problems.append(Problem(row.ref.at(f.key), f"缺少必填项；{f.help}".rstrip("；")))
                ok = False
            out[f.key] = None
            continue
        problem = scalar_problem(value, multiline=f.key in MULTILINE_FIELDS)
        if problem:
            problems.append(Problem(row.ref.at(f.key), problem))
            ok = False
            continue
        try:
            out[f.key] = f.parse(value)
        except ValueError as exc:
            problems.append(Problem(row.ref.at(f.key), str(exc)))
            ok = False
    return out if ok else None


def _tenant_class(row: RawRow, values: dict[str, Any], problems: list[Problem]) -> str:
    """The tenant's class from 机构类别, or from 是否人力资源服务机构 (是 → 许可证或备案, 否 →
    not an HR institution) when only that is given; the two must agree when both are."""
    given, yes = values.get("hr_class"), values.get("hr_service")
    if given is None and yes is None:
        problems.append(
            Problem(
                row.ref.at("hr_class"),
                "缺少必填项：填写「机构类别」（或「是否人力资源服务机构」是/否）",
            )
        )
        return "none"
    if given is None:
        return "licensed_or_filed" if yes else "none"
    # 是 has always meant 许可证 or 备案: it contradicts only 非人力资源服务机构, and 否 only a
    # class holding one of them (a public institution holds neither, so either answer fits)
    if yes is not None and given != "public" and yes != (given != "none"):
        problems.append(
            Problem(
                row.ref.at("hr_service"),
                f"与「机构类别」（{HR_CLASSES[given]}）不一致；只填「机构类别」即可",
            )
        )
    return str(given)


def _collect_tenants(
    parsed: dict[str, list[tuple[RawRow, dict[str, Any]]]],
    sites: dict[str, SiteRecord],
    problems: list[Problem],
) -> dict[str, TenantRecord]:
    """The tenant rows and their revenue rows, checked against each other and the sites."""
    tenants: dict[str, TenantRecord] = {}
    duplicated: set[str] = set()
    for row, values in parsed["tenants"]:
        code = values["credit_code"]
        if code in tenants:
            problems.append(
                Problem(
                    row.ref.at("credit_code"),
                    f"统一社会信用代码 {code} 在本园区出现两次（{tenants[code].name}）",
                )
            )
            duplicated.add(code)
            continue
        site = sites.get(values["site"])
        largest = max(site.areas().items(), key=lambda kv: kv[1], default=None) if site else None
        if site is None:
            known = "、".join(sites) or "（无）"
            problems.append(
                Problem(row.ref.at("site"), f"未知的场地 “{values['site']}”；已有场地：{known}")
            )
        elif (
            largest is not None
            and values["leased_area_m2"] is not None
            and values["leased_area_m2"] > largest[1]
        ):
            problems.append(
                Problem(
                    row.ref.at("leased_area_m2"),
                    f"入驻面积 {values['leased_area_m2']}㎡ 大于所在场地「{site.name}」"
                    f"的{AREA_KINDS[largest[0]]} {largest[1]}㎡",
                )
            )
        values["hr_class"] = _tenant_class(row, values, problems)
        del values["hr_service"]
        if values["move_out"] is not None and values["move_out"] <= values["move_in"]:
            problems.append(
                Problem(
                    row.ref.at("move_out"),
                    f"迁出日期 {values['move_out']} 应晚于迁入日期 {values['move_in']}",
                )
            )
        tenants[code] = TenantRecord(**values)

    for row, values in parsed["revenue"]:
        tenant = tenants.get(values["credit_code"])
        if values["credit_code"] in duplicated:
            continue  # already reported: which of the two rows the revenue belongs to is unknown
        if tenant is None:
            problems.append(
                Problem(
                    row.ref.at("credit_code"),
                    f"营业收入对应的机构 {values['credit_code']} 不在入驻机构中",
                )
            )
        elif values["year"] in tenant.revenue:
            problems.append(
                Problem(row.ref.at("year"), f"{tenant.name} 的 {values['year']} 年营业收入重复填报")
            )
        else:
            tenant.revenue[values["year"]] = values["amount_yuan"]
    return tenants


def validate_tenants(raw: RawDossier, sites: dict[str, SiteRecord]) -> list[TenantRecord]:
    """Only the tenants (and their revenue) of a file, for a park whose sites are known —
    ``whatif --add-tenant``: the same fields and checks as in a dossier, or one
    :class:`InputError` listing every problem."""
    problems: list[Problem] = []
    parsed = {
        key: [
            (r, p)
            for r in raw.sections.get(key, [])
            if (p := _parse_row(SECTIONS[key], r, problems)) is not None
        ]
        for key in ("tenants", "revenue")
    }
    if not raw.sections.get("tenants"):
        problems.append(Problem(raw.source, "没有入驻机构（tenants / 工作表「入驻机构」）"))
    other = [k for k, rows in raw.sections.items() if rows and k not in ("tenants", "revenue")]
    if other:
        problems.append(
            Problem(raw.source, f"只应包含入驻机构及其营业收入，而不是 {'、'.join(other)}")
        )
    tenants = _collect_tenants(parsed, sites, problems)
    if problems:
        raise InputError(problems)
    return list(tenants.values())


def validate(raw: RawDossier) -> Dossier:
    """Check every field and the cross-references; raise :class:`InputError` listing all problems."""
    problems: list[Problem] = []
    if not any(raw.sections.get(k) for k in SECTIONS):
        raise InputError(
            [
                Problem(
                    raw.source,
                    "文件为空：没有园区、场地或入驻机构数据（用 parkeval template 生成模板）",
                )
            ]
        )
    parsed: dict[str, list[tuple[RawRow, dict[str, Any]]]] = {}
    for key, spec in SECTIONS.items():
        rows = raw.sections.get(key, [])
        parsed[key] = [(r, p) for r in rows if (p := _parse_row(spec, r, problems)) is not None]

    park_rows = raw.sections.get("park", [])
    if not park_rows:
        problems.append(Problem(raw.source, "缺少园区基本情况（park / 工作表「园区」）"))
    elif len(park_rows) > 1:
        problems.append(
            Problem(park_rows[1].ref.at(), "一个文件只能描述一个园区；「园区」只填一行")
        )

    sites: dict[str, SiteRecord] = {}
    for row, values in parsed["sites"]:
        if values["code"] in sites:
            problems.append(Problem(row.ref.at("code"), f"场地编码 “{values['code']}” 重复"))
            continue
        site = SiteRecord(**values)
        if not site.areas():
            problems.append(
                Problem(
                    row.ref.at("building_area_m2"),
                    "至少填写一种面积（建筑面积、使用面积、产权面积或租赁面积）",
                )
            )
        elif (
            site.usable_area_m2 is not None
            and site.building_area_m2 is not None
            and site.usable_area_m2 > site.building_area_m2
        ):
            problems.append(
                Problem(
                    row.ref.at("usable_area_m2"),
                    f"使用面积 {site.usable_area_m2}㎡ 大于建筑面积 {site.building_area_m2}㎡",
                )
            )
        sites[values["code"]] = site
    cores = [s for s in sites.values() if s.role == "core"]
    if raw.sections.get("sites") is not None or park_rows:
        if not raw.sections.get("sites"):
            problems.append(
                Problem(raw.source, "缺少园区场地（sites / 工作表「园区场地」）：至少一个核心园区")
            )
        elif len(cores) != 1 and len(sites) == len(raw.sections["sites"]):
            problems.append(
                Problem(
                    raw.sections["sites"][0].ref.at("role"),
                    f"应恰好有一个核心园区（core），现有 {len(cores)} 个",
                )
            )

    tenants = _collect_tenants(parsed, sites, problems)

    attestations: dict[str, AttestationRecord] = {}
    for row, values in parsed["attestations"]:
        if values["criterion_id"] in attestations:
            problems.append(
                Problem(row.ref.at("criterion_id"), f"条件 “{values['criterion_id']}” 重复")
            )
        elif values["met"] and not values["evidence"]:
            problems.append(
                Problem(
                    row.ref.at("evidence"), "声明满足的定性条件必须写明证明材料（文件名或文号）"
                )
            )
        else:
            attestations[values["criterion_id"]] = AttestationRecord(**values, ref=row.ref)

    park_values = next((v for r, v in parsed["park"]), None)
    dossier = None
    if park_values is not None:
        dossier = Dossier(
            raw.source,
            raw.sha256,
            ParkRecord(**park_values),
            list(sites.values()),
            list(tenants.values()),
            list(attestations.values()),
        )
        _validate_history(raw, dossier, problems)
    if problems or dossier is None:
        raise InputError(problems or [Problem(raw.source, "缺少园区基本情况")])
    return dossier


def _validate_history(raw: RawDossier, dossier: Dossier, problems: list[Problem]) -> None:
    """Parse the history sections into ``dossier.history`` and check rows against each other."""
    scratch: list[Problem] = []  # field problems were already reported by validate()
    for key in HISTORY_SECTIONS:
        rows = [
            (r, v)
            for r in raw.sections.get(key, [])
            if (v := _parse_row(SECTIONS[key], r, scratch)) is not None
        ]
        seen: dict[tuple[Any, ...], RowRef] = {}
        kept = []
        for row, values in rows:
            natural = {
                "certifications": ("policy", "certified_on"),
                "targets": ("year",),
                "assessments": ("policy", "cycle", "year"),
            }[key]
            ident = tuple(values[k] for k in natural)
            if ident in seen:
                problems.append(
                    Problem(
                        row.ref.at(natural[-1]),
                        f"与 {seen[ident].at()} 重复（{'、'.join(map(str, ident))}）",
                    )
                )
                continue
            seen[ident] = row.ref
            if key == "assessments" and values["rating"] and not values["rated_on"]:
                problems.append(
                    Problem(row.ref.at("rated_on"), "填写了正式等次，须同时填写评定日期")
                )
                continue
            kept.append((row.ref, values))
        dossier.history[key] = kept
