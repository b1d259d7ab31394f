"""Results in Excel: certify/status/due --xlsx open with openpyxl, hold exact numbers, no
formulas, and a park or tenant named like a formula stays text."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from conftest import make_dossier, make_tenant
from openpyxl import load_workbook

from parkeval.cli import app

EVIL = "=cmd|' /C calc'!A0"


def _cells(path: Path) -> list[Any]:
    book = load_workbook(path)
    return [cell for ws in book for row in ws.iter_rows() for cell in row]


def test_certify_all_xlsx_has_exact_numbers_and_no_formulas(
    runner: Any, write_dossier: Any, tmp_path: Path
) -> None:
    # revenue 499,999,999.99元: just under 5亿, exact to the fen
    tenants = [make_tenant(i, revenue={2024: "15000000"}) for i in range(32)]
    tenants.append(make_tenant(99, name=EVIL, revenue={2024: "19999999.99"}))
    dossier = make_dossier(code="xl-park", tenants=tenants)
    dossier["park"]["name"] = "+SUM(1,2)园区"
    runner.invoke(app, ["import", str(write_dossier(dossier))], catch_exceptions=False)
    out = tmp_path / "results.xlsx"
    result = runner.invoke(
        app, ["certify", "--all", "-p", "gx-2021", "--year", "2024", "--xlsx", str(out)]
    )
    assert result.exit_code == 1, result.output  # not eligible: revenue short of 5亿
    assert "已写出 Excel 工作簿" in result.output
    cells = _cells(out)
    assert all(c.data_type != "f" for c in cells)  # no formula anywhere
    values = [c.value for c in cells]
    assert "+SUM(1,2)园区" in values  # the name, as text
    park = next(c for c in cells if c.value == "+SUM(1,2)园区")
    assert park.data_type == "s" and park.quotePrefix
    book = load_workbook(out)
    sheet = book["认定核查"]
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref.startswith("A1:")
    header = [c.value for c in sheet[1]]
    assert "产业园年营业收入：实际" in header and "差距与说明" in header
    row = {h: c for h, c in zip(header, sheet[2], strict=False)}
    revenue = row["产业园年营业收入：实际"]
    assert revenue.data_type == "n" and Decimal(str(revenue.value)) == Decimal("499999999.99")
    assert revenue.number_format == "#,##0.00"
    assert Decimal(str(row["产业园年营业收入：要求"].value)) == 500000000
    assert row["产业园年营业收入：状态"].value == "未达标"
    occupancy = row["入驻面积占比（单园区）：实际"]
    assert occupancy.number_format == "0.0%" and 0 < occupancy.value < 1
    assert "营业收入差" in row["差距与说明"].value
    with zipfile.ZipFile(out) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets"))
    assert "<f>" not in xml and "499999999.99" in xml  # the exact digits are in the file
    # the long sheet has one row per criterion, numbers as numbers
    detail = book["逐项明细"]
    assert detail.max_row == 1 + len(
        [r for r in detail.iter_rows(min_row=2, values_only=True) if r[0]]
    )
    # an existing workbook is not overwritten without --force, and nothing is written
    again = runner.invoke(app, ["certify", "--all", "-p", "gx-2021", "--xlsx", str(out)])
    assert again.exit_code == 2 and "已存在" in again.output
    bad = runner.invoke(
        app, ["certify", "--all", "-p", "gx-2021", "--xlsx", str(tmp_path / "r.csv")]
    )
    assert bad.exit_code == 2 and ".xlsx" in bad.output


def test_status_and_due_all_xlsx(runner: Any, write_dossier: Any, tmp_path: Path) -> None:
    dossier = make_dossier(code="st-park")
    dossier["certifications"] = [{"policy": "gx-2021", "certified_on": "2022-03-01"}]
    runner.invoke(app, ["import", str(write_dossier(dossier))], catch_exceptions=False)
    status = tmp_path / "status.xlsx"
    result = runner.invoke(app, ["status", "--all", "--xlsx", str(status)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(status)["认定状态"]
    row = [c.value for c in sheet[2]]
    assert row[:4] == [
        "st-park",
        "测试人力资源服务产业园",
        "广西自治区级人力资源服务产业园",
        "有效",
    ]
    assert sheet["E2"].is_date
    due = tmp_path / "due.xlsx"
    result = runner.invoke(app, ["due", "--all", "--xlsx", str(due)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(due)["待办事项"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert (
        rows
        and all(r[0] == "st-park" for r in rows)
        and all(r[5] in ("已逾期", "未到期") for r in rows)
    )
    assert all(c.data_type != "f" for c in _cells(due))


def test_every_row_has_one_value_per_header_and_each_value_under_its_header(
    runner: Any, settings: Any, tmp_path: Path
) -> None:
    """The demo holds a park with branch sites (a criterion per site) and a recorded title:
    no row of any sheet has a value beyond its header, and each column holds its kind."""
    import datetime as dt

    from parkeval.app.demo import run_demo
    from parkeval.domain.wording import STATE_NAMES, STATUS_NAMES
    from parkeval.policy.model import OP_WORDS

    run_demo(settings)
    books = {}
    for command in (
        ["certify", "--all", "-p", "gx-2021", "--year", "2024"],
        ["status", "--all"],
        ["due", "--all"],
    ):
        out = tmp_path / f"{command[0]}.xlsx"
        result = runner.invoke(app, [*command, "--xlsx", str(out)])
        assert result.exit_code in (0, 1), result.output
        books[command[0]] = load_workbook(out)
    branch_rows = 0
    for name, book in books.items():
        for ws in book:
            header = [c.value for c in ws[1]]
            assert all(header), (name, ws.title, header)  # no column without a header
            rows = list(ws.iter_rows(min_row=2, values_only=True))
            assert rows, (name, ws.title)
            for row in rows:
                assert len(row) == len(header), (ws.title, row)
                cell = dict(zip(header, row, strict=True))
                assert cell["园区编码"] and cell["园区名称"], (ws.title, row)
                if ws.title == "逐项明细":
                    assert cell["状态"] in STATUS_NAMES.values(), row
                    assert cell["比较"] in (*OP_WORDS.values(), None), row
                    assert isinstance(cell["差距与说明"], (str, type(None))), row
                    if cell["分园区"]:
                        branch_rows += 1
                        assert cell["条件"].startswith("分园区"), row
                        assert cell["分园区"].endswith("分园"), row  # a name, not a code
                if ws.title == "认定核查":
                    for h, v in cell.items():
                        if h.endswith("：状态"):
                            assert v is None or v in STATUS_NAMES.values(), (h, row)
                if ws.title == "认定状态":
                    assert cell["认定状态"] in (*STATE_NAMES.values(), "尚无认定"), row
                    assert cell["认定日期"] is None or isinstance(cell["认定日期"], dt.datetime)
                if ws.title == "待办事项":
                    assert cell["状态"] in ("已逾期", "未到期") and cell["依据条款"], row
                    assert isinstance(cell["期限"], dt.datetime), row
    assert branch_rows >= 3  # the multi-site park's criteria per branch site
