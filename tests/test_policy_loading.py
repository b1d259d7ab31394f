"""Policies are data: strict loading with errors naming file and key; user policies without code."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import make_dossier

from parkeval.cli import app
from parkeval.errors import NotFoundError, PolicyError
from parkeval.policy.loader import load_policy_file, load_registry
from parkeval.resources import policies_dir


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # error panels must not wrap long paths


def base_policy() -> dict:
    return {
        "id": "zz-2030",
        "title": "某市人力资源服务产业园认定办法",
        "document_no": "某人社规〔2030〕1号",
        "issuer": "某市人社局",
        "level": "city",
        "level_name": "市级",
        "jurisdiction": {"province": "某省", "city": "某市"},
        "issued_on": "2030-01-01",
        "effective_from": "2030-01-01",
        "effective_until": None,
        "criteria": [
            {
                "id": "area",
                "article": "第三条（一）",
                "title": "建筑面积",
                "wording": "建筑面积不少于2000平方米",
                "metric": "building_area",
                "scope": "park",
                "op": ">=",
                "threshold": 2000,
            },
            {
                "id": "plan",
                "article": "第三条（二）",
                "title": "发展规划",
                "wording": "有发展规划",
                "kind": "qualitative",
                "evidence": "规划",
            },
        ],
    }


def write_policy(tmp_path: Path, data: dict | str, name: str = "user-policy.yaml") -> Path:
    path = tmp_path / name
    text = (
        data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_builtins_load_and_are_complete():
    registry = load_registry()
    assert {"gx-2021", "bt-2022"} <= set(registry.policies)
    gx, bt = registry.get("gx-2021"), registry.get("bt-2022")
    assert gx.document_no == "桂人社规〔2021〕1号" and gx.effective_until is None
    assert str(bt.effective_from) == "2022-07-01" and str(bt.effective_until) == "2025-12-31"
    assert gx.criterion("revenue").threshold == Decimal(500_000_000)
    assert gx.criterion("occupancy_single").threshold == Decimal("0.6")
    assert bt.criterion("building_area").strictness == "in_principle"
    assert gx.criterion("branch_limit").strictness == "in_principle"
    assert gx.procedure["evaluation_days"].value == 45 and gx.procedure["publicity_days"].value == 7
    for p in (gx, bt):
        assert Path(p.source).parent == policies_dir() and len(p.sha256) == 64


def test_base_policy_is_valid(tmp_path):
    # the mutations below fail because of what they change, not because the base is broken
    policy = load_policy_file(write_policy(tmp_path, base_policy()))
    assert policy.id == "zz-2030" and policy.source.endswith("user-policy.yaml")


def _mutate(fn):
    data = copy.deepcopy(base_policy())
    fn(data)
    return data


BAD = {
    "unknown top-level key": (
        _mutate(lambda d: d.update(thresholds={})),
        ["thresholds", "未知的键"],
    ),
    "unknown criterion key": (
        _mutate(lambda d: d["criteria"][0].update(treshold=1)),
        ["criteria[0](id=area).treshold", "未知的键"],
    ),
    "bad date": (
        _mutate(lambda d: d.update(effective_from="2030-02-30")),
        ["effective_from", "日期"],
    ),
    "unknown metric": (
        _mutate(lambda d: d["criteria"][0].update(metric="floor_area")),
        ["criteria[0](id=area).metric", "building_area", "hr_institutions"],
    ),
    "op contradicts wording": (
        _mutate(lambda d: d["criteria"][0].update(op="<")),
        ["criteria[0](id=area)", "不少于", "<"],
    ),
    "超过 with >=": (
        _mutate(lambda d: d["criteria"][0].update(wording="建筑面积超过2000平方米")),
        ["criteria[0](id=area)", "超过"],
    ),
    "原则 marked mandatory": (
        _mutate(lambda d: d["criteria"][0].update(wording="建筑面积原则上不少于2000平方米")),
        ["criteria[0](id=area)", "in_principle"],
    ),
    "no comparison word": (
        _mutate(lambda d: d["criteria"][0].update(wording="建筑面积2000平方米")),
        ["criteria[0](id=area)", "interpretation"],
    ),
    "scope core on revenue": (
        _mutate(
            lambda d: d["criteria"][0].update(
                metric="revenue", scope="core", wording="年营业收入不低于1亿元", threshold="1亿"
            )
        ),
        ["criteria[0](id=area)", "revenue", "scope"],
    ),
    "qualitative with a threshold": (
        _mutate(lambda d: d["criteria"][1].update(threshold=1)),
        ["criteria[1](id=plan)", "threshold"],
    ),
    "duplicate criterion id": (
        _mutate(
            lambda d: d["criteria"][1].update(
                id="area",
                kind="quantitative",
                metric="building_area",
                op=">=",
                threshold=1,
                wording="不少于1平方米",
            )
        ),
        ["criteria", "area", "重复"],
    ),
    "missing document_no": (_mutate(lambda d: d.pop("document_no")), ["document_no", "缺少"]),
    "until before from": (
        _mutate(lambda d: d.update(effective_until="2029-12-31")),
        ["effective_until"],
    ),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_invalid_policy_names_file_and_key(tmp_path, case):
    data, needles = BAD[case]
    path = write_policy(tmp_path, data)
    with pytest.raises(PolicyError) as info:
        load_policy_file(path)
    message = str(info.value)
    assert str(path) in message
    for needle in needles:
        assert needle in message, message


def test_duplicate_yaml_key_names_file_and_key(tmp_path):
    text = yaml.safe_dump(base_policy(), allow_unicode=True, sort_keys=False)
    path = write_policy(tmp_path, text + "title: 另一个标题\n")
    with pytest.raises(PolicyError) as info:
        load_policy_file(path)
    assert str(path) in str(info.value) and "title" in str(info.value) and "重复" in str(info.value)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"id: [unclosed\n", "YAML"),
        (b"- just\n- a list\n", "顶层"),
        ("id: 政策\n".encode("gbk"), "UTF-8"),
    ],
)
def test_unreadable_policy_files(tmp_path, content, needle):
    path = tmp_path / "broken.yaml"
    path.write_bytes(content)
    with pytest.raises(PolicyError) as info:
        load_policy_file(path)
    assert str(path) in str(info.value) and needle in str(info.value)


def test_two_user_files_with_the_same_id_are_refused(tmp_path):
    a = write_policy(tmp_path, base_policy(), "a.yaml")
    b = write_policy(tmp_path, base_policy(), "b.yaml")
    with pytest.raises(PolicyError, match="重复"):
        load_registry(extra_files=[a, b])


def test_unknown_policy_lists_known_ones():
    with pytest.raises(NotFoundError) as info:
        load_registry().get("gx-2099")
    assert "gx-2021" in str(info.value) and "bt-2022" in str(info.value)


# --------------------------------------------------------------------------- user policies via the CLI


def user_gx(min_hr: int, policy_id: str = "gx-local") -> dict:
    """The built-in gx-2021 with a different id and a different HR-institution threshold."""
    data = yaml.safe_load((policies_dir() / "gx-2021.yaml").read_text(encoding="utf-8"))
    data["id"] = policy_id
    for c in data["criteria"]:
        if c["id"] == "hr_single":
            c["threshold"] = min_hr
            c["wording"] = f"只设立一个园区的，入驻的人力资源服务机构不少于{min_hr}家"
    return data


def _import_test_park(runner, write_dossier):
    path = write_dossier(make_dossier(code="p32", hr=32))  # 32 HR institutions, otherwise eligible
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 0, result.output


def _certify(runner, *prefix, policy):
    result = runner.invoke(
        app, [*prefix, "certify", "p32", "--policy", policy, "--year", "2024", "--json"]
    )
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def test_user_policy_via_policy_file_is_listed_and_usable(runner, write_dossier, tmp_path):
    _import_test_park(runner, write_dossier)
    path = write_policy(tmp_path, user_gx(40))
    listed = runner.invoke(app, ["--policy-file", str(path), "policies", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = {r["id"]: r for r in json.loads(listed.stdout)}
    assert {"gx-2021", "bt-2022", "gx-local"} <= set(rows) and rows["gx-local"]["source"] == str(
        path
    )
    code, out = _certify(runner, "--policy-file", str(path), policy="gx-local")
    assert (code, out["policy"], out["verdict"]) == (1, "gx-local", "not_eligible")
    hr = next(c for c in out["criteria"] if c["id"] == "hr_single")
    assert (hr["threshold"], hr["actual"], hr["status"]) == (40, 32, "fail")
    # without the option the policy is unknown again
    missing = runner.invoke(app, ["certify", "p32", "--policy", "gx-local"])
    assert missing.exit_code == 2


def test_user_policy_via_policy_path_env(runner, write_dossier, tmp_path, monkeypatch):
    _import_test_park(runner, write_dossier)
    first, second = tmp_path / "policies-a", tmp_path / "policies-b"
    first.mkdir()
    second.mkdir()
    write_policy(first, user_gx(30, "gx-a"), "gx-a.yaml")
    write_policy(second, user_gx(33, "gx-b"), "gx-b.yml")
    (second / "README.txt").write_text("not a policy", encoding="utf-8")
    monkeypatch.setenv("PARKEVAL_POLICY_PATH", f"{first}:{second}")
    listed = runner.invoke(app, ["policies", "--json"])
    assert listed.exit_code == 0, listed.output
    assert {"gx-a", "gx-b"} <= {r["id"] for r in json.loads(listed.stdout)}
    assert _certify(runner, policy="gx-a")[1]["verdict"] == "eligible"
    assert _certify(runner, policy="gx-b")[1]["verdict"] == "not_eligible"


def test_user_file_with_a_builtin_id_replaces_it(runner, write_dossier, tmp_path):
    _import_test_park(runner, write_dossier)
    assert _certify(runner, policy="gx-2021")[1]["verdict"] == "eligible"
    path = write_policy(tmp_path, user_gx(40, "gx-2021"))
    listed = json.loads(
        runner.invoke(app, ["--policy-file", str(path), "policies", "--json"]).stdout
    )
    assert [r["source"] for r in listed if r["id"] == "gx-2021"] == [str(path)]
    code, out = _certify(runner, "--policy-file", str(path), policy="gx-2021")
    assert (code, out["verdict"]) == (1, "not_eligible")


def test_invalid_user_policy_is_a_clean_cli_error(runner, tmp_path):
    path = write_policy(tmp_path, _mutate(lambda d: d["criteria"][0].update(op="<")))
    result = runner.invoke(app, ["--policy-file", str(path), "policies"])
    assert result.exit_code == 2
    assert str(path) in result.stderr and "criteria[0](id=area)" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_missing_policy_path_directory_is_an_error(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("PARKEVAL_POLICY_PATH", str(tmp_path / "nowhere"))
    result = runner.invoke(app, ["policies"])
    assert result.exit_code == 2
    assert "nowhere" in result.stderr
