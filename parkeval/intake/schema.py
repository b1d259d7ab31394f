"""The dossier schema: the sections and fields a park operator files, and the records they
become.

:data:`SECTIONS` drives the YAML/JSON reader (:mod:`.structured`), the workbook reader
(:mod:`.xlsx`), the Excel template (:mod:`.template`) and validation (:mod:`.validate`), so
the four cannot drift apart. A row keeps where it came from (:class:`RowRef`: file, sheet,
row, column or YAML path) so every problem can be pinned to its place.

Why this module is long: :data:`SECTIONS` is one table by design — every field of every
section with its Chinese header, parser, help text and choices — so that a field is added
in one place and appears in every reader, the template and the messages at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parkeval.domain.lifecycle import RatingError, normalise_rating
from parkeval.policy.vocabulary import HR_CLASSES
from parkeval.values import (
    parse_area,
    parse_bool,
    parse_count,
    parse_credit_code,
    parse_date,
    parse_money,
    parse_optional_date,
    parse_ratio,
    parse_score,
    parse_year,
)


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


_ROLES = {
    "core": "core",
    "核心园区": "core",
    "核心": "core",
    "主园区": "core",
    "branch": "branch",
    "分园区": "branch",
    "分园": "branch",
}
_OPERATOR_TYPES = {
    "company": "company",
    "公司": "company",
    "专业化公司": "company",
    "committee": "committee",
    "管委会": "committee",
}


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


# A tenant's class (机构类别), in the words people write: the drop-down's, the codes, and the
# long names of parkeval.policy.vocabulary.HR_CLASSES.
HR_CLASS_CHOICES = {
    "经营性（许可证）": "licensed",
    "经营性（备案）": "filed",
    "经营性（许可证或备案）": "licensed_or_filed",
    "公共人力资源服务机构": "public",
    "非人力资源服务机构": "none",
}
_HR_CLASSES = {
    **HR_CLASS_CHOICES,
    **{code: code for code in HR_CLASS_CHOICES.values()},
    **{name: code for code, name in HR_CLASSES.items()},
    "许可证": "licensed",
    "备案": "filed",
    "公共": "public",
    "否": "none",
}


def parse_hr_class(value: Any) -> str:
    """A tenant's class (机构类别) as written — 经营性（许可证）, 公共, licensed … — as its code."""
    key = re.sub(r"\s+", "", str(value)).replace("(", "（").replace(")", "）")
    if key.lower() in _HR_CLASSES:
        return _HR_CLASSES[key.lower()]
    if key in _HR_CLASSES:
        return _HR_CLASSES[key]
    raise ValueError(
        f"应为 {'、'.join(HR_CLASS_CHOICES)}（或 {'/'.join(HR_CLASS_CHOICES.values())}），"
        f"而不是 “{value}”"
    )


