"""Writing a policy: ``policy check`` and ``policy test`` through the CLI, the built-in
policies' own cases, and the guide (docs/writing-a-policy.md) whose worked example is run here
and whose reference names every key a file may hold."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from parkeval.app.policytest import run_policy_tests
from parkeval.app.settings import Settings
from parkeval.cli import app
from parkeval.policy.criteria import Criterion, RevenuePeriod
from parkeval.policy.model import (
    BuildsOn,
    Consequence,
    Cycle,
    Jurisdiction,
    Layout,
    LocalSetting,
    Material,
    Materials,
    Period,
    Policy,
    Rubric,
    RubricDimension,
)
from parkeval.resources import policies_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "sl-2024.yaml"
EXAMPLE_CASES = ROOT / "docs" / "examples" / "tests"
GUIDE = ROOT / "docs" / "writing-a-policy.md"


@pytest.fixture
def cli(monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")
    monkeypatch.delenv("PARKEVAL_POLICY_PATH", raising=False)
    runner = CliRunner()

    def invoke(*args, ok=(0,)):
        result = runner.invoke(app, [str(a) for a in args])
        assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
        assert result.exit_code in ok, (args, result.exit_code, result.output, result.stderr)
        return result

    return invoke


# --------------------------------------------------------------------------- built-in cases


def test_the_builtin_policies_pass_their_own_cases():
    outcomes = run_policy_tests(Settings(policy_dirs=[]), [policies_dir() / "tests"])
    assert {o.policy for o in outcomes} == {"gx-2021", "bt-2022"}
    failed = [(o.file, c.name, c.mismatches) for o in outcomes for c in o.cases if not c.passed]
    assert failed == []
    assert sum(len(o.cases) for o in outcomes) >= 13


def test_policy_test_without_files_runs_the_builtin_cases(cli):
    out = cli("policy", "test").stdout
    assert "gx-2021.yaml（政策 gx-2021）" in out and "例通过" in out


# --------------------------------------------------------------------------- the worked example


def test_the_guides_example_checks_and_passes_its_cases(cli):
    assert "未发现问题" in cli("policy", "check", EXAMPLE).stdout
    out = cli("policy", "test", EXAMPLE_CASES).stdout
    assert "sl-2024.yaml（政策 sl-2024）：7/7 例通过" in out


def test_policy_test_on_the_examples_folder_skips_the_policy_and_dossier(cli):
    # docs/examples/ holds a policy (sl-2024.yaml) and a dossier beside its tests/
    out = cli("policy", "test", EXAMPLE.parent).stdout
    assert "7/7 例通过" in out and "未知的键" not in out
    named = cli("policy", "test", EXAMPLE, ok=(2,)).output
    assert "这是政策文件，不是政策测试文件" in named


def _yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, flags=re.S)


def test_the_guides_snippets_are_the_example_file():
    """Every criterion the guide shows is the example file's, key for key."""
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    by_id = {c["id"]: c for c in example["criteria"]}
    shown = []
    for block in _yaml_blocks(GUIDE.read_text(encoding="utf-8")):
        if block.startswith("  - id:"):
            for criterion in yaml.safe_load(block):
                assert criterion == by_id[criterion["id"]], criterion["id"]
                shown.append(criterion["id"])
        elif block.startswith("id: sl-2024"):
            header = yaml.safe_load(block)
            assert header == {k: example[k] for k in header}
        elif block.startswith("materials:"):
            assert yaml.safe_load(block)["materials"] == example["materials"]
    assert sorted(shown) == sorted(by_id)


def test_the_guide_names_every_key_a_policy_file_may_hold():
    text = GUIDE.read_text(encoding="utf-8")
    models = (Policy, Criterion, RevenuePeriod, Jurisdiction, Layout, Materials, Material, Period)
    models += (Cycle, Consequence, LocalSetting, BuildsOn, Rubric, RubricDimension)
    missing = {
        f"{m.__name__}.{name}"
        for m in models
        for name in m.model_fields
        if name not in ("source", "sha256") and f"`{name}`" not in text and f"{name}:" not in text
    }
    assert missing == set()


# --------------------------------------------------------------------------- policy check


