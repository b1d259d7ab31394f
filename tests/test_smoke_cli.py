"""The README's first path works: demo loads sample parks and certifies them."""

import json

from parkeval.cli import app


def test_demo_then_certify_json(runner):
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
