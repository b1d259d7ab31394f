"""compare and whatif through the CLI (both backends): a park across policies with the gaps
nearest first, a what-if that flips a verdict and one that changes nothing, departure risks
(on the terminal and in a report), and nothing written by any of them."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import make_credit_code, make_dossier, make_tenant
from pypdf import PdfReader

from parkeval.cli import app

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "240")


def run(runner, *args, ok=(0,)):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    assert result.exit_code in ok, (args, result.exit_code, result.output, result.stderr)
    return result


def cli(runner, line, *extra, ok=(0,)):
    """Run a command line given as text (split on spaces) plus extra arguments."""
    return run(runner, *line.split(), *extra, ok=ok)


def cli_json(runner, line, *extra, ok=(0,)):
    """The JSON a command line prints."""
    return json.loads(cli(runner, line, *extra, "--json", ok=ok).stdout)


def imported(runner, write_dossier, **kw):
    path = write_dossier(make_dossier(**kw), f"{kw.get('code', 'p')}.yaml")
    run(runner, "import", path)


def snapshot_of(runner, code):
    return run(runner, "show", code, "--json").stdout


# --------------------------------------------------------------------------- compare


def test_compare_lays_policies_side_by_side_with_the_certify_contract(runner, write_dossier):
    imported(runner, write_dossier, code="p32")
    out = cli_json(runner, "compare p32 --policies gx-2021,bt-2022 --year 2024")
    assert out["policies"] == ["bt-2022", "gx-2021"]  # lowest level first: 市级, then 自治区级
    for policy, result in zip(out["policies"], out["results"], strict=True):
        alone = cli_json(runner, f"certify p32 -p {policy} --year 2024")
        assert result == alone  # the certify contract, per policy
    rows = {r["measure"]: r for r in out["rows"]}
    hr = rows["人力资源服务机构数量（园区）"]
    assert set(hr["cells"]) == {"bt-2022", "gx-2021"}
    assert hr["cells"]["gx-2021"]["required"] == "不低于 30家"
    assert hr["cells"]["bt-2022"]["actual"] == "32家"
    # the park is in 广西: outside bt-2022, whose result says so
    assert out["results"][0]["in_jurisdiction"] is False
    assert [s["verdict"] for s in out["standings"]] == ["eligible", "eligible"]  # exit 0
    table = cli(runner, "compare p32 --policies gx-2021,bt-2022 --year 2024").stdout
    assert "人力资源服务机构数量（园区）" in table and "不在《包头市" in table


def test_compare_lists_what_is_missing_nearest_first(runner, write_dossier):
    # 29 HR institutions (3.3 % short), occupancy 29×100/6000 ≈ 48 % (19.4 % short of 60 %),
    # revenue 29 × 1700万 = 4.93亿 (1.4 % short of 5亿), no evidence for one criterion
    dossier = make_dossier(code="near", hr=29, others=0)
    dossier["attestations"].pop("gx_digital_park")
    run(runner, "import", write_dossier(dossier, "near.yaml"))
    line = "compare near --policies bt-2022,gx-2021 --year 2024"
    out = cli_json(runner, line, ok=(1,))
    gx = next(s for s in out["standings"] if s["policy"] == "gx-2021")
    order = [g["criterion"] for g in gx["gaps"]]
    assert order == ["revenue", "hr_single", "occupancy_single", "gx_digital_park"]
    distances = [Decimal(str(g["distance"])) for g in gx["gaps"][:3]]
    assert distances == sorted(distances) and gx["gaps"][3]["distance"] is None
    table = cli(runner, line, ok=(1,)).stdout
    assert (
        "距自治区级（广西自治区级人力资源服务产业园）还差 4 项" in table
        and "1. 第五条（四） 产业园年营业收入" in table
    )


def test_compare_the_city_title_gx_builds_on(runner, write_dossier, tmp_path):
    """The upgrade path: a 市级 title in 广西 (the guide's example policy) and gx-2021, whose
    第三条 expects regional parks to be built on city parks."""
    sl = f"--policy-file {EXAMPLES / 'sl-2024.yaml'}"
    cli(runner, f"{sl} import {EXAMPLES / 'sl-park.yaml'}")
    line = f"{sl} compare sl-park --policies gx-2021,sl-2024 --as-of 2025-03-10"
    before = cli_json(runner, line, ok=(1,))
    assert before["prerequisites"] == [
        {
            "policy": "gx-2021",
            "article": "第三条",
            "wording": "设区市一般应在市级人力资源服务产业园基础上建设自治区级人力资源服务产业园",
            "level_name": "市级",
            "held": [],
        }
    ]
    cli(runner, f"{sl} grant sl-park -p sl-2024 --on 2024-09-01")
    after = cli_json(runner, line, ok=(1,))
    assert after["prerequisites"][0]["held"] == ["sl-2024"]
    titles = [(t["policy"], t["level_name"], t["state"]) for t in after["titles"]]
    assert titles == [("sl-2024", "市级", "active")]
    sl_result = after["results"][0]
    assert sl_result["policy"] == "sl-2024" and sl_result["verdict"] == "eligible"
    revenue = next(c for c in sl_result["criteria"] if c["id"] == "sl_revenue")
    assert revenue["revenue_years"] == [2024]  # 上年度 of an application on 2025-03-10
    table = cli(runner, line, ok=(1,)).stdout
    assert (
        "园区持有市级称号（示例市市级人力资源服务产业园）" in table and "使用面积（园区）" in table
    )


def test_compare_all_and_its_mistakes(runner, write_dossier):
    imported(runner, write_dossier, code="a1")
    imported(runner, write_dossier, code="a2", hr=10)
    line = "compare --all --policies bt-2022,gx-2021 --year 2024"
    assert [c["park"] for c in cli_json(runner, line, ok=(1,))] == ["a1", "a2"]
    assert cli(runner, line, ok=(1,)).stdout.count("a2") == 1
    for args, needle in [
        ("a1 --policies gx-2021", "至少需要两个政策"),
        ("a1 --policies gx-2021,zz-9999", "未知的政策"),
        ("--policies gx-2021,bt-2022", "二者选一"),
        ("nowhere --policies gx-2021,bt-2022", "未找到园区"),
        ("a1 --policies gx-2021,bt-2022 --as-of 2024-02-30", "--as-of"),
    ]:
        result = cli(runner, f"compare {args}", ok=(2,))
        assert needle in result.stderr, result.stderr


# --------------------------------------------------------------------------- whatif

WHATIF = "whatif {park} -p gx-2021 --year 2024"


def test_whatif_that_flips_the_verdict_writes_nothing(runner, write_dossier):
    imported(runner, write_dossier, code="p30", hr=30)
    stored = snapshot_of(runner, "p30")
    line = WHATIF.format(park="p30")
    out = cli_json(runner, line, "--without", make_credit_code(0), ok=(1,))
    verdicts = (out["verdict_before"], out["verdict_after"], out["verdict_changed"])
    assert verdicts == ("eligible", "not_eligible", True)
    changed = {c["id"]: c for c in out["criteria"] if c["changed"]}
    hr = changed["hr_single"]
    assert (hr["before_actual"], hr["after_actual"], hr["after_status"]) == ("30家", "29家", "fail")
    assert out["before"]["verdict"] == "eligible" and out["after"]["verdict"] == "not_eligible"
    assert snapshot_of(runner, "p30") == stored  # nothing written
    leaving = f"{make_tenant(1)['name']}=2024-12-31"
    table = cli(runner, line, "--move-out", leaving, ok=(1,)).stdout
    assert "于 2024年12月31日 迁出" in table and "结论改变" in table


def test_whatif_that_changes_nothing(runner, write_dossier):
    gone = make_tenant(900, move_in="2019-01-01", move_out="2020-06-30", hr_service=False)
    dossier = make_dossier(code="calm")
    dossier["tenants"].append(gone)
    run(runner, "import", write_dossier(dossier, "calm.yaml"))
    line = WHATIF.format(park="calm")
    out = cli_json(runner, line, "--without", gone["name"], "--area", "core=6000")
    assert out["verdict_changed"] is False and not any(c["changed"] for c in out["criteria"])
    assert out["changes"] == [
        f"{gone['name']} 不在园区（不计其机构数、入驻面积与营业收入）",
        "核心园区建筑面积改为 6000㎡",
    ]
    assert "各项条件均无变化" in cli(runner, line, "--area", "core=6000").stdout


def test_whatif_adds_tenants_and_changes_areas_and_revenue(runner, write_dossier, tmp_path):
    imported(runner, write_dossier, code="grow", hr=29)
    newcomer = make_tenant(500, revenue={2024: "100万"})
    path = tmp_path / "new.yaml"
    text = yaml.safe_dump({"tenants": [newcomer]}, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    line = WHATIF.format(park="grow")
    out = cli_json(
        runner, line, "--add-tenant", path, "--area", "core:usable=5000", "--revenue", "+10%"
    )
    rows = {c["id"]: c for c in out["criteria"]}
    assert rows["hr_single"]["after_actual"] == "30家"
    # (29 + 6 others) × 1700万 = 5.95亿, +1 tenant's 100万, all +10 % = 6.556亿
    assert rows["revenue"]["after_actual"] == "6.56亿元"  # shown to 0.01亿: far from 5亿
    assert out["verdict_after"] == "eligible"
    assert "各入驻机构 2024 年营业收入 +10%" in out["changes"]
    # one tenant's revenue set, by its credit code
    one = cli_json(runner, line, "--revenue", f"{make_credit_code(0)}=5亿", ok=(1,))
    assert next(c for c in one["criteria"] if c["id"] == "revenue")["after_status"] == "pass"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--without", "没有这家"], "没有这家机构"),
        (["--without", "测试人力资源"], "家机构名称包含它"),
        (["--move-out", "x"], "名称=值"),
        (["--move-out", f"{make_credit_code(0)}=2019-12-31"], "应晚于"),
        (["--area", "b9=100"], "没有场地"),
        (["--area", "core:floor=100"], "usable（使用面积）"),
        (["--area", "core=0"], "大于 0"),
        (["--revenue", "lots"], "+10%"),
        (["--revenue", "-100%"], "大于 -100%"),
        ([], "没有给出要假设的变化"),
        (["--risks", "--area", "core=1"], "不能与假设的变化同时使用"),
    ],
)
def test_whatif_mistakes_are_refused_with_a_sentence(runner, write_dossier, args, needle):
    imported(runner, write_dossier, code="w")
    result = cli(runner, WHATIF.format(park="w"), *args, ok=(2,))
    assert needle in result.stderr, result.stderr


def test_an_added_tenant_is_checked_like_a_dossier_row(runner, write_dossier, tmp_path):
    imported(runner, write_dossier, code="w")
    path = tmp_path / "bad.yaml"
    bad = make_tenant(0, site="b9")  # on an unknown site
    path.write_text(yaml.safe_dump({"tenants": [bad]}, allow_unicode=True), encoding="utf-8")
    result = cli(runner, WHATIF.format(park="w"), "--add-tenant", path, ok=(2,))
    assert f"{path} tenants[0].site" in result.stderr and "b9" in result.stderr


# --------------------------------------------------------------------------- departure risks


def test_risks_name_the_tenants_that_hold_a_threshold(runner, write_dossier):
    # a branch site with exactly 10 HR institutions: each of them holds 第五条（四）
    small = {2024: "100万"}
    tenants = [make_tenant(i, revenue=small) for i in range(20)]
    tenants += [
        make_tenant(100 + i, site="b1", leased_area_m2=150, revenue=small) for i in range(10)
    ]
    tenants += [make_tenant(200, hr_service=False, leased_area_m2=1000, revenue={2024: "5亿"})]
    sites = [
        {"code": "core", "name": "核心园区", "role": "core", "building_area_m2": 4000},
        {"code": "b1", "name": "东盟分园", "role": "branch", "building_area_m2": 3000},
    ]
    run(runner, "import", write_dossier(make_dossier(code="br", tenants=tenants, sites=sites)))
    out = cli_json(runner, WHATIF.format(park="br"), "--risks")
    branch = [r for r in out["risks"] if r["site"] == "东盟分园"]
    assert len(branch) == 10
    assert {b["criterion"] for b in branch[0]["breaches"]} >= {"hr_branch"}
    hr = next(b for b in branch[0]["breaches"] if b["criterion"] == "hr_branch")
    assert (hr["actual"], hr["after"], hr["status"]) == ("10家", "9家", "fail")
    # the revenue carrier: without it revenue falls below 5亿
    carrier = next(r for r in out["risks"] if r["credit_code"] == make_credit_code(200))
    assert any(b["criterion"] == "revenue" for b in carrier["breaches"])
    table = cli(runner, WHATIF.format(park="br"), "--risks").stdout
    assert "单独迁出会使至少一项条件不达标" in table


def test_the_report_carries_the_risk_section_only_when_asked(runner, write_dossier, tmp_path):
    imported(runner, write_dossier, code="p30", hr=30)
    plain, risky = tmp_path / "plain.pdf", tmp_path / "risky.pdf"
    line = "report p30 -p gx-2021 --year 2024 --date 2025-06-30 --out"
    cli(runner, line, plain)
    cli(runner, line, risky, "--risks")

    def text(path):
        return "".join(page.extract_text() for page in PdfReader(path).pages)

    assert "风险提示" not in text(plain)
    body = text(risky)
    assert "风险提示" in body and make_tenant(0)["name"] in body
    assert "入驻人力资源服务机构（单园区）" in body
    # the embedded result is the same, so verify is unaffected
    assert run(runner, "verify", risky).exit_code == 0


def test_the_new_commands_keep_parkeval_help_light():
    """`parkeval --help` imports no command module, and a command imports its own module:
    none of them may load the heavy libraries (the policy model, the database, workbooks,
    PDFs) at import time."""
    import subprocess
    import sys

    code = (
        "import sys, parkeval.cli; parkeval.cli.load_commands(); "
        "print(sorted(m for m in ('pydantic', 'sqlalchemy', 'openpyxl', 'weasyprint', "
        "'rich.table') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
