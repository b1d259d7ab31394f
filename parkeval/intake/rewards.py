"""Reward facts in: a YAML/JSON file (``facts:`` with a list of rows per kind) or an Excel
workbook (one sheet per kind, Chinese headers), each row validated — every problem of every
file at once, naming the file, sheet, row and column — into rows for the ``reward_fact`` table;
and the blank workbook (one sheet per kind, with the headers) a bureau fills in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from parkeval.domain.rewards.facts import FACT_KINDS
from parkeval.errors import InputError, Problem
from parkeval.policy.vocabulary import place_key
from parkeval.values import parse_count, parse_date, parse_money, parse_year

SUBJECT_KINDS = {"firm": "firm", "企业": "firm", "机构": "firm", "park": "park", "园区": "park"}
SUBJECT_KINDS |= {"person": "person", "个人": "person"}
LEVELS = {
    "national": "national",
    "国家级": "national",
    "provincial": "provincial",
    "省级": "provincial",
}
LEVELS |= {
    "自治区级": "provincial",
    "city": "city",
    "市级": "city",
    "county": "county",
    "县级": "county",
}
MEASURES = {"main_business": "main_business", "主营业务收入": "main_business"}
MEASURES |= {"operating": "operating", "营业收入": "operating"}
FORMS = {"headquarters": "headquarters", "总部": "headquarters", "subsidiary": "subsidiary"}
FORMS |= {"控股子公司": "subsidiary", "branch": "branch", "分支机构": "branch"}
FORMS |= {"regional_headquarters": "regional_headquarters", "区域性总部": "regional_headquarters"}
WHERE = {"domestic": "domestic", "境内": "domestic", "overseas": "overseas", "境外": "overseas"}
RESULTS = {"pass": "pass", "合格": "pass", "fail": "fail", "不合格": "fail"}
STATUSES = {"severe_dishonesty": "severe_dishonesty", "严重失信名单": "severe_dishonesty"}


def _choice(words: dict[str, str]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = str(value).strip()
        if text not in words:
            raise ValueError(
                f"“{text}” 不是可用的值；可用：{'、'.join(k for k in words if not k.isascii())}"
            )
        return words[text]

    return parse


def _text(value: Any) -> str:
    text = str(value).strip()
    if not text:
        raise ValueError("不能为空")
    return text


# kind → (key, Chinese header, column, parser, required)
Field = tuple[str, str, str, Callable[[Any], Any], bool]
_COMMON: list[Field] = [
    ("subject", "主体名称", "subject", _text, True),
    ("subject_kind", "主体类型", "subject_kind", _choice(SUBJECT_KINDS), False),
    ("city", "城市", "city", _text, False),
    ("park", "园区编码", "park", _text, False),
]
_YEAR: Field = ("year", "年度", "year", parse_year, True)
_DATE: Field = ("date", "日期", "on_date", parse_date, False)
_NOTE: Field = ("note", "备注", "note", _text, False)
FIELDS: dict[str, list[Field]] = {
    "revenue": [_YEAR, ("measure", "收入口径", "code", _choice(MEASURES), True), ("amount", "金额（元）", "amount_yuan", parse_money, True)],
    "honour": [("list", "榜单或称号", "code", _text, True), ("level", "级别", "level", _choice(LEVELS), False), _YEAR, _DATE],
    "rating": [("value", "等级", "code", _text, True), _YEAR],
    "hire": [("category", "人员类别", "code", _text, True), ("count", "人数", "count", parse_count, True), ("contract_months", "劳动合同期限（月）", "contract_months", parse_count, False), ("insured_months", "参保月数", "insured_months", parse_count, False), _YEAR],
    "event": [("organisations", "组织机构数（家）", "count", parse_count, True), ("attendees", "参会人数", "attendees", parse_count, True), _YEAR, _DATE],
    "booth": [("where", "境内或境外", "code", _choice(WHERE), True), ("cost", "展位费用（元）", "amount_yuan", parse_money, True), ("booths", "展位数", "count", parse_count, False), _YEAR],
    "contribution": [_YEAR, ("amount", "地方财力贡献（元）", "amount_yuan", parse_money, True)],
    "location": [("date", "落户日期", "on_date", parse_date, True), ("form", "形式", "code", _choice(FORMS), True), ("area", "所在园区（片区）", "area", _text, False)],
    "status": [("status", "记录", "code", _choice(STATUSES), True), _YEAR, _DATE],
    "assessment": [("list", "考核对象", "code", _text, True), ("result", "考核结果", "result", _choice(RESULTS), True), _YEAR],
    "intern": [("months", "见习人月数", "count", parse_count, True), ("level", "见习基地级别", "level", _choice(LEVELS), False), _YEAR],
    "approval": [("rule", "奖励项目编号", "code", _text, True), _YEAR, ("amount", "核定金额（元）", "amount_yuan", parse_money, True)],
    "payment": [("rule", "奖励项目编号", "code", _text, True), _YEAR, ("amount", "拨付金额（元）", "amount_yuan", parse_money, True), _DATE],
    "loan": [_YEAR, ("amount", "贷款金额（元）", "amount_yuan", parse_money, True)],
    "transfer": [_YEAR, ("amount", "结算金额（元）", "amount_yuan", parse_money, True)],
}  # fmt: skip
SHEETS = {FACT_KINDS[k]: k for k in FIELDS}


@dataclass
class FactFile:
    """The rows of one facts file, validated, ready for the table."""

    source: str
    sha256: str
    rows: list[dict[str, Any]] = field(default_factory=list)


def _headers(kind: str) -> list[Field]:
    return _COMMON + FIELDS[kind] + [_NOTE]


def _validate_row(
    kind: str, raw: dict[str, Any], where: Callable[[str], str], *, city: str | None,
    today: dt.date, known: KnownIds,
) -> tuple[dict[str, Any] | None, list[Problem]]:  # fmt: skip
    problems: list[Problem] = []
    out: dict[str, Any] = {"kind": kind}
    by_key = {f[0]: f for f in _headers(kind)}
    by_header = {f[1]: f for f in _headers(kind)}
    for name in raw:
        if name not in by_key and name not in by_header:
            names = "、".join(f"{f[0]}（{f[1]}）" for f in _headers(kind))
            problems.append(Problem(where(str(name)), f"未知的列或键；可用：{names}"))
    for key, header, column, parse, required in _headers(kind):
        value = raw.get(key, raw.get(header))
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                problems.append(Problem(where(header), f"缺少{header}"))
            continue
        try:
            out[column] = parse(value)
        except ValueError as exc:
            problems.append(Problem(where(header), str(exc)))
    if out.get("city") is None:
        if city is None:
            problems.append(Problem(where("城市"), "缺少城市（每行写“城市”，或在文件顶层写 city）"))
        out["city"] = city
    out["city"] = place_key(out.get("city"))
    if isinstance(out.get("on_date"), dt.date) and out["on_date"] > today:
        problems.append(
            Problem(where("日期"), f"{out['on_date']} 晚于今天（{today}），不能记录尚未发生的事")
        )
    if isinstance(out.get("year"), int) and out["year"] > today.year:
        problems.append(Problem(where("年度"), f"{out['year']} 年尚未到来，不能记录"))
    if kind == "honour" and out.get("code") is not None and out["code"] not in known.lists:
        problems.append(
            Problem(
                where("榜单或称号"),
                f"未知的榜单或称号 “{out['code']}”；可用：{'、'.join(sorted(known.lists))}",
            )
        )
    if (
        kind in ("approval", "payment")
        and out.get("code") is not None
        and out["code"] not in known.rules
    ):
        problems.append(
            Problem(
                where("奖励项目编号"),
                f"未知的奖励项目 “{out['code']}”；可用：{'、'.join(sorted(known.rules))}",
            )
        )
    if kind == "hire" and out.get("code") is not None and out["code"] not in known.categories:
        problems.append(
            Problem(
                where("人员类别"),
                f"未知的人员类别 “{out['code']}”；可用：{'、'.join(sorted(known.categories))}",
            )
        )
    return (None if problems else out), problems


@dataclass
class KnownIds:
    """The ids a facts file may name: lists and titles, rule ids, hire categories."""

    lists: set[str]
    rules: set[str]
    categories: set[str]


def read_fact_files(paths: Sequence[Path], *, today: dt.date, known: KnownIds) -> list[FactFile]:
    """Read and validate every file; one :class:`InputError` lists the problems of all."""
    problems: list[Problem] = []
    files: list[FactFile] = []
    for path in paths:
        try:
            files.append(_read(Path(path), today=today, known=known))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return files


def _read(path: Path, *, today: dt.date, known: KnownIds) -> FactFile:
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json", ".xlsx"):
        raise InputError([Problem(str(path), "不支持的文件类型；应为 .xlsx、.yaml、.yml 或 .json")])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(str(path), f"无法读取：{exc.strerror or exc}")]) from None
    out = FactFile(str(path), hashlib.sha256(data).hexdigest())
    problems: list[Problem] = []
    if suffix == ".xlsx":
        sections, city = _read_workbook(path, data), None
    else:
        sections, city = _read_mapping(path, data)
    for kind, label, rows in sections:
        if kind not in FIELDS:
            problems.append(
                Problem(
                    f"{path} {label}",
                    f"未知的事实类型；可用：{'、'.join(f'{k}（{v}）' for k, v in FACT_KINDS.items())}",
                )
            )
            continue
        for where, raw in rows:
            row, found = _validate_row(kind, raw, where, city=city, today=today, known=known)
            problems += found
            if row is not None:
                row["input_sha256"] = out.sha256
                out.rows.append(row)
    if problems:
        raise InputError(problems)
    if not out.rows:
        raise InputError(
            [Problem(str(path), "文件中没有任何事实记录（用 parkeval facts template 生成模板）")]
        )
    return out


Section = tuple[str, str, list[tuple[Callable[[str], str], dict[str, Any]]]]


def _read_mapping(path: Path, data: bytes) -> tuple[list[Section], str | None]:
    from parkeval.intake.structured import load_structured

    doc = load_structured(path, data)
    if not isinstance(doc, dict) or not isinstance(doc.get("facts"), dict):
        raise InputError(
            [Problem(str(path), "顶层应为键值映射，含 facts:（按类型列出的记录）和可选的 city:")]
        )
    extra = [k for k in doc if k not in ("facts", "city")]
    if extra:
        raise InputError(
            [Problem(f"{path} {k}", "未知的键；顶层只能有 city 和 facts") for k in extra]
        )
    city = doc.get("city")
    sections: list[Section] = []
    for kind, rows in doc["facts"].items():
        if not isinstance(rows, list):
            raise InputError([Problem(f"{path} facts.{kind}", "应为记录的列表")])
        items = []
        for i, raw in enumerate(rows):
            if not isinstance(raw, dict):
                raise InputError([Problem(f"{path} facts.{kind}[{i}]", "应为键值映射")])
            items.append((lambda col, i=i, kind=kind: f"{path} facts.{kind}[{i}].{col}", raw))
        sections.append((str(kind), f"facts.{kind}", items))
    return sections, str(city) if city is not None else None


def _read_workbook(path: Path, data: bytes) -> list[Section]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any reason it is not a workbook is the same to the user
        raise InputError([Problem(str(path), "不是有效的 Excel 工作簿（.xlsx）")]) from None
    sections: list[Section] = []
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        if not rows or all(c is None for c in rows[0]):
            continue
        kind = SHEETS.get(sheet.title.strip(), sheet.title.strip())
        headers = [str(h).strip() if h is not None else "" for h in rows[0]]
        items = []
        for n, values in enumerate(rows[1:], start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            raw = {h: v for h, v in zip(headers, values, strict=False) if h}
            items.append(
                (
                    lambda col, n=n, title=sheet.title: f"{path} 工作表“{title}” 第{n}行 “{col}”列",
                    raw,
                )
            )
        sections.append((kind, f"工作表“{sheet.title}”", items))
    return sections


def template_bytes() -> bytes:
    """A blank facts workbook: one sheet per kind, bold headers, frozen header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for kind in FIELDS:
        sheet = book.create_sheet(FACT_KINDS[kind])
        for col, f in enumerate(_headers(kind), start=1):
            cell = sheet.cell(row=1, column=col, value=f[1])
            cell.font = Font(bold=True)
            sheet.column_dimensions[cell.column_letter].width = max(12, len(f[1]) * 2 + 2)
        sheet.freeze_panes = "A2"
    buf = BytesIO()
    book.save(buf)
    return buf.getvalue()
