"""The Excel template and reader: what a park operator fills in, and the errors they see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from parkeval.errors import InputError, ParkevalError
from parkeval.intake.load import load_dossier
from parkeval.intake.schema import SECTIONS
from parkeval.intake.template import INSTRUCTIONS_SHEET, write_dossier, write_template
from parkeval.values import credit_code_check_char


def credit_code(serial: int) -> str:
    first17 = f"91450100MA{serial:07d}"
    return first17 + credit_code_check_char(first17)


CODES = [credit_code(n) for n in (1, 2, 3)]


def valid_mapping() -> dict[str, Any]:
    return {
        "park": {
            "code": "nn-hr",
            "name": "中国南宁人力资源服务产业园",
            "province": "广西壮族自治区",
            "city": "南宁市",
            "operator": "南宁人力资源产业园运营有限公司",
            "operator_type": "公司",
            "full_time_staff": 25,
        },
        "sites": [
            {
                "code": "core",
                "name": "核心园区",
                "role": "核心园区",
                "building_area_m2": Decimal("6000.5"),
            },
            {
                "code": "b1",
                "name": "东盟分园",
                "role": "分园区",
                "building_area_m2": 3200,
                "usable_area_m2": "2950.5",
            },
        ],
        "tenants": [
            {
                "credit_code": CODES[0],
                "name": "广西甲人力资源有限公司",
                "hr_service": True,
                "license_no": "桂人服证字〔2020〕001号",
                "site": "core",
                "leased_area_m2": Decimal("1200.25"),
                "move_in": dt.date(2020, 3, 1),
                "revenue": {2023: "3500万", 2024: Decimal("12345.67")},
            },
            {
                "credit_code": CODES[1],
                "name": "南宁乙人才服务有限公司",
                "hr_class": "经营性（备案）",
                "site": "b1",
                "leased_area_m2": 800,
                "move_in": dt.date(2021, 6, 15),
                "move_out": dt.date(2024, 5, 31),
                "revenue": {2023: 420_000_000},
            },
            {
                "credit_code": CODES[2],
                "name": "丙餐饮管理有限公司",
                "hr_service": False,
                "site": "core",
                "move_in": dt.date(2022, 1, 10),
            },
        ],
        "attestations": {
            "gx_development_plan": {
                "met": True,
                "evidence": "南人社发〔2020〕12号",
                "note": "=含公共服务平台",
            },
            "gx_digital_park": {"met": False},
        },
    }


def headers(ws: Any) -> list[str]:
    return [c.value for c in next(ws.iter_rows(min_row=1, max_row=1)) if c.value is not None]


def column_of(ws: Any, header: str) -> str:
    return next(c.column_letter for c in ws[1] if c.value == header)


def edit(path: Path, change: Any) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def problems_of(path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_dossier(path)
    return str(info.value)


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "park.xlsx"
    write_dossier(path, valid_mapping())
    return path


# --------------------------------------------------------------------------- template


def test_template_has_instructions_then_one_sheet_per_section(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, *(s.sheet for s in SECTIONS.values())]
    text = "\n".join(str(c.value) for c in wb[INSTRUCTIONS_SHEET]["A"] if c.value)
    for rule in (
        "核心园区",
        "校验位",
        "3500万",
        "YYYY-MM-DD",
        "建筑面积",
        "每年一行",
        "parkeval policy show",
    ):
        assert rule in text
    for spec in SECTIONS.values():
        ws = wb[spec.sheet]
        assert headers(ws) == [f.header for f in spec.fields]
        assert ws.freeze_panes == "A2"
        assert ws["A1"].font.b
        assert ws["A1"].comment is not None and ws.max_row == 1  # help lives in comments, not row 2


def test_template_offers_dropdowns_and_typed_columns(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)

    def validation(sheet: str, header: str) -> Any:
        ws = wb[sheet]
        letter = column_of(ws, header)
        return next(dv for dv in ws.data_validations.dataValidation if f"{letter}2" in dv.sqref)

    role = validation("园区场地", "场地类型")
    assert role.type == "list" and role.formula1 == '"核心园区,分园区"'
    assert validation("入驻机构", "迁入日期").type == "date"
    assert validation("营业收入", "年度").type == "whole"
    assert validation("园区场地", "建筑面积（㎡）").type == "decimal"
    assert validation("园区场地", "使用面积（㎡）").type == "decimal"
    classes = validation("入驻机构", "机构类别")
    assert classes.type == "list" and "公共人力资源服务机构" in classes.formula1
    tenants = wb["入驻机构"]
    assert tenants.column_dimensions[column_of(tenants, "统一社会信用代码")].number_format == "@"


def test_template_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "已填写.xlsx"
    path.write_bytes(b"operator's work")
    with pytest.raises(ParkevalError, match="文件已存在"):
        write_template(path)
    assert path.read_bytes() == b"operator's work"
    write_template(path, overwrite=True)
    assert openpyxl.load_workbook(path).sheetnames[0] == INSTRUCTIONS_SHEET


def test_blank_template_reads_as_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_template(path)
    assert "文件为空" in problems_of(path)


# --------------------------------------------------------------------------- round trip


def test_round_trip_keeps_exact_values(filled: Path) -> None:
    dossier = load_dossier(filled)
    assert dossier.park.code == "nn-hr" and dossier.park.operator_type == "company"
    assert dossier.park.full_time_staff == 25
    assert [(s.code, s.role, s.building_area_m2) for s in dossier.sites] == [
        ("core", "core", Decimal("6000.5")),
        ("b1", "branch", Decimal(3200)),
    ]
    first, second, third = dossier.tenants
    assert (
        first.credit_code == CODES[0]
        and first.hr_service
        and first.leased_area_m2 == Decimal("1200.25")
    )
    assert first.revenue == {2023: Decimal(35_000_000), 2024: Decimal("12345.67")}
    assert str(first.revenue[2024]) == "12345.67"
    assert (second.move_in, second.move_out) == (dt.date(2021, 6, 15), dt.date(2024, 5, 31))
    assert (first.hr_class, second.hr_class, third.hr_class) == (
        "licensed_or_filed",
        "filed",
        "none",
    )
    assert dossier.sites[1].usable_area_m2 == Decimal("2950.5")
    assert second.revenue == {2023: Decimal(420_000_000)}
    assert not third.hr_service and third.leased_area_m2 is None and third.move_out is None
    attestations = {a.criterion_id: a for a in dossier.attestations}
    assert attestations["gx_development_plan"].met
    assert attestations["gx_development_plan"].note == "=含公共服务平台"  # text, not a formula
    assert not attestations["gx_digital_park"].met


def test_english_sheet_names_and_headers_are_accepted(filled: Path) -> None:
    def to_english(wb: Any) -> None:
        ws = wb["园区场地"]
        ws.title = "sites"
        for cell in ws[1]:
            cell.value = SECTIONS["sites"].resolve_header(cell.value).key

    edit(filled, to_english)
    assert [s.code for s in load_dossier(filled).sites] == ["core", "b1"]


def test_blank_rows_between_records_are_skipped(filled: Path) -> None:
    def spread(wb: Any) -> None:
        wb["入驻机构"].insert_rows(3, amount=2)
        wb["入驻机构"]["B3"] = "   "

    edit(filled, spread)
    assert len(load_dossier(filled).tenants) == 3


# --------------------------------------------------------------------------- bad input


def set_cell(sheet: str, header: str, row: int, value: Any) -> Any:
    def change(wb: Any) -> None:
        ws = wb[sheet]
        ws[f"{column_of(ws, header)}{row}"] = value

    return change


@pytest.mark.parametrize(
    ("sheet", "header", "row", "value", "column", "message"),
    [
        (
            "入驻机构",
            "统一社会信用代码",
            3,
            CODES[1][:17] + ("0" if CODES[1][17] != "0" else "1"),
            "A",
            "校验位错误",
        ),
        ("园区场地", "建筑面积（㎡）", 3, -5, "D", "面积不能为负数"),
        ("营业收入", "营业收入（元）", 2, "abc", "C", "无法识别的金额"),
        ("入驻机构", "入驻面积（㎡）", 2, 7000, "F", "大于所在场地「核心园区」的建筑面积"),
        ("入驻机构", "迁出日期", 3, dt.date(2021, 1, 1), "H", "应晚于迁入日期"),
        ("入驻机构", "所在场地编码", 4, "b9", "E", "未知的场地 “b9”"),
        ("入驻机构", "统一社会信用代码", 4, CODES[0], "A", "出现两次"),
    ],
    ids=[
        "credit-code-check-digit",
        "negative-area",
        "money-not-a-number",
        "leased-over-building",
        "move-out-before-move-in",
        "unknown-site",
        "duplicate-credit-code",
    ],
)
def test_bad_values_are_pinned_to_file_sheet_row_and_column(
    filled: Path, sheet: str, header: str, row: int, value: Any, column: str, message: str
) -> None:
    edit(filled, set_cell(sheet, header, row, value))
    text = problems_of(filled)
    assert f"{filled} 工作表「{sheet}」 第 {row} 行 {column} 列「{header}」" in text
    assert message in text


def test_all_problems_are_reported_together(filled: Path) -> None:
    def break_two(wb: Any) -> None:
        set_cell("园区场地", "建筑面积（㎡）", 2, "很大")(wb)
        set_cell("营业收入", "年度", 3, "去年")(wb)

    edit(filled, break_two)
    text = problems_of(filled)
    assert "「园区场地」 第 2 行 D 列" in text and "「营业收入」 第 3 行 B 列" in text


def test_unknown_sheet_lists_the_known_sheets(filled: Path) -> None:
    edit(filled, lambda wb: wb.create_sheet("Sheet1").append(["随手记"]))
    text = problems_of(filled)
    assert f"{filled} 工作表「Sheet1」" in text and "未知的工作表" in text
    assert all(f"「{s.sheet}」" in text for s in SECTIONS.values())


def test_unknown_header_names_its_column_and_lists_expected(filled: Path) -> None:
    edit(filled, set_cell("入驻机构", "机构名称", 1, "公司名"))
    text = problems_of(filled)
    assert f"{filled} 工作表「入驻机构」 第 1 行 B 列「公司名」" in text and "未知的表头" in text
    assert all(f"「{f.header}」" in text for f in SECTIONS["tenants"].fields)
    assert "缺少必填列「机构名称」" in text


def test_missing_required_column(filled: Path) -> None:
    edit(filled, lambda wb: wb["营业收入"].delete_cols(2))
    text = problems_of(filled)
    assert f"{filled} 工作表「营业收入」 第 1 行" in text and "缺少必填列「年度」" in text


def test_empty_workbook(tmp_path: Path) -> None:
    path = tmp_path / "空.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "园区"
    wb.save(path)
    assert f"{path}: 文件为空" in problems_of(path)


def test_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "名录.xlsx"
    path.write_text("机构名称,统一社会信用代码\n甲公司,91450100MA00000011\n", encoding="utf-8")
    text = problems_of(path)
    assert str(path) in text and "不是有效的 Excel 工作簿（.xlsx）" in text


def test_old_xls_renamed_to_xlsx_says_so(tmp_path: Path) -> None:
    path = tmp_path / "旧版.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    assert "旧版 Excel（.xls）" in problems_of(path)
