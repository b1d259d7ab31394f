"""The README's examples work as written: every YAML dossier it shows imports, and the
compare line naming a policy that is not built in points at its file."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import yaml

from parkeval.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _yaml_blocks() -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", README, flags=re.S | re.M)


def test_every_readme_dossier_imports(runner, tmp_path):
    dossiers = [b for b in _yaml_blocks() if "park" in (yaml.safe_load(b) or {})]
    assert dossiers, "the README shows no dossier"
    for i, block in enumerate(dossiers):
        path = tmp_path / f"example{i}.yaml"
        path.write_text(block, encoding="utf-8")
        result = runner.invoke(app, ["import", str(path)])
        assert result.exit_code == 0, result.output


def test_bad_credit_code_is_reported_once(runner, tmp_path):
    block = _yaml_blocks()[0].replace("91450100MA5K0XXXX9", "91450100MA5K0XXXX8")
    path = tmp_path / "bad.yaml"
    path.write_text(block, encoding="utf-8")
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 2
    assert result.output.count("第 18 位应为 9") == 1, result.output
    assert "revenue.2023.credit_code" not in result.output


def test_readme_compare_all_line_runs(runner, tmp_path, monkeypatch):
    (line,) = [ln for ln in README.splitlines() if "compare --all --policies" in ln]
    args = shlex.split(line.split("#")[0])[1:]
    path = tmp_path / "nn-hr.yaml"
    path.write_text(_yaml_blocks()[0], encoding="utf-8")
    assert runner.invoke(app, ["import", str(path)]).exit_code == 0
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    assert isinstance(json.loads(result.stdout), list)