# The kinds of site area a dossier may give (at least one per site).
AREA_FIELDS = {
    "building": "building_area_m2",
    "usable": "usable_area_m2",
    "property": "property_area_m2",
    "rented": "rented_area_m2",
}


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
        """The field with key ``key``."""
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
        SectionSpec(
            "park",
            "园区",
            single=True,
            help="园区基本情况（只填一行）",
            fields=(
                FieldSpec(
                    "code", "园区编码", _code, True, "园区的简短编码，如 nn-hr；命令中用它指代园区"
                ),
                FieldSpec("name", "园区名称", _text, True, "如 中国南宁人力资源服务产业园"),
                FieldSpec("province", "所在省份", _text, False, "如 广西壮族自治区"),
                FieldSpec("city", "所在城市", _text, False, "如 南宁市"),
                FieldSpec("operator", "运营机构", _text, False, "管委会或运营公司名称"),
                FieldSpec(
                    "operator_type",
                    "运营机构类型",
                    _choice(_OPERATOR_TYPES, "公司/管委会（company/committee）"),
                    False,
                    "公司 或 管委会",
                    ("公司", "管委会"),
                ),
                FieldSpec("full_time_staff", "专职工作人员数", parse_count, False, "非负整数"),
            ),
        ),
        SectionSpec(
            "sites",
            "园区场地",
            help="每个园区场地一行：一个核心园区，可有分园区",
            fields=(
                FieldSpec("code", "场地编码", _code, True, "如 core、b1"),
                FieldSpec("name", "场地名称", _text, True, "如 核心园区、东盟分园"),
                FieldSpec(
                    "role",
                    "场地类型",
                    _choice(_ROLES, "核心园区/分园区（core/branch）"),
                    True,
                    "核心园区 或 分园区；恰好一个核心园区",
                    ("核心园区", "分园区"),
                ),
                FieldSpec(
                    "building_area_m2",
                    "建筑面积（㎡）",
                    _positive_area,
                    False,
                    "平方米，大于 0；各类面积至少填一种",
                ),
                FieldSpec(
                    "usable_area_m2",
                    "使用面积（㎡）",
                    _positive_area,
                    False,
                    "平方米，大于 0，不大于建筑面积；政策按使用面积计算时填写",
                ),
                FieldSpec(
                    "property_area_m2",
                    "产权面积（㎡）",
                    _positive_area,
                    False,
                    "平方米，大于 0；政策按产权面积计算时填写",
                ),
                FieldSpec(
                    "rented_area_m2",
                    "租赁面积（㎡）",
                    _positive_area,
                    False,
                    "平方米，大于 0；园区租用场地、政策按租赁面积计算时填写",
                ),
            ),
        ),
        SectionSpec(
            "tenants",
            "入驻机构",
            help="每家入驻机构一行（含已迁出的）",
            fields=(
                FieldSpec(
                    "credit_code",
                    "统一社会信用代码",
                    parse_credit_code,
                    True,
                    "18 位，校验位须正确（GB 32100-2015）",
                ),
                FieldSpec("name", "机构名称", _text, True, "营业执照上的名称"),
                FieldSpec(
                    "hr_service",
                    "是否人力资源服务机构",
                    parse_bool,
                    False,
                    "是：持许可证或已备案（不区分哪一种；区分时或公共人力资源服务机构填「机构类别」）；"
                    "否：其他机构",
                    ("是", "否"),
                ),
                FieldSpec("license_no", "许可证或备案编号", _text, False, "可不填"),
                FieldSpec("site", "所在场地编码", _code, True, "须为「园区场地」表中的场地编码"),
                FieldSpec(
                    "leased_area_m2",
                    "入驻面积（㎡）",
                    parse_area,
                    False,
                    "平方米，不超过所在场地建筑面积",
                ),
                FieldSpec("move_in", "迁入日期", parse_date, True, "YYYY-MM-DD"),
                FieldSpec("move_out", "迁出日期", parse_optional_date, False, "未迁出留空"),
                FieldSpec(
                    "hr_class",
                    "机构类别",
                    parse_hr_class,
                    False,
                    "经营性（许可证）：持人力资源服务许可证；经营性（备案）：已备案；"
                    "经营性（许可证或备案）：二者之一、未区分；公共人力资源服务机构；"
                    "非人力资源服务机构。与「是否人力资源服务机构」至少填一个",
                    tuple(HR_CLASS_CHOICES),
                ),
            ),
        ),
        SectionSpec(
            "revenue",
            "营业收入",
            help="每家机构每年一行；金额单位为元，也可写 3500万、1.2亿",
            fields=(
                FieldSpec(
                    "credit_code",
                    "统一社会信用代码",
                    parse_credit_code,
                    True,
                    "须为「入驻机构」表中的机构",
                ),
                FieldSpec("year", "年度", parse_year, True, "如 2024"),
                FieldSpec(
                    "amount_yuan",
                    "营业收入（元）",
                    parse_money,
                    True,
                    "元；可写 32000000、3500万、1.2亿元",
                ),
            ),
        ),
        SectionSpec(
            "attestations",
            "定性材料",
            help="定性条件的证明材料：条件编号见 parkeval policy show",
            fields=(
                FieldSpec("criterion_id", "条件编号", _code, True, "如 gx_development_plan"),
                FieldSpec("met", "是否满足", parse_bool, True, "是 或 否", ("是", "否")),
                FieldSpec("evidence", "证明材料", _text, False, "文件名或文号；满足时必填"),
                FieldSpec("note", "说明", _text, False, ""),
            ),
        ),
    )
}

# Later commands add sections here (certifications, targets, assessments); a section is


def _rating(value: Any) -> str:
    try:
        return normalise_rating(value)
    except RatingError:
        raise ValueError(
            f"应为 优秀/合格/不合格（或 excellent/pass/fail），而不是 “{value}”"
        ) from None


