"""The fast workbook reader (python-calamine) gives the same raw rows, the same dossiers and the
same errors (sheet, row, column, message) as openpyxl's read-only reader, on the template, the
demo parks, a synthetic province and bad workbooks; formulas, error values and oversized
members are refused before either reader runs."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import make_dossier, make_tenant
from openpyxl import Workbook

from parkeval.errors import InputError
from parkeval.intake.load import read_raw
from parkeval.intake.synth import write_province
from parkeval.intake.template import write_dossier, write_template
from parkeval.intake.validate import validate
from parkeval.intake.xlsx import read_workbook
from parkeval.intake.xlsx_fast import MAX_MEMBER_BYTES
from parkeval.resources import demo_dir
from parkeval.yamlio import load_yaml


def _typed(value: Any) -> tuple[str, str]:
    """A value with its type: 100 and 100.0 are equal in Python, not to the parsers' messages."""
    return type(value).__name__, repr(value)


def _read(path: Path, reader: str) -> Any:
    """What a reader makes of a file: its raw rows (typed), or its problems."""
    data = path.read_bytes()
    try:
        raw = read_workbook(path, data, sha256="-", reader=reader)
    except InputError as exc:
        return ("error", [(p.where, p.message) for p in exc.problems])
    return {
        section: [({k: _typed(v) for k, v in row.values.items()}, row.ref) for row in rows]
        for section, rows in raw.sections.items()
    }


def _dossier(path: Path, reader: str) -> Any:
    raw = read_workbook(path, path.read_bytes(), sha256="-", reader=reader)
    try:
        return validate(raw)
    except InputError as exc:
        return ("error", [(p.where, p.message) for p in exc.problems])


def assert_same(path: Path) -> Any:
    fast, reference = _read(path, "calamine"), _read(path, "openpyxl")
    assert fast == reference
    if not (isinstance(fast, tuple) and fast[0] == "error"):
        assert _dossier(path, "calamine") == _dossier(path, "openpyxl")
    return fast


