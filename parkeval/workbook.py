"""Excel workbooks: the template park operators fill in, and the reader for filled ones.

The workbook has one sheet per section of :data:`parkeval.dossier.SECTIONS` (sheet
name = ``SectionSpec.sheet``, row 1 = the Chinese headers, one record per row from row
2) plus an instruction sheet 「说明」 that the reader ignores. Everything is driven by
``SECTIONS``, so a section added there appears in the template, is accepted by the
reader and is written by :func:`write_dossier` without changes here.

The reader only turns cells into :class:`~parkeval.dossier.RawRow` values and pins each
to its sheet, row and column; checking the values is :func:`parkeval.dossier.validate`'s
job. openpyxl is imported inside the functions so ``parkeval --help`` does not load it.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parkeval.dossier import SECTIONS, FieldSpec, RawDossier, RawRow, RowRef, SectionSpec
from parkeval.errors import InputError, ParkevalError, Problem
from parkeval.parsing import (
    parse_area,
    parse_count,
    parse_date,
    parse_optional_date,
    parse_year,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

INSTRUCTIONS_SHEET = "说明"

# Rows the data validations cover: the whole sheet below the header.
_LAST_ROW = 1_048_576
_REQUIRED_FILL = "FCE4D6"  # light orange: required column
_OPTIONAL_FILL = "EDEDED"  # light grey: optional column


# --------------------------------------------------------------------------- field kinds


def _kind(spec: FieldSpec) -> str:
    """Which Excel validation suits a field: by its parser first, then by its key.

    Money is deliberately left free: people may type 3500万 or 1.2亿元, which an Excel
    number validation would reject.
    """
    key = spec.key
    if spec.choices:
        return "choice"
    if spec.parse in (parse_date, parse_optional_date) or key in ("move_in", "move_out") or key.endswith("_date"):
        return "date"
    if spec.parse is parse_year or key == "year":
        return "year"
    if spec.parse is parse_count or key in ("full_time_staff",) or key.endswith("_count"):
        return "count"
    if spec.parse is parse_area or key.endswith("_m2") or "area" in key:
        return "area"
    if key == "credit_code":
        return "credit_code"
    return "text"


_WIDTHS = {"date": 14, "year": 10, "count": 14, "area": 16, "credit_code": 24, "choice": 14}


def _width(spec: FieldSpec, kind: str) -> float:
    header_width = sum(2 if ord(c) > 0x2E80 else 1 for c in spec.header) + 4
    if kind in _WIDTHS:
        return max(_WIDTHS[kind], header_width)
    if spec.key in ("name", "operator", "evidence", "note") or spec.key.endswith("_name"):
        return max(32, header_width)
    return max(16, header_width)


# --------------------------------------------------------------------------- template


def _instructions() -> list[tuple[str, str]]:
    """The lines of the 「说明」 sheet as (style, text); style is title/heading/text."""

    def sheet(key: str, fallback: str) -> str:
        return SECTIONS[key].sheet if key in SECTIONS else fallback

    lines: list[tuple[str, str]] = [
        ("title", "人力资源服务产业园申报数据（parkeval 模板）"),
        ("text", "每个工作表对应一类数据：第 1 行是表头，请勿修改；从第 2 行起每行填写一条记录。"
                 "鼠标停在表头上可看到该列的填写说明；橙色表头为必填列，灰色为选填列。"),
        ("text", "填好后保存为 .xlsx 文件，用 parkeval 读取（如 parkeval certify）；"
                 "有误时 parkeval 会指出文件、工作表、行号和列。"),
        ("text", ""),
        ("heading", "各工作表"),
    ]
    for spec in SECTIONS.values():
        lines.append(("text", f"「{spec.sheet}」：{spec.help}"))
        for f in spec.fields:
            need = "必填" if f.required else "选填"
            detail = f"：{f.help}" if f.help else ""
            lines.append(("text", f"    · {f.header}（{need}）{detail}"))
    lines += [
        ("text", ""),
        ("heading", "填写规则"),
        ("text", f"1. 「{sheet('sites', '园区场地')}」中恰好有一个核心园区，其余场地填 分园区。"),
        ("text", "2. 统一社会信用代码为 18 位，第 18 位是校验位（GB 32100-2015），校验位不对会被指出；"
                 "该列已设为文本格式，请不要让 Excel 把它转成数字。同一机构在本园区只填一行。"),
        ("text", "3. 金额单位为元：可写 32000000、12,345.67，也可写 3500万、1.2亿元；最多两位小数，不能为负数。"),
        ("text", "4. 日期写成 YYYY-MM-DD，如 2020-03-01；尚未迁出的机构「迁出日期」留空，迁出日期应晚于迁入日期。"),
        ("text", "5. 面积单位为平方米（㎡），不能为负数；入驻面积不能大于所在场地的建筑面积。"),
        ("text", f"6. 「{sheet('revenue', '营业收入')}」中每家机构每年一行（统一社会信用代码 + 年度 + 金额），"
                 f"该机构须已列在「{sheet('tenants', '入驻机构')}」中。"),
        ("text", f"7. 「{sheet('attestations', '定性材料')}」中的条件编号来自政策文件："
                 "运行 parkeval policy show 政策编号（如 parkeval policy show gx-2021）查看；"
                 "声明满足的条件须写明证明材料（文件名或文号）。"),
        ("text", f"8. 不要增加其他工作表；「{INSTRUCTIONS_SHEET}」表在读取时会被忽略。"),
    ]
    return lines


def _write_instructions(ws: Worksheet) -> None:
    from openpyxl.styles import Alignment, Font

    ws.column_dimensions["A"].width = 110
    styles = {"title": Font(bold=True, size=14), "heading": Font(bold=True, size=12), "text": Font()}
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, (style, text) in enumerate(_instructions(), start=1):
        cell = ws.cell(row=row, column=1, value=text or None)
        cell.font = styles[style]
        cell.alignment = wrap


def _validation(spec: FieldSpec, kind: str) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    if kind == "choice":
        dv = DataValidation(type="list", formula1='"' + ",".join(spec.choices) + '"', allow_blank=True)
        dv.error = f"请从下拉列表中选择：{'、'.join(spec.choices)}"
    elif kind == "date":
        dv = DataValidation(type="date", operator="between", formula1="DATE(1990,1,1)",
                            formula2="DATE(2100,12,31)", allow_blank=True)
        dv.error = "应为日期，写成 YYYY-MM-DD，如 2020-03-01"
    elif kind == "year":
        dv = DataValidation(type="whole", operator="between", formula1="1990", formula2="2100",
                            allow_blank=True)
        dv.error = "应为四位数年份，如 2024"
    elif kind == "count":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "应为非负整数"
    elif kind == "area":
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "应为以平方米计的非负数字，如 5000 或 120.5"
    else:
        return None
    dv.errorTitle = f"「{spec.header}」填写有误"
    dv.showErrorMessage = True
    if spec.help:
        dv.prompt = spec.help
        dv.promptTitle = spec.header
        dv.showInputMessage = True
    return dv


def _write_section_sheet(ws: Worksheet, spec: SectionSpec) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    fills = {True: PatternFill("solid", fgColor=_REQUIRED_FILL), False: PatternFill("solid", fgColor=_OPTIONAL_FILL)}
    centre = Alignment(horizontal="center", vertical="center")
    for column, f in enumerate(spec.fields, start=1):
        letter = get_column_letter(column)
        kind = _kind(f)
        cell = ws.cell(row=1, column=column, value=f.header)
        cell.font = bold
        cell.fill = fills[f.required]
        cell.alignment = centre
        # Help goes in a comment on the header so row 2 stays the first data row.
        note = "必填" if f.required else "选填"
        if f.help:
            note = f"{f.help}\n（{note}）"
        if f.choices:
            note += f"\n可选：{'、'.join(f.choices)}"
        comment = Comment(note, "parkeval")
        comment.width, comment.height = 260, 90
        cell.comment = comment
        ws.column_dimensions[letter].width = _width(f, kind)
        # Column styles apply to the cells people type in later.
        if kind == "credit_code":
            ws.column_dimensions[letter].number_format = "@"
        elif kind == "date":
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
        dv = _validation(f, kind)
        if dv is not None:
            dv.add(f"{letter}2:{letter}{_LAST_ROW}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"


def _new_workbook() -> tuple[Workbook, dict[str, Worksheet]]:
    from openpyxl import Workbook

    wb = Workbook()
    instructions = wb.active
    assert instructions is not None
    instructions.title = INSTRUCTIONS_SHEET
    _write_instructions(instructions)
    sheets: dict[str, Worksheet] = {}
    for key, spec in SECTIONS.items():
        ws = wb.create_sheet(spec.sheet)
        _write_section_sheet(ws, spec)
        sheets[key] = ws
    return wb, sheets


def _save(wb: Workbook, path: Path) -> None:
    """Save next to the target and rename, so a failed save never leaves half a file."""
    if path.suffix.lower() != ".xlsx":
        raise ParkevalError(f"工作簿文件名应以 .xlsx 结尾：{path}")
    directory = path.parent
    if not directory.is_dir():
        raise ParkevalError(f"目录不存在：{directory}", hint="请先创建该目录，或换一个保存位置")
    fd, tmp = tempfile.mkstemp(prefix=".parkeval-", suffix=".xlsx", dir=directory)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_template(path: Path, *, overwrite: bool = False) -> None:
    """Write a blank dossier workbook for a park operator to fill in.

    Raises :class:`ParkevalError` if ``path`` exists, unless ``overwrite`` is true.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise ParkevalError(f"文件已存在：{path}（为避免覆盖已填写的数据，未写入模板）",
                            hint="请换一个文件名，或确认后删除原文件再生成")
    wb, _ = _new_workbook()
    _save(wb, path)


