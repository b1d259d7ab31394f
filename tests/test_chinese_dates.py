"""Dates and names a user reads are Chinese: warnings in PDFs and the terminal, the headers of
certify/whatif/compare, and the audit log — no ISO date, no policy id, no action code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from parkeval.app.demo import run_demo
from parkeval.app.settings import Settings
from parkeval.cli import app

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture
def demo(settings: Settings, runner: Any, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("PARKEVAL_TODAY", "2026-07-01")
    run_demo(settings)
    return settings


def _pdf_text(path: Path) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(path).pages))


def test_report_warnings_write_dates_in_chinese(demo: Settings, runner: Any, tmp_path: Path):
    mid = tmp_path / "mid.pdf"
    args = ["report", "gx-pass", "--policy", "gx-2021", "--year", "2026"]
    result = runner.invoke(app, [*args, "--as-of", "2026-06-30", "--out", str(mid)])
    assert result.exit_code == 0, result.output
    text = _pdf_text(mid)
    assert "截至统计日2026年6月30日" in text
    lapsed = tmp_path / "lapsed.pdf"
    args = ["report", "bt-pass", "--policy", "bt-2022", "--year", "2025"]
    result = runner.invoke(app, [*args, "--as-of", "2026-03-01", "--out", str(lapsed)])
    assert result.exit_code == 0, result.output
    lapsed_text = _pdf_text(lapsed)
    assert "已于2025年12月31日失效" in lapsed_text
    for page_text in (text, lapsed_text):
        assert not ISO.search(page_text), ISO.search(page_text)


def test_terminal_headers_name_dates_and_policies_in_chinese(demo: Settings, runner: Any):
    certify = runner.invoke(app, ["certify", "gx-pass", "-p", "gx-2021", "--year", "2024"])
    assert "统计日：2024年12月31日" in certify.output
    lapsed = runner.invoke(
        app, ["certify", "bt-pass", "-p", "bt-2022", "--year", "2025", "--as-of", "2026-03-01"]
    )
    assert "已于2025年12月31日失效" in re.sub(r"\s+", "", lapsed.output), lapsed.output
    early = runner.invoke(
        app, ["certify", "bt-pass", "-p", "bt-2022", "--year", "2021", "--as-of", "2022-03-01"]
    )
    flat = re.sub(r"\s+", "", early.output)
    assert "评估日2022年3月1日早于《" in flat and "施行日2022年7月1日" in flat, early.output
    whatif = runner.invoke(
        app, ["whatif", "gx-pass", "-p", "gx-2021", "--year", "2024", "--area", "core=7000"]
    )
    flat = re.sub(r"\s+", "", whatif.output)
    assert "假设分析——广西自治区级人力资源服务产业园" in flat and "gx-2021" not in flat
    assert "统计日：2024年12月31日" in flat
    compare = runner.invoke(
        app, ["compare", "gx-pass", "--policies", "gx-2021,bt-2022", "--year", "2024"]
    )
    flat = re.sub(r"\s+", "", compare.output)
    assert "统计日：2024年12月31日" in flat
    assert "gx-2021" not in flat and "bt-2022" not in flat and not ISO.search(flat), flat
    for output in (certify.output, whatif.output, lapsed.output, early.output):
        assert not ISO.search(output), output


def test_the_audit_log_says_what_was_done_in_words(demo: Settings, runner: Any):
    result = runner.invoke(app, ["log", "-n", "0"])
    assert result.exit_code == 0, result.output
    flat = re.sub(r"[\s│┃]+", "", result.output)
    assert "记录认定" in flat and "导入档案" in flat and "作废记录" in flat
    assert not ISO.search(flat) and "gx-2021" not in flat
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}", flat) and re.search(r"\d{2}:\d{2}:\d{2}", flat)
    for code in ("grant", "import", "void", "rate"):
        assert f"│ {code} " not in result.output
    # the machine-readable log keeps what was stored
    raw = runner.invoke(app, ["log", "-n", "0", "--json"]).output
    assert '"action": "grant"' in raw
