"""Figures just short of a threshold never read as the threshold: the words, the workbook's
number format and the PDF all say 59.99%, never "60% 未达标", and a shortfall of area is
never written 0㎡."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from conftest import make_dossier, make_tenant
from openpyxl import load_workbook
from pypdf import PdfReader

from parkeval.app.demo import run_demo
from parkeval.cli import app


def _short_park(write_dossier: Any, runner: Any) -> None:
    """2999.99㎡ leased of 4999.99㎡: 59.9998…%, short of 60% by 0.004㎡."""
    tenants = [make_tenant(i, leased_area_m2=93) for i in range(31)]
    tenants.append(make_tenant(31, leased_area_m2="116.99"))
    dossier = make_dossier(code="short", tenants=tenants, building_area="4999.99")
    result = runner.invoke(app, ["import", str(write_dossier(dossier))])
    assert result.exit_code == 0, result.output


def test_terminal_and_workbook_show_the_side_of_the_threshold(
    runner: Any, write_dossier: Any, tmp_path: Path
) -> None:
    _short_park(write_dossier, runner)
    out = tmp_path / "c.xlsx"
    args = ["certify", "short", "-p", "gx-2021", "--year", "2024"]
    result = runner.invoke(app, [*args, "--as-of", "2024-12-31", "--xlsx", str(out)])
    assert result.exit_code == 1, result.output
    text = re.sub(r"[\s│┃]+", "", result.output)
    assert "59.99%未达标" in text and "60%未达标" not in text
    sheet = load_workbook(out)["逐项明细"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[3].value == "入驻面积占比（单园区）")
    cells = dict(zip(header, row, strict=True))
    assert cells["实际"].value < 0.6 and cells["实际"].number_format == "0.00%"
    assert cells["差距与说明"].value == "入驻面积差 0.01㎡，当前 59.99%，要求达到 60%"


def test_whatif_says_59_99_percent_and_the_gap_in_area(runner: Any, settings: Any) -> None:
    run_demo(settings)
    result = runner.invoke(
        app,
        ["whatif", "gx-pass", "--policy", "gx-2021", "--year", "2024", "--area", "core=6333.4"],
    )
    text = re.sub(r"[\s│┃]+", "", result.output)
    assert "59.99%未达标" in text, result.output
    result = runner.invoke(
        app,
        ["whatif", "gx-pass", "-p", "gx-2021", "--year", "2024", "--area", "core=6333.4", "--json"],
    )
    row = next(r for r in json.loads(result.output)["criteria"] if r["id"] == "occupancy_single")
    assert row["after_actual"] == "59.99%" and row["after_status"] == "fail"
    assert row["after_gap"] == "入驻面积差 0.04㎡，当前 59.99%，要求达到 60%"


def test_report_pages_show_59_99_percent(
    runner: Any, write_dossier: Any, settings: Any, tmp_path: Path
) -> None:
    from parkeval.report import make_report

    _short_park(write_dossier, runner)
    out = tmp_path / "short.pdf"
    make_report(
        settings, park="short", policy_id="gx-2021", year=2024, as_of=dt.date(2024, 12, 31), out=out
    )
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    text = re.sub(r"\s+", "", text)
    assert "59.99%" in text and "入驻面积差0.01㎡" in text
    assert "60%未达标" not in text and "差0㎡" not in text