_RATING_CHOICES = ("优秀", "合格", "不合格")
SECTIONS.update(
    {
        s.key: s
        for s in (
            SectionSpec(
                "certifications",
                "认定记录",
                help="已获得的认定（授牌）：每次认定一行",
                fields=(
                    FieldSpec(
                        "policy",
                        "政策编号",
                        _code,
                        True,
                        "如 gx-2021、bt-2022（parkeval policies）",
                    ),
                    FieldSpec(
                        "certified_on", "认定日期", parse_date, True, "批复认定之日，YYYY-MM-DD"
                    ),
                    FieldSpec("doc_no", "批复文号", _text, False, "认定批复或证书编号"),
                    FieldSpec(
                        "level", "认定级别", _text, False, "如 自治区级、市级；不填取政策的级别"
                    ),
                ),
            ),
            SectionSpec(
                "targets",
                "年度目标",
                help="每年第一季度报备的年度发展目标：每年一行",
                fields=(
                    FieldSpec("year", "年度", parse_year, True, "如 2025"),
                    FieldSpec(
                        "revenue_yuan", "营业收入目标（元）", parse_money, False, "元；可写 6亿"
                    ),
                    FieldSpec(
                        "hr_institutions",
                        "人力资源服务机构目标（家）",
                        parse_count,
                        False,
                        "非负整数",
                    ),
                    FieldSpec("occupancy", "入驻率目标", parse_ratio, False, "百分比，如 65%"),
                    FieldSpec("goals", "其他目标", _text, False, "文字说明"),
                    FieldSpec("filed_on", "报备日期", parse_optional_date, False, "YYYY-MM-DD"),
                ),
            ),
            SectionSpec(
                "assessments",
                "考核评估",
                help="年度考核、综合评估、自评与定期考核：每个周期每期一行",
                fields=(
                    FieldSpec("policy", "政策编号", _code, True, "如 gx-2021"),
                    FieldSpec(
                        "cycle",
                        "考核周期",
                        _code,
                        True,
                        "gx-2021：annual、comprehensive；bt-2022：self_evaluation、biennial",
                    ),
                    FieldSpec(
                        "year",
                        "年度",
                        parse_year,
                        True,
                        "考核覆盖的最后一个年度，如 2024 年度考核填 2024",
                    ),
                    FieldSpec(
                        "rating", "正式等次", _rating, False, "优秀、合格、不合格", _RATING_CHOICES
                    ),
                    FieldSpec(
                        "rated_on", "评定日期", parse_optional_date, False, "有正式等次时必填"
                    ),
                    FieldSpec("rated_by", "评定单位", _text, False, "如 自治区人力资源社会保障厅"),
                    FieldSpec(
                        "proposed_rating",
                        "建议等次",
                        _rating,
                        False,
                        "自评或 parkeval assess 的建议",
                        _RATING_CHOICES,
                    ),
                    FieldSpec("proposed_score", "建议得分", parse_score, False, "0–100"),
                    FieldSpec(
                        "confirmed_by",
                        "审核确认单位",
                        _text,
                        False,
                        "设区市人社部门对自评报告的审核确认",
                    ),
                    FieldSpec(
                        "confirmed_on", "审核确认日期", parse_optional_date, False, "YYYY-MM-DD"
                    ),
                    FieldSpec(
                        "rectified_on",
                        "整改完成日期",
                        parse_optional_date,
                        False,
                        "不合格后整改完成之日",
                    ),
                ),
            ),
        )
    }
)


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
        """Where the row (or one of its fields) is, in words: file, sheet, row, column or YAML path."""
        spec = SECTIONS.get(self.section)
        header = (
            spec.field(key).header
            if spec and key and any(f.key == key for f in spec.fields)
            else key
        )
        if self.sheet is not None:
            where = f"{self.file} 工作表「{self.sheet}」"
            if self.row is not None:
                where += f" 第 {self.row} 行"
            if key is not None:
                col = self.columns.get(key)
                where += f" {col} 列「{header}」" if col else f"「{header}」列"
            return where
        base = self.path or (
            f"{self.section}[{self.index}]" if self.index is not None else self.section
        )
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
    building_area_m2: Decimal | None = None
    usable_area_m2: Decimal | None = None
    property_area_m2: Decimal | None = None
    rented_area_m2: Decimal | None = None

    def areas(self) -> dict[str, Decimal]:
        """The kinds of area the site gives, by kind (building, usable, property, rented)."""
        return {
            kind: value
            for kind, key in AREA_FIELDS.items()
            if (value := getattr(self, key)) is not None
        }


@dataclass
class TenantRecord:
    credit_code: str
    name: str
    hr_class: str  # licensed | filed | licensed_or_filed | public | none
    site: str
    move_in: dt.date
    license_no: str | None = None
    leased_area_m2: Decimal | None = None
    move_out: dt.date | None = None
    revenue: dict[int, Decimal] = field(default_factory=dict)

    @property
    def hr_service(self) -> bool:
        """Whether the tenant is an HR service institution of any class."""
        return self.hr_class != "none"


@dataclass
class AttestationRecord:
    criterion_id: str
    met: bool
    evidence: str | None = None
    note: str | None = None
    ref: RowRef | None = field(default=None, compare=False)  # where the row is, for messages


@dataclass
class Dossier:
    source: str
    sha256: str
    park: ParkRecord
    sites: list[SiteRecord]
    tenants: list[TenantRecord]
    attestations: list[AttestationRecord]
    history: dict[str, list[tuple[RowRef, dict[str, Any]]]] = field(
        default_factory=dict
    )  # certifications, targets, assessments
