"""The fast workbook reader (python-calamine, Rust) and the checks of a workbook's package
that come before any reader: the cells no reader may pass on.

:func:`calamine_sheets` gives each worksheet's rows as tuples of the values openpyxl's
read-only reader gives for the same cells — numbers, dates, times, durations, booleans and
text — so :mod:`parkeval.intake.xlsx` turns them into raw rows with the same code, the same
sheet/row/column references and the same messages whichever reader ran:

* an empty cell is ``None`` (calamine says ``""``);
* a whole number is an ``int`` (calamine reads every number as a double; a file stores a whole
  number below 10¹⁵ as digits, which openpyxl reads as an int); any other number stays the
  double both readers parse from the same text;
* a cell formatted as a date is a ``datetime`` at midnight (calamine gives a ``date``), a
  date-and-time, time or duration is what both give.

:func:`check_package` reads the zip once before either reader: every member's declared size
against :data:`MAX_MEMBER_BYTES` (calamine holds a sheet in memory), then each worksheet's XML
(the instructions sheet aside) for formulas (``<f>``) and error values (``t="e"``: #N/A,
#DIV/0!…), which are refused naming sheet, row and column: a value Excel computed is not a
value the park reported, and a formula's cached result may be stale or missing. Further
limits of the package (the shared strings, the number of members) belong in the same check.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from parkeval.errors import InputError, Problem

# A member's uncompressed size past this is refused before anything is decompressed: a dossier's
# largest sheet (10,000 tenants × 5 years of revenue) is a few MB.
MAX_MEMBER_BYTES = 64 * 2**20
MAX_CELL_PROBLEMS = 20  # formulas and error values named one by one; beyond, a count

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_ERROR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\st\s*=\s*[\"']e[\"']")
_CELL_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*>")
_CELL_REF = re.compile(rb"\sr=[\"']([A-Z]+)([0-9]+)[\"']")
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v>([^<]*)<")
_WHOLE_BELOW = 1e15  # a whole number below this is written as digits (an int to openpyxl)


def worksheet_members(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member of its XML) for every worksheet, in the workbook's order."""
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id")] = posixpath.normpath(path)
    out = []
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        member = targets.get(sheet.get(f"{_REL}id"))
        if member is not None and member.startswith("xl/worksheets/"):
            out.append((sheet.get("name", ""), member))
    return out


def _cell_at(xml: bytes, position: int) -> tuple[str, str] | None:
    """The (column letters, row number) of the cell whose XML contains ``position``."""
    starts = list(_CELL_START.finditer(xml, max(0, position - 4096), position))
    if not starts:
        return None
    ref = _CELL_REF.search(starts[-1].group(0))
    return (ref.group(1).decode(), ref.group(2).decode()) if ref else None


def _cell_problems(file: str, title: str, xml: bytes) -> list[tuple[int, Problem]]:
    found: list[tuple[int, Problem]] = []
    # substring tests first (C speed): most sheets have neither, and the regexes cost more
    formulas = _FORMULA.finditer(xml) if b"<f" in xml or b":f" in xml else ()
    errors = _ERROR_CELL.finditer(xml) if b'"e"' in xml or b"'e'" in xml else ()
    for match in formulas:
        cell = _cell_at(xml, match.start())
        where = f"{file} 工作表「{title}」" + (f" 第 {cell[1]} 行 {cell[0]} 列" if cell else "")
        found.append(
            (
                match.start(),
                Problem(
                    where,
                    "单元格含有公式；档案只接受填写的数值：请将公式粘贴为数值"
                    "（复制这些单元格，“选择性粘贴 → 数值”）后再导入",
                ),
            )
        )
        if len(found) > MAX_CELL_PROBLEMS:
            return found
    for match in errors:
        ref = _CELL_REF.search(match.group(0))
        value = _VALUE.search(xml, match.end(), match.end() + 200)
        shown = f"（{value.group(1).decode(errors='replace')}）" if value else ""
        where = f"{file} 工作表「{title}」" + (
            f" 第 {ref.group(2).decode()} 行 {ref.group(1).decode()} 列" if ref else ""
        )
        found.append(
            (match.start(), Problem(where, f"单元格是错误值{shown}；请更正后填写实际数值再导入"))
        )
        if len(found) > MAX_CELL_PROBLEMS:
            break
    return sorted(found, key=lambda item: item[0])


def check_package(path: Path, data: bytes, *, skip_sheets: frozenset[str]) -> None:
    """Refuse what no reader may pass on, naming sheet, row and column: a member larger than
    :data:`MAX_MEMBER_BYTES`, formulas and error values. A file that is no zip, or no
    workbook, is left for the reader to say so."""
    file = str(path)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with zf:
        for info in zf.infolist():
            if info.file_size > MAX_MEMBER_BYTES:
                raise InputError(
                    [
                        Problem(
                            file,
                            f"工作簿中的 {info.filename} 解压后 {info.file_size // 2**20} MB，"
                            f"超过上限 {MAX_MEMBER_BYTES // 2**20} MB；"
                            "请确认这是园区档案工作簿，或删除多余的内容后另存",
                        )
                    ]
                )
        try:
            sheets = worksheet_members(zf)
        except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError):
            return  # not a workbook's package: the reader says so
        problems: list[tuple[int, Problem]] = []
        for title, member in sheets:
            if title.strip() in skip_sheets:
                continue
            try:
                xml = zf.read(member)
            except (KeyError, zipfile.BadZipFile, OSError, EOFError):
                return
            problems += _cell_problems(file, title, xml)
            if len(problems) > MAX_CELL_PROBLEMS:
                break
    if problems:
        shown = [p for _, p in problems[:MAX_CELL_PROBLEMS]]
        if len(problems) > MAX_CELL_PROBLEMS:
            shown.append(
                Problem(file, f"还有更多含公式或错误值的单元格（只列出前 {MAX_CELL_PROBLEMS} 个）")
            )
        raise InputError(shown)


def _value(value: Any) -> Any:
    cls = value.__class__
    if cls is str:
        return value if value else None
    if cls is float:
        if value.is_integer() and -_WHOLE_BELOW < value < _WHOLE_BELOW:
            return int(value)
        return value
    if cls is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


def calamine_sheets(data: bytes) -> Iterator[tuple[str, Iterator[tuple[Any, ...]]]]:
    """Each worksheet (not chart sheets), in the workbook's order: its name and its rows from
    row 1, each a tuple of the values openpyxl's read-only reader gives (module docstring).
    Raises the reader's own errors for a file that is no workbook."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            grid = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            yield meta.name, (tuple([_value(v) for v in row]) for row in grid)
    finally:
        workbook.close()
