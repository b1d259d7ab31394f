"""Excel workbooks written for people: the blank template park operators fill in, and filled
workbooks made from a YAML-shaped mapping (``synth``, tests).

One sheet per section of :data:`~parkeval.intake.schema.SECTIONS` (sheet name =
``SectionSpec.sheet``, row 1 = the Chinese headers, one record per row from row 2) plus an
instruction sheet 「说明」 that the reader ignores. Everything is driven by ``SECTIONS``, so a
section added there appears in the template without changes here. openpyxl is imported
inside the functions so ``parkeval --help`` does not load it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parkeval.errors import ParkevalError
from parkeval.intake.schema import SECTIONS, FieldSpec, SectionSpec
from parkeval.values import parse_area, parse_count, parse_date, parse_optional_date, parse_year

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
    if (
        spec.parse in (parse_date, parse_optional_date)
        or key in ("move_in", "move_out")
        or key.endswith("_date")
    ):
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
        (
            "text",
            "每个工作表对应一类数据：第 1 行是表头，请勿修改；从第 2 行起每行填写一条记录。"
            "鼠标停在表头上可看到该列的填写说明；橙色表头为必填列，灰色为选填列。",
        ),
        (
            "text",
            "填好后保存为 .xlsx 文件，用 parkeval 读取（如 parkeval certify）；"
            "有误时 parkeval 会指出文件、工作表、行号和列。",
        ),
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
        (
            "text",
            "2. 统一社会信用代码为 18 位，第 18 位是校验位（GB 32100-2015），校验位不对会被指出；"
            "该列已设为文本格式，请不要让 Excel 把它转成数字。同一机构在本园区只填一行。",
        ),
        (
            "text",
            "3. 金额单位为元：可写 32000000、12,345.67，也可写 3500万、1.2亿元；最多两位小数，不能为负数。",
        ),
        (
            "text",
            "4. 日期写成 YYYY-MM-DD，如 2020-03-01；尚未迁出的机构「迁出日期」留空，迁出日期应晚于迁入日期。",
        ),
        (
            "text",
            "5. 面积单位为平方米（㎡），不能为负数；每个场地至少填一种面积（建筑面积、使用面积、"
            "产权面积或租赁面积，按适用政策的计算口径填写，能填的都填上）；入驻面积不能大于所在场地的面积。",
        ),
        (
            "text",
            "   「机构类别」区分持许可证、已备案、公共人力资源服务机构与其他机构；"
            "只知道“是否人力资源服务机构”时填那一列即可（是 = 持许可证或已备案）。",
        ),
        (
            "text",
            f"6. 「{sheet('revenue', '营业收入')}」中每家机构每年一行（统一社会信用代码 + 年度 + 金额），"
            f"该机构须已列在「{sheet('tenants', '入驻机构')}」中。",
        ),
        (
            "text",
            f"7. 「{sheet('attestations', '定性材料')}」中的条件编号来自政策文件："
            "运行 parkeval policy show 政策编号（如 parkeval policy show gx-2021）查看；"
            "声明满足的条件须写明证明材料（文件名或文号）。",
        ),
        ("text", f"8. 不要增加其他工作表；「{INSTRUCTIONS_SHEET}」表在读取时会被忽略。"),
    ]
    return lines


def _write_instructions(ws: Worksheet) -> None:
    from openpyxl.styles import Alignment, Font

    ws.column_dimensions["A"].width = 110
    styles = {
        "title": Font(bold=True, size=14),
        "heading": Font(bold=True, size=12),
        "text": Font(),
    }
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, (style, text) in enumerate(_instructions(), start=1):
        cell = ws.cell(row=row, column=1, value=text or None)
        cell.font = styles[style]
        cell.alignment = wrap


def _validation(spec: FieldSpec, kind: str) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    if kind == "choice":
        dv = DataValidation(
            type="list", formula1='"' + ",".join(spec.choices) + '"', allow_blank=True
        )
        dv.error = f"请从下拉列表中选择：{'、'.join(spec.choices)}"
    elif kind == "date":
        dv = DataValidation(
            type="date",
            operator="between",
            formula1="DATE(1990,1,1)",
            formula2="DATE(2100,12,31)",
            allow_blank=True,
        )
        dv.error = "应为日期，写成 YYYY-MM-DD，如 2020-03-01"
    elif kind == "year":
        dv = DataValidation(
            type="whole", operator="between", formula1="1990", formula2="2100", allow_blank=True
        )
        dv.error = "应为四位数年份，如 2024"
    elif kind == "count":
        dv = DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
        dv.error = "应为非负整数"
    elif kind == "area":
        dv = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
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
    fills = {
        True: PatternFill("solid", fgColor=_REQUIRED_FILL),
        False: PatternFill("solid", fgColor=_OPTIONAL_FILL),
    }
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


def _save(wb: Workbook, path: Path, *, force: bool) -> None:
    """Save through :func:`parkeval.outputs.write_output`: the suffix checked, no file
    replaced unless ``force``, written next to the target and renamed into place."""
    import io

    from parkeval.outputs import check_output, write_output

    check_output(path, suffixes=[".xlsx"], force=force)
    buffer = io.BytesIO()
    wb.save(buffer)
    write_output(path, buffer.getvalue(), suffixes=[".xlsx"], force=force)


def write_template(path: Path, *, overwrite: bool = False) -> None:
    """Write a blank dossier workbook for a park operator to fill in.

    Raises :class:`ParkevalError` if ``path`` exists, unless ``overwrite`` is true.
    """
    path = Path(path)
    if path.exists() and not path.is_symlink() and not path.is_dir() and not overwrite:
        raise ParkevalError(
            f"文件已存在：{path}（为避免覆盖已填写的数据，未写入模板）",
            hint="请换一个文件名，或加 --force 覆盖该文件",
        )
    wb, _ = _new_workbook()
    _save(wb, path, force=overwrite)


# --------------------------------------------------------------------------- filled workbook


def _cell_value(value: Any) -> Any:
    # Decimals that are not whole are written as text: a double could not hold them exactly
    # in every case, and the parsers read text money exactly.
    if value is None or isinstance(value, str | int | float | dt.date):
        return "是" if value is True else "否" if value is False else value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    raise ValueError(f"无法写入单元格的值 {value!r}（{type(value).__name__}）")


def _append(
    ws: Worksheet, row: int, spec: SectionSpec, record: Mapping[str, Any], where: str
) -> None:
    columns = {f.key: i for i, f in enumerate(spec.fields, start=1)}
    unknown = [k for k in record if k not in columns]
    if unknown:
        raise ValueError(
            f"{where}：未知的字段 {', '.join(map(str, unknown))}；可用的字段：{', '.join(columns)}"
        )
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


def write_dossier(path: Path, dossier_mapping: Mapping[str, Any], *, force: bool = True) -> None:
    """Write a filled workbook from a mapping shaped like a YAML dossier.

    ``park`` is one mapping; ``sites``, ``tenants`` and any later section are lists of
    mappings keyed by the :data:`SECTIONS` field keys; a tenant's ``revenue: {year:
    amount}`` becomes rows of the 营业收入 sheet; ``attestations`` maps a criterion id to
    ``{met, evidence, note}``. Whole Decimals are written as numbers, others as text so
    they stay exact; booleans as 是/否. An existing file is replaced only with ``force``.
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
                    append(
                        "revenue",
                        {
                            "credit_code": record.get("credit_code"),
                            "year": year,
                            "amount_yuan": amount,
                        },
                        f"{where}.revenue.{year}",
                    )
            append(section, record, where)
    _save(wb, path, force=force)
