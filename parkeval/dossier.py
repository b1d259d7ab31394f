"""Park dossiers: what a park operator files, read from YAML, JSON or an Excel workbook.

Every reader produces a :class:`RawDossier` — rows of raw cell values, each row knowing
where it came from (file, sheet, row, column, or YAML path). :func:`validate` turns it
into a :class:`Dossier` of exact values or raises one :class:`InputError` listing every
problem. Nothing is written anywhere until every file of an import is valid.

The sections and their fields (:data:`SECTIONS`) are shared by the YAML/JSON reader, the
workbook reader and ``parkeval template``, so the three cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from parkeval.errors import InputError, Problem
from parkeval.parsing import (
    parse_area,
    parse_bool,
    parse_count,
    parse_credit_code,
    parse_date,
    parse_money,
    parse_optional_date,
    parse_year,
)

# --------------------------------------------------------------------------- schema


def _text(value: Any) -> str:
    text = str(value).strip()
    if not text:
        raise ValueError("不能为空")
    return text


def _code(value: Any) -> str:
    text = _text(value)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", text):
        raise ValueError(f"编码 “{text}” 只能包含字母、数字、- _ .（如 nn-hr、core、b1）")
    return text


_ROLES = {"core": "core", "核心园区": "core", "核心": "core", "主园区": "core",
          "branch": "branch", "分园区": "branch", "分园": "branch"}
_OPERATOR_TYPES = {"company": "company", "公司": "company", "专业化公司": "company",
                   "committee": "committee", "管委会": "committee"}


def _choice(mapping: dict[str, str], expected: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        key = str(value).strip()
        if key.lower() in mapping:
            return mapping[key.lower()]
        if key in mapping:
            return mapping[key]
        raise ValueError(f"应为 {expected}，而不是 “{value}”")
    return parse


def _positive_area(value: Any) -> Decimal:
    return parse_area(value, allow_zero=False)


@dataclass(frozen=True)
class FieldSpec:
    key: str
    header: str  # the Chinese column header in the workbook
    parse: Callable[[Any], Any]
    required: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()  # offered as an Excel drop-down


@dataclass(frozen=True)
class SectionSpec:
    key: str
    sheet: str
    fields: tuple[FieldSpec, ...]
    help: str
    single: bool = False  # one record (the park), not a list

    def field(self, key: str) -> FieldSpec:
        return next(f for f in self.fields if f.key == key)

    def resolve_header(self, header: str) -> FieldSpec | None:
        """Match a workbook header: the Chinese header, the English key, or "中文 (key)"."""
        text = re.sub(r"\s+", "", str(header or "")).lower()
        for f in self.fields:
            if text in (re.sub(r"\s+", "", f.header).lower(), f.key.lower()):
                return f
            if text.endswith(f"({f.key.lower()})") or text.endswith(f"（{f.key.lower()}）"):
                return f
        return None


SECTIONS: dict[str, SectionSpec] = {
    s.key: s
    for s in (
        SectionSpec("park", "园区", single=True, help="园区基本情况（只填一行）", fields=(
            FieldSpec("code", "园区编码", _code, True, "园区的简短编码，如 nn-hr；命令中用它指代园区"),
            FieldSpec("name", "园区名称", _text, True, "如 中国南宁人力资源服务产业园"),
            FieldSpec("province", "所在省份", _text, False, "如 广西壮族自治区"),
            FieldSpec("city", "所在城市", _text, False, "如 南宁市"),
            FieldSpec("operator", "运营机构", _text, False, "管委会或运营公司名称"),
            FieldSpec("operator_type", "运营机构类型", _choice(_OPERATOR_TYPES, "公司/管委会（company/committee）"),
                      False, "公司 或 管委会", ("公司", "管委会")),
            FieldSpec("full_time_staff", "专职工作人员数", parse_count, False, "非负整数"),
        )),
        SectionSpec("sites", "园区场地", help="每个园区场地一行：一个核心园区，可有分园区", fields=(
            FieldSpec("code", "场地编码", _code, True, "如 core、b1"),
            FieldSpec("name", "场地名称", _text, True, "如 核心园区、东盟分园"),
            FieldSpec("role", "场地类型", _choice(_ROLES, "核心园区/分园区（core/branch）"), True,
                      "核心园区 或 分园区；恰好一个核心园区", ("核心园区", "分园区")),
            FieldSpec("building_area_m2", "建筑面积（㎡）", _positive_area, True, "平方米，大于 0"),
        )),
        SectionSpec("tenants", "入驻机构", help="每家入驻机构一行（含已迁出的）", fields=(
            FieldSpec("credit_code", "统一社会信用代码", parse_credit_code, True, "18 位，校验位须正确（GB 32100-2015）"),
            FieldSpec("name", "机构名称", _text, True, "营业执照上的名称"),
            FieldSpec("hr_service", "是否人力资源服务机构", parse_bool, True,
                      "持有人力资源服务许可证或已备案的填 是", ("是", "否")),
            FieldSpec("license_no", "许可证或备案编号", _text, False, "可不填"),
            FieldSpec("site", "所在场地编码", _code, True, "须为「园区场地」表中的场地编码"),
            FieldSpec("leased_area_m2", "入驻面积（㎡）", parse_area, False, "平方米，不超过所在场地建筑面积"),
            FieldSpec("move_in", "迁入日期", parse_date, True, "YYYY-MM-DD"),
            FieldSpec("move_out", "迁出日期", parse_optional_date, False, "未迁出留空"),
        )),
        SectionSpec("revenue", "营业收入", help="每家机构每年一行；金额单位为元，也可写 3500万、1.2亿", fields=(
            FieldSpec("credit_code", "统一社会信用代码", parse_credit_code, True, "须为「入驻机构」表中的机构"),
            FieldSpec("year", "年度", parse_year, True, "如 2024"),
            FieldSpec("amount_yuan", "营业收入（元）", parse_money, True, "元；可写 32000000、3500万、1.2亿元"),
        )),
        SectionSpec("attestations", "定性材料", help="定性条件的证明材料：条件编号见 parkeval policy show", fields=(
            FieldSpec("criterion_id", "条件编号", _code, True, "如 gx_development_plan"),
            FieldSpec("met", "是否满足", parse_bool, True, "是 或 否", ("是", "否")),
            FieldSpec("evidence", "证明材料", _text, False, "文件名或文号；满足时必填"),
            FieldSpec("note", "说明", _text, False, ""),
        )),
    )
}

# Later commands add sections here (certifications, targets, assessments); a section is
# known to the readers as soon as it is in SECTIONS.
EXTRA_VALIDATORS: list[Callable[[RawDossier, Dossier, list[Problem]], None]] = []


# ---- history sections (rating cycles): stored by parkeval.cycles' import hook


def _rating(value: Any) -> str:
    from parkeval.lifecycle import RatingError, normalise_rating

    try:
        return normalise_rating(value)
    except RatingError:
        raise ValueError(f"应为 优秀/合格/不合格（或 excellent/pass/fail），而不是 “{value}”") from None


def parse_ratio(value: Any) -> Decimal:
    """65%, 0.65 → Decimal('0.65'); a bare number above 1 is refused as ambiguous."""
    from decimal import InvalidOperation

    text = str(value).strip().replace("％", "%")
    try:
        ratio = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
    except InvalidOperation:
        raise ValueError(f"应为百分比，如 65% 或 0.65，而不是 “{value}”") from None
    if not ratio.is_finite() or not Decimal(0) <= ratio <= 1:
        raise ValueError(f"应为 0%–100% 之间的百分比（如 65% 或 0.65），而不是 “{value}”")
    if ratio != ratio.quantize(Decimal("0.000001")):
        raise ValueError(f"百分比最多保留 4 位小数（如 65.5%），而不是 “{value}”")
    return ratio


def _score(value: Any) -> Decimal:
    from decimal import InvalidOperation

    try:
        score = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"应为 0–100 的分数，而不是 “{value}”") from None
    if not score.is_finite() or not Decimal(0) <= score <= 100 or score != score.quantize(Decimal("0.01")):
        raise ValueError(f"应为 0–100 的分数（最多 2 位小数），而不是 “{value}”")
    return score


_RATING_CHOICES = ("优秀", "合格", "不合格")
SECTIONS.update({s.key: s for s in (
    SectionSpec("certifications", "认定记录", help="已获得的认定（授牌）：每次认定一行", fields=(
        FieldSpec("policy", "政策编号", _code, True, "如 gx-2021、bt-2022（parkeval policies）"),
        FieldSpec("certified_on", "认定日期", parse_date, True, "批复认定之日，YYYY-MM-DD"),
        FieldSpec("doc_no", "批复文号", _text, False, "认定批复或证书编号"),
        FieldSpec("level", "认定级别", _text, False, "如 自治区级、市级；不填取政策的级别"),
    )),
    SectionSpec("targets", "年度目标", help="每年第一季度报备的年度发展目标：每年一行", fields=(
        FieldSpec("year", "年度", parse_year, True, "如 2025"),
        FieldSpec("revenue_yuan", "营业收入目标（元）", parse_money, False, "元；可写 6亿"),
        FieldSpec("hr_institutions", "人力资源服务机构目标（家）", parse_count, False, "非负整数"),
        FieldSpec("occupancy", "入驻率目标", parse_ratio, False, "百分比，如 65%"),
        FieldSpec("goals", "其他目标", _text, False, "文字说明"),
        FieldSpec("filed_on", "报备日期", parse_optional_date, False, "YYYY-MM-DD"),
    )),
    SectionSpec("assessments", "考核评估", help="年度考核、综合评估、自评与定期考核：每个周期每期一行", fields=(
        FieldSpec("policy", "政策编号", _code, True, "如 gx-2021"),
        FieldSpec("cycle", "考核周期", _code, True, "gx-2021：annual、comprehensive；bt-2022：self_evaluation、biennial"),
        FieldSpec("year", "年度", parse_year, True, "考核覆盖的最后一个年度，如 2024 年度考核填 2024"),
        FieldSpec("rating", "正式等次", _rating, False, "优秀、合格、不合格", _RATING_CHOICES),
        FieldSpec("rated_on", "评定日期", parse_optional_date, False, "有正式等次时必填"),
        FieldSpec("rated_by", "评定单位", _text, False, "如 自治区人力资源社会保障厅"),
        FieldSpec("proposed_rating", "建议等次", _rating, False, "自评或 parkeval assess 的建议", _RATING_CHOICES),
        FieldSpec("proposed_score", "建议得分", _score, False, "0–100"),
        FieldSpec("confirmed_by", "审核确认单位", _text, False, "设区市人社部门对自评报告的审核确认"),
        FieldSpec("confirmed_on", "审核确认日期", parse_optional_date, False, "YYYY-MM-DD"),
        FieldSpec("rectified_on", "整改完成日期", parse_optional_date, False, "不合格后整改完成之日"),
    )),
)})


def _validate_history(raw: RawDossier, dossier: Dossier, problems: list[Problem]) -> None:
    """Parse the history sections into ``dossier.extra`` and check rows against each other."""
    scratch: list[Problem] = []  # field problems were already reported by validate()
    for key in ("certifications", "targets", "assessments"):
        rows = [(r, v) for r in raw.sections.get(key, [])
                if (v := _parse_row(SECTIONS[key], r, scratch)) is not None]
        seen: dict[tuple[Any, ...], RowRef] = {}
        kept = []
        for row, values in rows:
            natural = {"certifications": ("policy", "certified_on"), "targets": ("year",),
                       "assessments": ("policy", "cycle", "year")}[key]
            ident = tuple(values[k] for k in natural)
            if ident in seen:
                problems.append(Problem(row.ref.at(natural[-1]), f"与 {seen[ident].at()} 重复（{'、'.join(map(str, ident))}）"))
                continue
            seen[ident] = row.ref
            if key == "assessments" and values["rating"] and not values["rated_on"]:
                problems.append(Problem(row.ref.at("rated_on"), "填写了正式等次，须同时填写评定日期"))
                continue
            kept.append((row.ref, values))
        dossier.extra[key] = kept


EXTRA_VALIDATORS.append(_validate_history)


# --------------------------------------------------------------------------- raw rows


@dataclass
class RowRef:
    """Where a row came from, so a problem can be pinned to file, sheet, row and column."""

    file: str
    section: str
    index: int | None = None  # YAML/JSON list index
    sheet: str | None = None
    row: int | None = None  # workbook row number (1-based)
    columns: dict[str, str] = field(default_factory=dict)  # field key → column letter
    label: str | None = None  # e.g. the tenant's name, to help find the row
    path: str | None = None  # YAML path prefix when not section[index]

    def at(self, key: str | None = None) -> str:
        spec = SECTIONS.get(self.section)
        header = spec.field(key).header if spec and key and any(f.key == key for f in spec.fields) else key
        if self.sheet is not None:
            where = f"{self.file} 工作表「{self.sheet}」"
            if self.row is not None:
                where += f" 第 {self.row} 行"
            if key is not None:
                col = self.columns.get(key)
                where += f" {col} 列「{header}」" if col else f"「{header}」列"
            return where
        base = self.path or (f"{self.section}[{self.index}]" if self.index is not None else self.section)
        where = f"{self.file} {base}"
        if key is not None:
            where += f".{key}"
        if self.label:
            where += f"（{self.label}）"
        return where


@dataclass
class RawRow:
    values: dict[str, Any]
    ref: RowRef


@dataclass
class RawDossier:
    source: str
    sha256: str
    sections: dict[str, list[RawRow]] = field(default_factory=dict)


# --------------------------------------------------------------------------- validated


@dataclass
class ParkRecord:
    code: str
    name: str
    province: str | None = None
    city: str | None = None
    operator: str | None = None
    operator_type: str | None = None
    full_time_staff: int | None = None


@dataclass
class SiteRecord:
    code: str
    name: str
    role: str
    building_area_m2: Decimal


@dataclass
class TenantRecord:
    credit_code: str
    name: str
    hr_service: bool
    site: str
    move_in: dt.date
    license_no: str | None = None
    leased_area_m2: Decimal | None = None
    move_out: dt.date | None = None
    revenue: dict[int, Decimal] = field(default_factory=dict)


@dataclass
class AttestationRecord:
    criterion_id: str
    met: bool
    evidence: str | None = None
    note: str | None = None


@dataclass
class Dossier:
    source: str
    sha256: str
    park: ParkRecord
    sites: list[SiteRecord]
    tenants: list[TenantRecord]
    attestations: list[AttestationRecord]
    extra: dict[str, Any] = field(default_factory=dict)  # sections added by later commands


def _parse_row(spec: SectionSpec, row: RawRow, problems: list[Problem]) -> dict[str, Any] | None:
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
        try:
            out[f.key] = f.parse(value)
        except ValueError as exc:
            problems.append(Problem(row.ref.at(f.key), str(exc)))
            ok = False
    return out if ok else None


def validate(raw: RawDossier) -> Dossier:
    """Check every field and the cross-references; raise :class:`InputError` listing all problems."""
    problems: list[Problem] = []
    if not any(raw.sections.get(k) for k in SECTIONS):
        raise InputError([Problem(raw.source, "文件为空：没有园区、场地或入驻机构数据"
                                  "（用 parkeval template 生成模板）")])
    parsed: dict[str, list[tuple[RawRow, dict[str, Any]]]] = {}
    for key, spec in SECTIONS.items():
        rows = raw.sections.get(key, [])
        parsed[key] = [(r, p) for r in rows if (p := _parse_row(spec, r, problems)) is not None]

    park_rows = raw.sections.get("park", [])
    if not park_rows:
        problems.append(Problem(raw.source, "缺少园区基本情况（park / 工作表「园区」）"))
    elif len(park_rows) > 1:
        problems.append(Problem(park_rows[1].ref.at(), "一个文件只能描述一个园区；「园区」只填一行"))

    sites: dict[str, SiteRecord] = {}
    for row, values in parsed["sites"]:
        if values["code"] in sites:
            problems.append(Problem(row.ref.at("code"), f"场地编码 “{values['code']}” 重复"))
            continue
        sites[values["code"]] = SiteRecord(**values)
    cores = [s for s in sites.values() if s.role == "core"]
    if raw.sections.get("sites") is not None or park_rows:
        if not raw.sections.get("sites"):
            problems.append(Problem(raw.source, "缺少园区场地（sites / 工作表「园区场地」）：至少一个核心园区"))
        elif len(cores) != 1 and len(sites) == len(raw.sections["sites"]):
            problems.append(Problem(raw.sections["sites"][0].ref.at("role"),
                                    f"应恰好有一个核心园区（core），现有 {len(cores)} 个"))

    tenants: dict[str, TenantRecord] = {}
    duplicated: set[str] = set()
    for row, values in parsed["tenants"]:
        code = values["credit_code"]
        if code in tenants:
            problems.append(Problem(row.ref.at("credit_code"),
                                    f"统一社会信用代码 {code} 在本园区出现两次（{tenants[code].name}）"))
            duplicated.add(code)
            continue
        site = sites.get(values["site"])
        if site is None:
            known = "、".join(sites) or "（无）"
            problems.append(Problem(row.ref.at("site"), f"未知的场地 “{values['site']}”；已有场地：{known}"))
        elif values["leased_area_m2"] is not None and values["leased_area_m2"] > site.building_area_m2:
            problems.append(Problem(row.ref.at("leased_area_m2"),
                                    f"入驻面积 {values['leased_area_m2']}㎡ 大于所在场地「{site.name}」"
                                    f"的建筑面积 {site.building_area_m2}㎡"))
        if values["move_out"] is not None and values["move_out"] <= values["move_in"]:
            problems.append(Problem(row.ref.at("move_out"),
                                    f"迁出日期 {values['move_out']} 应晚于迁入日期 {values['move_in']}"))
        tenants[code] = TenantRecord(**values)

    for row, values in parsed["revenue"]:
        tenant = tenants.get(values["credit_code"])
        if values["credit_code"] in duplicated:
            continue  # already reported: which of the two rows the revenue belongs to is unknown
        if tenant is None:
            problems.append(Problem(row.ref.at("credit_code"),
                                    f"营业收入对应的机构 {values['credit_code']} 不在入驻机构中"))
        elif values["year"] in tenant.revenue:
            problems.append(Problem(row.ref.at("year"), f"{tenant.name} 的 {values['year']} 年营业收入重复填报"))
        else:
            tenant.revenue[values["year"]] = values["amount_yuan"]

    attestations: dict[str, AttestationRecord] = {}
    for row, values in parsed["attestations"]:
        if values["criterion_id"] in attestations:
            problems.append(Problem(row.ref.at("criterion_id"), f"条件 “{values['criterion_id']}” 重复"))
        elif values["met"] and not values["evidence"]:
            problems.append(Problem(row.ref.at("evidence"), "声明满足的定性条件必须写明证明材料（文件名或文号）"))
        else:
            attestations[values["criterion_id"]] = AttestationRecord(**values)

    park_values = next((v for r, v in parsed["park"]), None)
    dossier = None
    if park_values is not None:
        dossier = Dossier(raw.source, raw.sha256, ParkRecord(**park_values), list(sites.values()),
                          list(tenants.values()), list(attestations.values()))
        for check in EXTRA_VALIDATORS:
            check(raw, dossier, problems)
    if problems or dossier is None:
        raise InputError(problems or [Problem(raw.source, "缺少园区基本情况")])
    return dossier


# --------------------------------------------------------------------------- YAML / JSON


def _load_structured(path: Path, data: bytes) -> Any:
    if path.suffix.lower() == ".json":
        def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for k, v in pairs:
                if k in out:
                    raise ValueError(f"重复的键 “{k}”")
                out[k] = v
            return out
        try:
            return json.loads(data.decode("utf-8"), parse_float=Decimal, object_pairs_hook=no_duplicates)
        except UnicodeDecodeError:
            raise InputError([Problem(str(path), "不是 UTF-8 编码的文本")]) from None
        except json.JSONDecodeError as exc:
            raise InputError([Problem(str(path), f"第 {exc.lineno} 行第 {exc.colno} 列：JSON 格式错误（{exc.msg}）")]) from None
        except ValueError as exc:
            raise InputError([Problem(str(path), str(exc))]) from None
    import yaml

    from parkeval.yamlio import describe_yaml_error, load_yaml
    try:
        return load_yaml(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError([Problem(str(path), "不是 UTF-8 编码的文本")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(str(path), describe_yaml_error(exc))]) from None


def _mapping_row(file: str, section: str, index: int | None, value: Any, problems: list[Problem],
                 path: str | None = None) -> RawRow | None:
    spec = SECTIONS[section]
    ref = RowRef(file, section, index=index, path=path)
    if not isinstance(value, dict):
        problems.append(Problem(ref.at(), "应为键值映射（如 {code: core, name: 核心园区, …}）"))
        return None
    known = {f.key for f in spec.fields}
    for key in value:
        if key not in known:
            problems.append(Problem(ref.at(str(key)), f"未知的字段；可用的字段：{', '.join(sorted(known))}"))
    if section == "tenants" and value.get("name"):
        ref.label = str(value["name"])
    return RawRow({k: v for k, v in value.items() if k in known}, ref)


def raw_from_mapping(data: Any, *, source: str, sha256: str) -> RawDossier:
    """Turn a parsed YAML/JSON document into raw rows (tenant revenue becomes revenue rows)."""
    problems: list[Problem] = []
    raw = RawDossier(source, sha256)
    if data is None or data == {} or data == []:
        raise InputError([Problem(source, "文件为空：没有园区、场地或入驻机构数据（用 parkeval template 生成模板）")])
    if not isinstance(data, dict):
        raise InputError([Problem(source, "顶层应为键值映射，包含 park、sites、tenants 等")])
    for key in data:
        if key not in SECTIONS or key == "revenue":
            known = ", ".join(k for k in SECTIONS if k != "revenue")
            problems.append(Problem(f"{source} {key}", f"未知的部分；可用的部分：{known}"))
    park = data.get("park")
    if park is not None:
        if (row := _mapping_row(source, "park", None, park, problems)) is not None:
            raw.sections["park"] = [row]
    for section in SECTIONS:
        if section in ("park", "revenue", "attestations") or section not in data:
            continue
        items = data[section]
        if items is None:
            items = []
        if not isinstance(items, list):
            problems.append(Problem(f"{source} {section}", "应为列表（每项以 - 开头）"))
            continue
        rows = raw.sections.setdefault(section, [])
        for i, item in enumerate(items):
            if section == "tenants" and isinstance(item, dict):
                item = dict(item)
                revenue = item.pop("revenue", None)
                label = item.get("name")
                if revenue is not None:
                    prefix = f"tenants[{i}].revenue"
                    if not isinstance(revenue, dict):
                        problems.append(Problem(f"{source} {prefix}", "应为 {年份: 金额} 的映射，如 {2023: 32000000}"))
                    else:
                        for year, amount in revenue.items():
                            ref = RowRef(source, "revenue", path=f"{prefix}.{year}", label=label)
                            raw.sections.setdefault("revenue", []).append(RawRow(
                                {"credit_code": item.get("credit_code"), "year": year, "amount_yuan": amount}, ref))
            if (row := _mapping_row(source, section, i, item, problems)) is not None:
                rows.append(row)
    attestations = data.get("attestations")
    if attestations is not None:
        if not isinstance(attestations, dict):
            problems.append(Problem(f"{source} attestations", "应为 {条件编号: {met, evidence, note}} 的映射"))
        else:
            rows = raw.sections.setdefault("attestations", [])
            for criterion_id, item in attestations.items():
                path = f"attestations.{criterion_id}"
                if not isinstance(item, dict):
                    problems.append(Problem(f"{source} {path}", "应为 {met: true, evidence: …, note: …}"))
                    continue
                row = _mapping_row(source, "attestations", None, {"criterion_id": criterion_id, **item},
                                   problems, path=path)
                if row is not None:
                    rows.append(row)
    if problems:
        raise InputError(problems)
    return raw


def read_raw(path: Path) -> RawDossier:
    """Read a dossier file of any supported format into raw rows."""
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json", ".xlsx"):
        raise InputError([Problem(str(path), "不支持的文件类型；应为 .xlsx、.yaml、.yml 或 .json")])
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(str(path), "文件不存在")]) from None
    except OSError as exc:
        raise InputError([Problem(str(path), f"无法读取：{exc.strerror}")]) from None
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError([Problem(str(path), "文件为空：没有园区、场地或入驻机构数据（用 parkeval template 生成模板）")])
    if suffix == ".xlsx":
        from parkeval.workbook import read_workbook

        return read_workbook(path, data, sha256=digest)
    return raw_from_mapping(_load_structured(path, data), source=str(path), sha256=digest)


def load_dossier(path: Path) -> Dossier:
    """Read and validate one dossier file."""
    return validate(read_raw(path))
