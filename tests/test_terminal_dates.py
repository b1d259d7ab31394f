"""The terminal writes dates the one way (2024年12月31日), never ISO: parks and show (import
time, move-in and move-out), policies (validity) and whatif --move-out."""

from __future__ import annotations

import re

from parkeval.cli import app

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_parks_show_policies_whatif_dates_in_chinese(runner, write_dossier, monkeypatch):
    from conftest import make_dossier

    monkeypatch.setenv("COLUMNS", "120")
    dossier = make_dossier(code="d-park", hr=31)
    dossier["tenants"][0]["move_in"] = "2021-03-01"
    assert runner.invoke(app, ["import", str(write_dossier(dossier))]).exit_code == 0
    parks = runner.invoke(app, ["parks"])
    assert parks.exit_code == 0 and not ISO.search(parks.output), parks.output
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d:\d\d", parks.output)
    show = runner.invoke(app, ["show", "d-park"])
    assert show.exit_code == 0 and not ISO.search(show.output), show.output
    assert "2021年3月1日" in show.output
    policies = runner.invoke(app, ["policies"], env={"COLUMNS": "300"})
    assert policies.exit_code == 0 and not ISO.search(policies.output), policies.output
    assert "2022年7月1日 至 2025年12月31日" in policies.output
    name = dossier["tenants"][0]["name"]
    whatif = runner.invoke(
        app,
        ["whatif", "d-park", "--policy", "gx-2021", "--year", "2024",
         "--move-out", f"{name}=2024-06-30"],
        env={"COLUMNS": "300"},
    )  # fmt: skip
    assert whatif.exit_code in (0, 1), whatif.output
    assert "于 2024年6月30日 迁出" in whatif.output
    assert "2024-06-30" not in whatif.output


def test_report_html_carries_its_stylesheet(runner, write_dossier, tmp_path):
    from conftest import make_dossier

    assert (
        runner.invoke(app, ["import", str(write_dossier(make_dossier(code="h-park")))]).exit_code
        == 0
    )
    out = tmp_path / "h-park.html"
    result = runner.invoke(
        app,
        ["report", "h-park", "--policy", "gx-2021", "--year", "2024", "--html", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert 'href="report.css"' not in text
    assert "<style>" in text and "@page" in text
