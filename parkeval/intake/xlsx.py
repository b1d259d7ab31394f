"""Reading a filled dossier workbook (.xlsx) into raw rows, each pinned to its sheet, row and
column; checking the values is :func:`parkeval.intake.validate.validate`'s job."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from parkeval.errors import InputError, Problem
from parkeval.intake.schema import SECTIONS, RawDossier, RawRow, RowRef, SectionSpec
from parkeval.intake.template import INSTRUCTIONS_SHEET
from parkeval.limits import shown


def _not_a_workbook(path: Path, data: bytes, detail: str) -> InputError:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        # An OLE container: an old .xls workbook, or an .xlsx protected by a password.
        message = (
            "不是 .xlsx 工作簿：这是旧版 Excel（.xls）文件或设置了打开密码的工作簿；"
            "请在 Excel 中取消密码并“另存为” Excel 工作簿（*.xlsx）后再导入"
        )
    else:
        message = (
            f"不是有效的 Excel 工作簿（.xlsx），无法打开（{detail}）；"
            "请确认文件未损坏，并在 Excel 或 WPS 中“另存为” Excel 工作簿（*.xlsx）"
        )
    return InputError([Problem(str(path), message)])


def check_workbook_parts(data: bytes) -> str | None:
    """Why a workbook's zip parts are refused before any XML is parsed, or None: a part or
    all parts together larger than :mod:`parkeval.limits` allows once unpacked, or more
    shared strings than :data:`~parkeval.limits.MAX_SHARED_STRINGS` (counted by streaming the
    part, never trusting its header). A file that is no zip at all is left to the reader."""
    import zipfile

    from parkeval.limits import (
        MAX_SHARED_STRINGS,
        MAX_SHARED_STRINGS_MB,
        MAX_XLSX_MEMBER_MB,
        MAX_XLSX_UNPACKED_ENV,
        max_unpacked_bytes,
    )

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    with archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        cap = max_unpacked_bytes()
        if total > cap:
            return (
                f"工作簿解压后过大（{total / 1048576:.0f} MB），超过上限 {cap // 1048576} MB；"
                f"如确需导入，可设置环境变量 {MAX_XLSX_UNPACKED_ENV} 调整上限"
            )
        for info in infos:
            if info.file_size > MAX_XLSX_MEMBER_MB * 1048576:
                return (
                    f"工作簿中的部件 {info.filename} 解压后过大（{info.file_size / 1048576:.0f} MB），"
                    f"超过上限 {MAX_XLSX_MEMBER_MB} MB；请删去多余的内容或分成几个文件"
                )
        strings = [i for i in infos if i.filename.lower().endswith("sharedstrings.xml")]
        for info in strings:
            if info.file_size > MAX_SHARED_STRINGS_MB * 1048576:
                return (
                    f"工作簿的共享字符串部件解压后过大（{info.file_size / 1048576:.0f} MB），"
                    f"超过上限 {MAX_SHARED_STRINGS_MB} MB"
                )
            count = 0
            tail = b""
            try:
                with archive.open(info) as handle:
                    while chunk := handle.read(1 << 20):
                        block = tail + chunk
                        count += block.count(b"<si>") + block.count(b"<si ")
                        count -= tail.count(b"<si>") + tail.count(b"<si ")
                        tail = block[-3:]
                        if count > MAX_SHARED_STRINGS:
                            return (
                                f"工作簿中不同的文字超过 {MAX_SHARED_STRINGS:,} 个，超过上限；"
                                "请删去多余的内容或分成几个文件"
                            )
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
                return None  # the reader says the file is damaged
    return None


def _column_letter(number: int) -> str:
    """1 → A, 27 → AA (what openpyxl's get_column_letter says, without importing openpyxl)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_sections() -> dict[str, str]:
    names: dict[str, str] = {}
    for key, spec in SECTIONS.items():
        names[spec.sheet] = key
        names[key.lower()] = key
    return names


def read_workbook(path: Path, data: bytes, *, sha256: str, reader: str = "calamine") -> RawDossier:
    """Read a filled dossier workbook into raw rows, each pinned to sheet, row and column.

    Sheets map to sections by their Chinese name (or the English section key); row 1 holds
    the headers. Unknown sheets or headers and missing required headers are reported
    together in one :class:`InputError`. Values are passed on as openpyxl's read-only reader
    gives them (strings stripped, blank → None) for :func:`parkeval.intake.validate.validate`
    to check. Formulas, error values and oversized members are refused first
    (:func:`parkeval.intake.xlsx_fast.check_package`).

    ``reader``: ``"calamine"`` (python-calamine, several times faster; what import uses) or
    ``"openpyxl"`` (the reference the tests hold the fast reader equal to).
    """
    import zipfile
    from xml.etree.ElementTree import ParseError

    from parkeval.intake.xlsx_fast import calamine_sheets, check_package

    file = str(path)
    refused = check_workbook_parts(data)  # sizes and shared strings, before any XML
    if refused:
        raise InputError([Problem(file, refused)])
    check_package(path, data, skip_sheets=frozenset({INSTRUCTIONS_SHEET}))
    raw = RawDossier(source=file, sha256=sha256)
    problems: list[Problem] = []
    try:
        if reader == "openpyxl":
            _read_sections(_openpyxl_sheets(path, data), file, raw, problems)
        else:
            _read_sections(calamine_sheets(data), file, raw, problems)
    except InputError:
        raise
    except (zipfile.BadZipFile, ParseError, KeyError, EOFError, OSError) as exc:
        raise _not_a_workbook(path, data, f"{type(exc).__name__}: {exc}") from None
    except Exception as exc:  # calamine's CalamineError, ZipError, XmlError, PasswordError …
        if type(exc).__module__.startswith("python_calamine"):
            raise _not_a_workbook(path, data, f"{type(exc).__name__}: {exc}") from None
        raise
    if problems:
        raise InputError(problems)
    return raw


def _openpyxl_sheets(path: Path, data: bytes) -> Iterator[tuple[str, Iterator[tuple[Any, ...]]]]:
    """Each worksheet's name and rows through openpyxl's read-only reader."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        Exception
    ) as exc:  # openpyxl raises many kinds (BadZipFile, KeyError, InvalidFileException, ...)
        raise _not_a_workbook(path, data, f"{type(exc).__name__}: {exc}") from None
    try:
        for ws in wb.worksheets:
            # Files from other tools often carry a wrong <dimension>; without it openpyxl reads
            # every cell that is there instead of cutting rows short.
            ws.reset_dimensions()
            yield ws.title, ws.iter_rows(values_only=True)
    finally:
        wb.close()


def _read_sections(
    sheets: Iterable[tuple[str, Iterator[tuple[Any, ...]]]],
    file: str,
    raw: RawDossier,
    problems: list[Problem],
) -> None:
    by_name = _sheet_sections()
    seen: dict[str, str] = {}  # section key → sheet name
    for title, rows in sheets:
        name = title.strip()
        if name == INSTRUCTIONS_SHEET:
            continue
        key = by_name.get(name) or by_name.get(name.lower())
        if key is None:
            known = "、".join(f"「{s.sheet}」" for s in SECTIONS.values())
            problems.append(
                Problem(
                    f"{file} 工作表「{title}」",
                    f"未知的工作表；可用的工作表：{known}（以及「{INSTRUCTIONS_SHEET}」）",
                )
            )
            continue
        if key in seen:
            problems.append(
                Problem(
                    f"{file} 工作表「{title}」",
                    f"与工作表「{seen[key]}」重复（都是 {SECTIONS[key].sheet}）；请合并为一个工作表",
                )
            )
            continue
        seen[key] = title
        _read_sheet(rows, file, title, SECTIONS[key], raw, problems)


def _read_sheet(
    rows: Iterator[tuple[Any, ...]],
    file: str,
    title: str,
    spec: SectionSpec,
    raw: RawDossier,
    problems: list[Problem],
) -> None:
    column_letter = _column_letter
    header_row = next(rows, None)
    where = f"{file} 工作表「{title}」 第 1 行"
    headers = (
        []
        if header_row is None
        else [(i, h.strip() if isinstance(h, str) else h) for i, h in enumerate(header_row)]
    )
    headers = [(i, h) for i, h in headers if h is not None and h != ""]
    if not headers:
        first_data = next(
            (
                n
                for n, row in enumerate(rows, start=2)
                if any(v is not None and v != "" for v in row)
            ),
            None,
        )
        if first_data is not None:
            expected = "、".join(f"「{f.header}」" for f in spec.fields)
            problems.append(
                Problem(
                    where,
                    f"第 1 行应为表头（{expected}），但它是空的；"
                    f"数据从第 {first_data} 行开始。请从模板复制表头",
                )
            )
        return

    columns: list[tuple[int, str]] = []  # (0-based index, field key)
    letters: dict[str, str] = {}
    ok = True
    expected = "、".join(f"「{f.header}」" for f in spec.fields)
    for i, header in headers:
        letter = column_letter(i + 1)
        f = spec.resolve_header(str(header))
        if f is None:
            problems.append(
                Problem(
                    f"{file} 工作表「{title}」 第 1 行 {letter} 列「{header}」",
                    f"未知的表头；本表可用的表头：{expected}",
                )
            )
            ok = False
        elif f.key in letters:
            problems.append(
                Problem(
                    f"{file} 工作表「{title}」 第 1 行 {letter} 列「{header}」",
                    f"与 {letters[f.key]} 列重复，都是「{f.header}」；请删除其中一列",
                )
            )
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
        stray = [
            i
            for i in headerless_here
            if i < width
            and row[i] is not None
            and not (row[i].__class__ is str and not row[i].strip())
        ]
        if stray:
            letter = column_letter(stray[0] + 1)
            problems.append(
                Problem(
                    f"{file} 工作表「{title}」 第 {number} 行 {letter} 列",
                    "该列没有表头，数据无法识别；请填在有表头的列中，或补上表头",
                )
            )
        if empty:
            continue
        label = values.get(label_field) if label_field else None
        ref = RowRef(
            file=file,
            section=section,
            sheet=title,
            row=number,
            columns=letters,
            label=shown(label) if label is not None else None,
        )
        out.append(RawRow(values, ref))
