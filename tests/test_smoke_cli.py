"""The README's first path works: demo loads sample parks and certifies them."""

import json

from parkeval.cli import app


def test_demo_then_certify_json(runner, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # the demo writes its sample report here
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "gx-pass" in result.output and "不符合认定条件" in result.output
    assert "示例奖补测算" in result.output and "区域贡献奖励" in result.output
    ok = runner.invoke(
        app, ["certify", "gx-pass", "--policy", "gx-2021", "--year", "2024", "--json"]
    )
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["verdict"] == "eligible"
    bad = runner.invoke(
        app, ["certify", "gx-fail", "--policy", "gx-2021", "--year", "2024", "--json"]
    )
    assert bad.exit_code == 1
    assert json.loads(bad.stdout)["verdict"] == "not_eligible"


def test_demo_keeps_an_existing_report_unless_forced(runner, monkeypatch, tmp_path):
    """A second `parkeval demo` neither replaces the user's file nor loads anything; with
    --force (what `make demo` runs) it writes the report again, on the same database."""
    from pypdf import PdfReader

    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "parkeval-demo-report.pdf"
    mine.write_bytes(b"my own file")
    refused = runner.invoke(app, ["demo"])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert "示例报告文件已存在" in refused.output and "--force" in refused.output
    assert "删除" in refused.output
    assert mine.read_bytes() == b"my own file"
    parks = runner.invoke(app, ["parks", "--json"])
    assert "gx-pass" not in parks.output  # nothing loaded either
    assert runner.invoke(app, ["demo", "--force"]).exit_code == 0
    assert "gx-pass" in runner.invoke(app, ["parks", "--json"]).output
    text = "".join(p.extract_text() for p in PdfReader(mine).pages)
    assert "评估" in text
    again = runner.invoke(app, ["demo", "--force"])  # a second run keeps the database's parks
    assert again.exit_code == 0, again.output
    assert "gx-pass" in runner.invoke(app, ["parks", "--json"]).output


def test_make_demo_forces_the_sample_report():
    from pathlib import Path

    makefile = (Path(__file__).parents[1] / "Makefile").read_text(encoding="utf-8")
    assert "parkeval demo --force" in makefile