def _draft(tmp_path: Path) -> Path:
    """The example with the guide's four mistakes in it."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("threshold: 15", "threshold: 5", 1)
    text = re.sub(r"    number_in_wording: false\n    interpretation: .*\n", "", text)
    text = text.replace('threshold: "8000万"', 'threshold: "8000"')
    text = text.replace("level_name: 市级", "level_name: 自治区级")
    path = tmp_path / "draft.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_policy_check_lists_every_problem_at_once(cli, tmp_path):
    draft = _draft(tmp_path)
    out = cli("policy", "check", draft, EXAMPLE, ok=(1,)).stdout
    assert "draft.yaml：5 处问题" in out and "sl-2024.yaml：政策 sl-2024，7 项条件" in out
    for needle in (
        "criteria[2](id=sl_commercial): threshold 5 与原文 “15家” 不一致",
        "criteria[4](id=sl_public): 原文中没有比较用语",
        "criteria[4](id=sl_public): 原文中没有与阈值对应的数字",
        "criteria[5](id=sl_revenue): threshold 8000 与原文 “8000万元” 不一致",
        "level_name: “自治区级” 不是 level: city 的名称",
    ):
        assert needle in out, out
    checks = json.loads(cli("policy", "check", draft, "--json", ok=(1,)).stdout)
    assert checks[0]["valid"] is False and len(checks[0]["problems"]) == 5


def test_policy_check_of_files_that_are_not_policies(cli, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("wording: 原文: 不少于30家\n", encoding="utf-8")
    out = cli("policy", "check", broken, ok=(1,)).stdout
    assert "加引号" in out
    missing = cli("policy", "check", tmp_path / "nowhere.yaml", ok=(2,))
    assert "找不到政策文件" in missing.stderr


# --------------------------------------------------------------------------- policy test


def _cases(tmp_path: Path, cases: list, **head) -> Path:
    doc = {"policy": "sl-2024", "policy_file": str(EXAMPLE), **head, "cases": cases}
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _park(**tenant) -> dict:
    return {
        "sites": [{"code": "core", "usable_area_m2": 2000}],
        "tenants": [{"class": "licensed", "count": 15, "leased_area_m2": 80, **tenant}],
    }


def test_a_failing_case_says_what_came_out_instead(cli, tmp_path):
    cases = [
        {
            "name": "通过",
            "year": 2024,
            "park": _park(),
            "expect": {"criteria": {"sl_area": "pass"}},
        },
        {
            "name": "预期写错了",
            "year": 2024,
            "park": _park(),
            "expect": {"verdict": "eligible", "criteria": {"sl_licensed": "未达标"}},
        },
    ]
    result = cli("policy", "test", _cases(tmp_path, cases), ok=(1,))
    assert "1/2 例通过" in result.stdout
    assert "sl_licensed 应为 未达标，实际为 达标（实际 15家，要求不低于 5家）" in result.stdout
    assert "结论应为 符合认定条件" in result.stdout
    outcome = json.loads(cli("policy", "test", _cases(tmp_path, cases), "--json", ok=(1,)).stdout)
    assert [c["passed"] for c in outcome[0]["cases"]] == [True, False]


@pytest.mark.parametrize(
    ("case", "head", "needle"),
    [
        (
            {"year": 2024, "park": _park(), "expect": {"criteria": {"sl_nothing": "pass"}}},
            {},
            "没有条件 sl_nothing",
        ),
        (
            {"year": 2024, "park": _park(**{"class": "民办"}), "expect": {"verdict": "eligible"}},
            {},
            "park.tenants[0].class",
        ),
        ({"year": 2024, "park": _park(), "expect": {}}, {}, "至少写明 verdict 或 criteria"),
        ({"park": _park(), "expect": {"verdict": "符合"}}, {}, "缺少 year"),
        ({"year": 2024, "park": _park(), "expect": {"verdict": "ok"}}, {}, "expect.verdict"),
        (
            {"year": 2024, "park": _park(), "expect": {"verdict": "eligible"}},
            {"policy": "gx-2021"},
            "policy_file 中的政策 id 是 “sl-2024”",
        ),
    ],
)
def test_a_case_file_with_a_mistake_is_refused_with_its_place(cli, tmp_path, case, head, needle):
    result = cli("policy", "test", _cases(tmp_path, [case], **head), ok=(2,))
    assert needle in result.stderr, result.stderr


def test_a_case_file_may_name_a_policy_known_to_the_run(cli, tmp_path):
    doc = {
        "policy": "sl-2024",
        "cases": [{"year": 2024, "park": _park(), "expect": {"criteria": {"sl_area": "pass"}}}],
    }
    path = tmp_path / "by-id.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert "未知的政策" in cli("policy", "test", path, ok=(2,)).stderr
    assert "1/1 例通过" in cli("--policy-file", EXAMPLE, "policy", "test", path).stdout
