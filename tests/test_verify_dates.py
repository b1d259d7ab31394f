"""verify judges a report with the dates the report was made on, not with today's."""

from __future__ import annotations

from parkeval.cli import app


def test_a_mid_year_self_check_still_verifies_after_its_year_ends(runner, monkeypatch, tmp_path):
    monkeypatch.setenv("PARKEVAL_TODAY", "2025-06-30")
    monkeypatch.chdir(tmp_path)  # the demo writes its sample report here
    assert runner.invoke(app, ["demo"]).exit_code == 0
    out = tmp_path / "m.pdf"
    made = runner.invoke(
        app,
        ["report", "gx-pass", "--policy", "gx-2021", "--year", "2025", "--as-of", "2025-06-30",
         "--out", str(out)],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    same_day = runner.invoke(app, ["verify", str(out)])
    assert same_day.exit_code == 0, same_day.output
    monkeypatch.setenv("PARKEVAL_TODAY", "2026-11-24")  # the revenue year 2025 has since ended
    later = runner.invoke(app, ["verify", str(out)], env={"COLUMNS": "200"})
    assert later.exit_code == 0, later.output
    assert "✗" not in later.output


def test_a_mid_year_summary_still_verifies_after_its_year_ends(runner, monkeypatch, tmp_path):
    monkeypatch.setenv("PARKEVAL_TODAY", "2025-06-30")
    monkeypatch.chdir(tmp_path)  # the demo writes its sample report here
    assert runner.invoke(app, ["demo"]).exit_code == 0
    made = runner.invoke(
        app,
        ["report", "--all", "--policy", "gx-2021", "--year", "2025", "--as-of", "2025-06-30",
         "--out-dir", str(tmp_path / "d"), "--workers", "1"],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    monkeypatch.setenv("PARKEVAL_TODAY", "2026-11-24")
    summary = tmp_path / "d" / "summary-gx-2021-2025.pdf"
    later = runner.invoke(app, ["verify", str(summary)], env={"COLUMNS": "200"})
    assert later.exit_code == 0, later.output
    assert "✗" not in later.output