def test_the_template_reads_the_same(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    assert all(rows == [] for rows in assert_same(path).values())


@pytest.mark.parametrize("name", ["gx-pass", "gx-fail", "bt-pass", "bt-fail"])
def test_the_demo_parks_read_the_same(tmp_path, name):
    mapping = load_yaml((demo_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
    path = tmp_path / f"{name}.xlsx"
    write_dossier(path, mapping)
    rows = assert_same(path)
    assert rows["tenants"] and rows["revenue"]
    # and the workbook gives the dossier the YAML file gives
    assert (
        read_raw(path)
        and validate(read_raw(path)).park == validate(read_raw(demo_dir() / f"{name}.yaml")).park
    )


def test_a_synthetic_province_reads_the_same(tmp_path):
    write_province(tmp_path, parks=4, tenants=30, years=3, seed=7, fmt="xlsx")
    files = sorted(tmp_path.glob("*.xlsx"))
    assert len(files) == 4
    for path in files:
        assert "tenants" in assert_same(path)


def _workbook(path: Path, sheets: dict[str, list[list[Any]]], *, formats: dict | None = None):
    """A workbook written cell by cell (values as given, so types and blanks are the test's)."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    cell = ws.cell(row=r, column=c, value=value)
                    if formats and (title, r, c) in formats:
                        cell.number_format = formats[(title, r, c)]
    wb.save(path)
    return path


PARK_HEADERS = ["园区编码", "园区名称", "所在省份", "所在城市"]


def _good_park_rows() -> list[list[Any]]:
    return [PARK_HEADERS, ["gx-1", "南宁园区", "广西壮族自治区", "南宁市"]]


BAD = {
    "unknown sheet": {"园区": _good_park_rows(), "杂项": [["a"], [1]]},
    "duplicate sheet": {"园区": _good_park_rows(), "park": _good_park_rows()},
    "unknown header": {"园区": [[*PARK_HEADERS, "备注栏"], ["gx-1", "园", "广西", "南宁", "x"]]},
    "duplicate header": {
        "园区": [[*PARK_HEADERS, "园区名称"], ["gx-1", "园", "广西", "南宁", "y"]]
    },
    "missing required column": {"园区": [["园区名称"], ["园"]]},
    "header only in a later row": {"园区": [[None], [None], PARK_HEADERS]},
    "empty header row": {"园区": [[None], [None], ["gx-1", "园"]]},
    "data without a header": {
        "园区": [[*PARK_HEADERS], ["gx-1", "园", "广西", "南宁", None, "多余"]]
    },
    "numbers and dates of every kind": {
        "园区": _good_park_rows(),
        "入驻机构": [
            [
                "统一社会信用代码",
                "机构名称",
                "所在场地编码",
                "迁入日期",
                "入驻面积（㎡）",
                "迁出日期",
            ],
            [914501001234567890, 12345, "core", dt.datetime(2020, 3, 1), 100, "2021/3/1"],
            [" 91450100MA5KXXXX0X ", "  ", "core", 43891, 1234.5, dt.datetime(2024, 1, 1, 12, 30)],
            ["x", True, 3.0, "2020年3月1日", "1.2万", 0.1],
            [None, "名", None, dt.time(10, 30), -0.0, 1e20],
        ],
    },
}
FORMATS = {
    "numbers and dates of every kind": {
        ("入驻机构", 3, 4): "yyyy-mm-dd",
        ("入驻机构", 5, 4): "hh:mm",
    }
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_workbooks_fail_the_same(tmp_path, case):
    path = _workbook(tmp_path / "bad.xlsx", BAD[case], formats=FORMATS.get(case))
    assert_same(path)
    data = path.read_bytes()
    # the whole dossier check fails the same way too (rows, columns and messages)
    with pytest.raises(InputError) as fast:
        validate(read_workbook(path, data, sha256="-", reader="calamine"))
    with pytest.raises(InputError) as reference:
        validate(read_workbook(path, data, sha256="-", reader="openpyxl"))
    assert [(p.where, p.message) for p in fast.value.problems] == [
        (p.where, p.message) for p in reference.value.problems
    ]
    assert all("bad.xlsx" in p.where for p in fast.value.problems)


def test_a_dossier_with_bad_tenants_names_the_same_rows(tmp_path):
    mapping = make_dossier(code="gx-bad")
    mapping["tenants"].append(make_tenant(900, credit_code="91450100MA5KXXXX0A"))
    mapping["tenants"].append(make_tenant(901, move_in="2099-01-01"))
    path = tmp_path / "bad-tenants.xlsx"
    write_dossier(path, mapping)
    problems = assert_same(path)
    assert isinstance(problems, dict)
    fast, reference = _dossier(path, "calamine"), _dossier(path, "openpyxl")
    assert fast == reference and fast[0] == "error"
    assert any("入驻机构" in where for where, _ in fast[1])


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_formulas_and_error_values_are_refused_with_their_cells(tmp_path, reader):
    path = _workbook(
        tmp_path / "formulas.xlsx",
        {
            "园区": _good_park_rows(),
            "入驻机构": [
                ["统一社会信用代码", "机构名称", "所在场地编码", "迁入日期", "入驻面积（㎡）"],
                ["91450100MA5KXXXX0X", "甲", "core", "2020-03-01", "=100*2"],
            ],
        },
    )
    with pytest.raises(InputError) as caught:
        read_workbook(path, path.read_bytes(), sha256="-", reader=reader)
    [problem] = caught.value.problems
    assert problem.where.endswith("工作表「入驻机构」 第 2 行 E 列")
    assert "公式" in problem.message and "选择性粘贴" in problem.message

    # an error value (#N/A) as a file from another tool stores it: t="e"
    broken = tmp_path / "errors.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<f>100*2</f><v></v>", b"").replace(b'r="E2"', b'r="E2" t="e"')
                data = data.replace(b'r="E2" t="e">', b'r="E2" t="e"><v>#N/A</v>')
            dst.writestr(info, data)
    with pytest.raises(InputError) as caught:
        read_workbook(broken, broken.read_bytes(), sha256="-", reader=reader)
    [problem] = caught.value.problems
    assert problem.where.endswith("工作表「入驻机构」 第 2 行 E 列")
    assert "错误值（#N/A）" in problem.message


def test_an_oversized_member_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "dossier.xlsx"
    write_template(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/huge.bin", b"\0" * (MAX_MEMBER_BYTES + 1))
    with pytest.raises(InputError) as caught:
        read_raw(path)
    [problem] = caught.value.problems
    assert "xl/media/huge.bin" in problem.message and "超过上限" in problem.message


@pytest.mark.parametrize(
    "data",
    [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, b"PK\x03\x04 not really a zip", b"plain"],
    ids=["ole", "broken zip", "text"],
)
def test_files_that_are_no_workbook_are_refused_the_same(tmp_path, data):
    path = tmp_path / "dossier.xlsx"
    path.write_bytes(data)
    fast, reference = _read(path, "calamine"), _read(path, "openpyxl")
    assert fast[0] == reference[0] == "error"
    # the same sentence (the reader's own detail in brackets differs)
    assert [m.split("（")[0] for _, m in fast[1]] == [m.split("（")[0] for _, m in reference[1]]