# --------------------------------------------------------------------------- filled workbook


def _cell_value(value: Any) -> Any:
    # Decimals that are not whole are written as text: a double could not hold them exactly
    # in every case, and the parsers read text money exactly.
    if value is None or isinstance(value, str | int | float | dt.date):
        return "是" if value is True else "否" if value is False else value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    raise ValueError(f"无法写入单元格的值 {value!r}（{type(value).__name__}）")


def _append(ws: Worksheet, row: int, spec: SectionSpec, record: Mapping[str, Any], where: str) -> None:
    columns = {f.key: i for i, f in enumerate(spec.fields, start=1)}
    unknown = [k for k in record if k not in columns]
    if unknown:
        raise ValueError(f"{where}：未知的字段 {', '.join(map(str, unknown))}；可用的字段：{', '.join(columns)}")
    for key, value in record.items():
        value = _cell_value(value)
        if value is None:
            continue
        cell = ws.cell(row=row, column=columns[key], value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text that merely starts with "=" is not a formula
        elif isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"


def _records(section: str, value: Any) -> Iterable[tuple[str, Mapping[str, Any]]]:
    if isinstance(value, Mapping):
        if section == "attestations":
            for criterion_id, item in value.items():
                yield f"attestations.{criterion_id}", {"criterion_id": criterion_id, **item}
        else:
            yield section, value
        return
    if not isinstance(value, list):
        raise ValueError(f"{section}：应为列表或映射，而不是 {type(value).__name__}")
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise ValueError(f"{section}[{i}]：应为映射，而不是 {type(item).__name__}")
        yield f"{section}[{i}]", item


def write_dossier(path: Path, dossier_mapping: Mapping[str, Any]) -> None:
    """Write a filled workbook from a mapping shaped like a YAML dossier.

    ``park`` is one mapping; ``sites``, ``tenants`` and any later section are lists of
    mappings keyed by the :data:`SECTIONS` field keys; a tenant's ``revenue: {year:
    amount}`` becomes rows of the 营业收入 sheet; ``attestations`` maps a criterion id to
    ``{met, evidence, note}``. Whole Decimals are written as numbers, others as text so
    they stay exact; booleans as 是/否. An existing file is replaced.
    """
    path = Path(path)
    wb, sheets = _new_workbook()
    # Next free row per sheet, counted here: openpyxl's max_row scans every cell.
    next_row = dict.fromkeys(sheets, 2)

    def append(section: str, record: Mapping[str, Any], where: str) -> None:
        _append(sheets[section], next_row[section], SECTIONS[section], record, where)
        next_row[section] += 1

    for section, value in dossier_mapping.items():
        if section not in SECTIONS:
            raise ValueError(f"未知的部分 “{section}”；可用的部分：{', '.join(SECTIONS)}")
        if value is None:
            continue
        for where, record in _records(section, value):
            if section == "tenants" and "revenue" in record:
                record = dict(record)
                revenue = record.pop("revenue") or {}
                for year, amount in revenue.items():
                    append("revenue", {"credit_code": record.get("credit_code"), "year": year,
                                       "amount_yuan": amount}, f"{where}.revenue.{year}")
            append(section, record, where)
    _save(wb, path)


# --------------------------------------------------------------------------- reader


def _not_a_workbook(path: Path, data: bytes, detail: str) -> InputError:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        # An OLE container: an old .xls workbook, or an .xlsx protected by a password.
        message = ("不是 .xlsx 工作簿：这是旧版 Excel（.xls）文件或设置了打开密码的工作簿；"
                   "请在 Excel 中取消密码并“另存为” Excel 工作簿（*.xlsx）后再导入")
    else:
        message = (f"不是有效的 Excel 工作簿（.xlsx），无法打开（{detail}）；"
                   "请确认文件未损坏，并在 Excel 或 WPS 中“另存为” Excel 工作簿（*.xlsx）")
    return InputError([Problem(str(path), message)])


def _sheet_sections() -> dict[str, str]:
    names: dict[str, str] = {}
    for key, spec in SECTIONS.items():
        names[spec.sheet] = key
        names[key.lower()] = key
    return names


def read_workbook(path: Path, data: bytes, *, sha256: str) -> RawDossier:
    """Read a filled dossier workbook into raw rows, each pinned to sheet, row and column.

    Sheets map to sections by their Chinese name (or the English section key); row 1 holds
    the headers. Unknown sheets or headers and missing required headers are reported
    together in one :class:`InputError`. Values are passed on as openpyxl reads them
    (strings stripped, blank → None) for :func:`parkeval.dossier.validate` to check.
    """
    import zipfile
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    file = str(path)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (BadZipFile, KeyError, InvalidFileException, ...)
        raise _not_a_workbook(path, data, f"{type(exc).__name__}: {exc}") from None

    raw = RawDossier(source=file, sha256=sha256)
    problems: list[Problem] = []
    by_name = _sheet_sections()
    seen: dict[str, str] = {}  # section key → sheet name
    try:
        for ws in wb.worksheets:
            title = ws.title
            name = title.strip()
            if name == INSTRUCTIONS_SHEET:
                continue
            key = by_name.get(name) or by_name.get(name.lower())
            if key is None:
                known = "、".join(f"「{s.sheet}」" for s in SECTIONS.values())
                problems.append(Problem(f"{file} 工作表「{title}」",
                                        f"未知的工作表；可用的工作表：{known}（以及「{INSTRUCTIONS_SHEET}」）"))
                continue
            if key in seen:
                problems.append(Problem(f"{file} 工作表「{title}」",
                                        f"与工作表「{seen[key]}」重复（都是 {SECTIONS[key].sheet}）；请合并为一个工作表"))
                continue
            seen[key] = title
            _read_sheet(ws, file, title, SECTIONS[key], raw, problems, get_column_letter)
    except (zipfile.BadZipFile, ParseError, KeyError, EOFError, OSError) as exc:
        raise _not_a_workbook(path, data, f"{type(exc).__name__}: {exc}") from None
    finally:
        wb.close()
    if problems:
        raise InputError(problems)
    return raw


def _read_sheet(ws: Any, file: str, title: str, spec: SectionSpec, raw: RawDossier,
                problems: list[Problem], column_letter: Any) -> None:
    # Files from other tools often carry a wrong <dimension>; without it openpyxl reads
    # every cell that is there instead of cutting rows short.
    ws.reset_dimensions()
    rows = ws.iter_rows(values_only=True)
    header_row = next(rows, None)
    where = f"{file} 工作表「{title}」 第 1 行"
    headers = [] if header_row is None else [
        (i, h.strip() if isinstance(h, str) else h) for i, h in enumerate(header_row)
    ]
    headers = [(i, h) for i, h in headers if h is not None and h != ""]
    if not headers:
        first_data = next((n for n, row in enumerate(rows, start=2)
                           if any(v is not None and v != "" for v in row)), None)
        if first_data is not None:
            expected = "、".join(f"「{f.header}」" for f in spec.fields)
            problems.append(Problem(where, f"第 1 行应为表头（{expected}），但它是空的；"
                                           f"数据从第 {first_data} 行开始。请从模板复制表头"))
        return

    columns: list[tuple[int, str]] = []  # (0-based index, field key)
    letters: dict[str, str] = {}
    ok = True
    expected = "、".join(f"「{f.header}」" for f in spec.fields)
    for i, header in headers:
        letter = column_letter(i + 1)
        f = spec.resolve_header(str(header))
        if f is None:
            problems.append(Problem(f"{file} 工作表「{title}」 第 1 行 {letter} 列「{header}」",
                                    f"未知的表头；本表可用的表头：{expected}"))
            ok = False
        elif f.key in letters:
            problems.append(Problem(f"{file} 工作表「{title}」 第 1 行 {letter} 列「{header}」",
                                    f"与 {letters[f.key]} 列重复，都是「{f.header}」；请删除其中一列"))
            ok = False
        else:
            columns.append((i, f.key))
            letters[f.key] = letter
    for f in spec.fields:
        if f.required and f.key not in letters:
            problems.append(Problem(where, f"缺少必填列「{f.header}」；{f.help}".rstrip("；")))
            ok = False
    if not ok:
        return  # rows under a broken header would only repeat the same problem

    headerless = [i for i in range(len(header_row or ())) if i not in {c for c, _ in columns}]
    section = spec.key
    out = raw.sections.setdefault(section, [])
    label_field = "name" if section == "tenants" else None
    for number, row in enumerate(rows, start=2):
        width = len(row)
        values: dict[str, Any] = {}
        empty = True
        for i, key in columns:
            value = row[i] if i < width else None
            if value.__class__ is str:
                value = value.strip() or None
            if value is not None:
                empty = False
            values[key] = value
        if width > len(header_row or ()):
            headerless_here = headerless + list(range(len(header_row or ()), width))
        else:
            headerless_here = headerless
        stray = [i for i in headerless_here if i < width and row[i] is not None
                 and not (row[i].__class__ is str and not row[i].strip())]
        if stray:
            letter = column_letter(stray[0] + 1)
            problems.append(Problem(f"{file} 工作表「{title}」 第 {number} 行 {letter} 列",
                                    "该列没有表头，数据无法识别；请填在有表头的列中，或补上表头"))
        if empty:
            continue
        label = values.get(label_field) if label_field else None
        ref = RowRef(file=file, section=section, sheet=title, row=number, columns=letters,
                     label=str(label) if label is not None else None)
        out.append(RawRow(values, ref))
