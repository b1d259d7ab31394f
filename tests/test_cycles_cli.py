"""Rating-cycle commands end to end: apply, grant, waive, assess, rate, status, due."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from parkeval.cli import app
from tests.conftest import make_dossier


@pytest.fixture
def park(runner, write_dossier):
    """A gx-2021-eligible park in Nanning (广西), imported."""
    path = write_dossier(make_dossier(code="nn"))
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 0, result.output
    return "nn"


@pytest.fixture
def bt_park(runner, write_dossier):
    """A park in Baotou (内蒙古自治区包头市), where bt-2022 applies, imported."""
    dossier = make_dossier(code="bt-park")
    dossier["park"].update(province="内蒙古自治区", city="包头市")
    result = runner.invoke(app, ["import", str(write_dossier(dossier, "bt.yaml"))])
    assert result.exit_code == 0, result.output
    return "bt-park"


def run(runner, *args, code=0):
    # A wide terminal, so an error panel is never cropped in the assertion text.
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "400"})
    assert result.exit_code == code, (result.output, getattr(result, "stderr", ""))
    return result


def status(runner, park, as_of="2030-01-01", *extra):
    return json.loads(run(runner, *extra, "status", park, "--as-of", as_of, "--json").stdout)


def gx_rate(runner, park, year, rating, date=None, code=0, cycle="annual", extra=()):
    return run(
        runner,
        *extra,
        "rate",
        park,
        "--policy",
        "gx-2021",
        "--cycle",
        cycle,
        "--year",
        year,
        "--rating",
        rating,
        "--date",
        date or f"{year + 1}-03-20",
        code=code,
    )


def test_status_json_contract_and_library_function_agree(runner, park, settings):
    run(
        runner,
        "grant",
        park,
        "--policy",
        "gx-2021",
        "--on",
        "2021-06-15",
        "--doc-no",
        "桂人社函〔2021〕9号",
    )
    gx_rate(runner, park, 2022, "优秀")
    data = status(runner, park, "2024-01-10")
    # the contract grows only by new keys: the records in force, each with its id
    assert set(data) == {"park", "as_of", "certifications", "due"} | {
        "applications",
        "targets",
        "waivers",
        "retired",
        "goals",  # one park's development goals (发展目标)
    }
    cert = data["certifications"][0]
    assert set(cert) == {
        "id",
        "doc_no",
        "override_reason",
        "confirmations",
        "rectifications",
        "proposals",
    } | {
        "policy",
        "level",
        "state",
        "policy_in_force",
        "certified_on",
        "revoked_on",
        "revoke_reason",
        "reapply_after",
        "rectification_due",
        "flags",
        "history",
    }
    assert (
        cert["state"] == "active"
        and cert["certified_on"] == "2021-06-15"
        and cert["revoked_on"] is None
    )
    assert cert["history"][-1] == {
        "cycle": "annual",
        "period": "2022",
        "rating": "优秀",
        "date": "2023-03-20",
        "article": "第十三条",
        "id": cert["history"][-1]["id"],
        "by": cert["history"][-1]["by"],
    }
    assert cert["id"] == cert["history"][0]["id"] and isinstance(cert["history"][-1]["id"], int)
    assert all(set(d) == {"what", "policy", "due_date", "overdue", "article"} for d in data["due"])
    import datetime as dt

    from parkeval.app.lifecycle import park_status
    from parkeval.jsonout import dumps

    assert json.loads(dumps(park_status(settings, park, dt.date(2024, 1, 10)))) == data


def test_gx_two_consecutive_fails_revoke_and_later_rating_is_refused(runner, park):
    run(runner, "grant", park, "--policy", "gx-2021", "--on", "2021-06-15")
    gx_rate(runner, park, 2022, "fail")
    assert status(runner, park)["certifications"][0]["state"] == "rectifying"
    out = gx_rate(runner, park, 2023, "不合格", date="2024-03-25")
    assert "认定已取消" in out.output
    cert = status(runner, park)["certifications"][0]
    assert (cert["state"], cert["revoked_on"]) == ("revoked", "2024-03-25")
    refused = gx_rate(runner, park, 2024, "合格", code=2)
    assert "取消" in refused.stderr
    assert len(status(runner, park)["certifications"][0]["history"]) == 3  # nothing written


def test_rating_errors_write_nothing(runner, park):
    run(runner, "grant", park, "--policy", "gx-2021", "--on", "2021-06-15")
    before = gx_rate(runner, park, 2020, "合格", code=2)
    assert "尚未获" in before.stderr
    bad_word = gx_rate(runner, park, 2022, "良好", code=2)
    assert "良好" in bad_word.stderr
    gx_rate(runner, park, 2022, "合格")
    dup = gx_rate(runner, park, 2022, "优秀", code=2)
    assert "已有正式等次" in dup.stderr
    history = status(runner, park)["certifications"][0]["history"]
    assert [h["rating"] for h in history] == [None, "合格"]
    unknown_cycle = gx_rate(runner, park, 2023, "合格", cycle="quarterly", code=2)
    assert "quarterly" in unknown_cycle.stderr


def test_three_excellent_years_and_comprehensive_excellent_flag_priority_support(runner, park):
    run(runner, "grant", park, "--policy", "gx-2021", "--on", "2021-06-15")
    for year in (2021, 2022, 2023):
        gx_rate(runner, park, year, "excellent")
    assert status(runner, park)["certifications"][0]["flags"] == ["priority_support"]
    gx_rate(runner, park, 2024, "合格")
    assert status(runner, park)["certifications"][0]["flags"] == []
    gx_rate(runner, park, 2023, "优秀", date="2024-07-01", cycle="comprehensive")
    assert status(runner, park)["certifications"][0]["flags"] == ["priority_support"]


def test_bt_lockout_refuses_regrant_until_reapply_after(runner, bt_park, monkeypatch):
    park = bt_park
    monkeypatch.setenv("PARKEVAL_TODAY", "2030-06-30")  # the lockout ends in 2029
    run(runner, "grant", park, "--policy", "bt-2022", "--on", "2022-09-01")
    for year, date in ((2022, "2023-03-01"), (2023, "2024-03-01")):
        run(
            runner,
            "rate",
            park,
            "-p",
            "bt-2022",
            "--cycle",
            "self_evaluation",
            "--year",
            year,
            "--rating",
            "不合格",
            "--date",
            date,
        )
    assert (
        status(runner, park)["certifications"][0]["state"] == "active"
    )  # self-evaluations never revoke
    run(
        runner,
        "rate",
        park,
        "-p",
        "bt-2022",
        "--cycle",
        "biennial",
        "--year",
        2023,
        "--rating",
        "不合格",
        "--date",
        "2024-04-01",
    )
    run(
        runner,
        "rate",
        park,
        "-p",
        "bt-2022",
        "--cycle",
        "biennial",
        "--year",
        2025,
        "--rating",
        "不合格",
        "--date",
        "2026-04-01",
    )
    cert = status(runner, park)["certifications"][0]
    assert (cert["state"], cert["reapply_after"]) == ("revoked", "2029-04-01")
    refused = run(runner, "grant", park, "--policy", "bt-2022", "--on", "2029-03-31", code=2)
    assert "2029-04-01" in refused.stderr and "三年内不予重新认定" in refused.stderr
    run(
        runner,
        "grant",
        park,
        "--policy",
        "bt-2022",
        "--on",
        "2029-04-01",
        "--outside-validity",
        "接续政策出台前按原办法认定",
    )


def test_rating_after_bt_end_date_is_recorded_with_a_plain_warning(runner, bt_park, monkeypatch):
    park = bt_park
    monkeypatch.setenv("PARKEVAL_TODAY", "2027-06-30")
    run(runner, "grant", park, "--policy", "bt-2022", "--on", "2022-09-01")
    out = run(
        runner,
        "rate",
        park,
        "-p",
        "bt-2022",
        "--cycle",
        "self_evaluation",
        "--year",
        2026,
        "--rating",
        "合格",
        "--date",
        "2027-03-01",
        "--json",
    )
    data = json.loads(out.stdout)
    assert any("已于 2025年12月31日 失效" in w for w in data["warnings"])
    cert = status(runner, park, "2027-06-01")["certifications"][0]
    assert cert["policy_in_force"] is False and cert["history"][-1]["period"] == "2026"


def test_rectification_days_is_read_from_the_policy_file(runner, park, tmp_path):
    run(runner, "grant", park, "--policy", "gx-2021", "--on", "2021-06-15")
    gx_rate(runner, park, 2022, "不合格", date="2023-03-01")
    assert (
        status(runner, park, "2023-04-01")["certifications"][0]["rectification_due"] == "2023-05-30"
    )
    from parkeval.resources import policies_dir

    policy = yaml.safe_load((policies_dir() / "gx-2021.yaml").read_text(encoding="utf-8"))
    policy["local_settings"]["rectification_days"]["value"] = 30
    copy = tmp_path / "gx-local.yaml"
    copy.write_text(yaml.safe_dump(policy, allow_unicode=True), encoding="utf-8")
    data = status(runner, park, "2023-04-01", "--policy-file", copy)
    assert data["certifications"][0]["rectification_due"] == "2023-03-31"


def test_waive_makes_certify_report_waived(runner, write_dossier):
    path = write_dossier(make_dossier(code="bt", building_area=2500))
    run(runner, "import", path)
    before = json.loads(
        run(runner, "certify", "bt", "-p", "bt-2022", "--year", 2024, "--json", code=1).stdout
    )
    assert next(c for c in before["criteria"] if c["id"] == "building_area")["status"] == "warn"
    mandatory = run(
        runner,
        "waive",
        "bt",
        "-p",
        "bt-2022",
        "--criterion",
        "revenue",
        "--reason",
        "x",
        "--by",
        "市人社局",
        code=2,
    )
    assert "必备条件" in mandatory.stderr
    run(
        runner,
        "waive",
        "bt",
        "-p",
        "bt-2022",
        "--criterion",
        "building_area",
        "--reason",
        "老城区场地受限",
        "--by",
        "市人社局",
        "--until",
        "2025-12-31",
    )
    after = json.loads(
        run(runner, "certify", "bt", "-p", "bt-2022", "--year", 2024, "--json").stdout
    )
    waived = next(c for c in after["criteria"] if c["id"] == "building_area")
    assert waived["status"] == "waived" and "老城区场地受限" in waived["note"]
    expired = json.loads(
        run(
            runner,
            "certify",
            "bt",
            "-p",
            "bt-2022",
            "--year",
            2024,
            "--as-of",
            "2026-01-01",
            "--json",
            code=1,
        ).stdout
    )
    assert next(c for c in expired["criteria"] if c["id"] == "building_area")["status"] == "warn"


def test_due_lists_targets_self_evaluation_rectification_and_application(runner, park):
    run(runner, "grant", park, "--policy", "gx-2021", "--on", "2021-06-15")
    for year in (2021, 2022):
        gx_rate(runner, park, year, "合格")
    gx_rate(runner, park, 2023, "不合格", date="2024-03-01")
    data = json.loads(
        run(runner, "due", park, "--as-of", "2024-03-10", "--within", 30, "--json").stdout
    )
    whats = {d["what"]: d for d in data["due"]}
    assert whats["2024年度发展目标报备"]["due_date"] == "2024-03-31"
    assert any(d["what"].startswith("整改期限") for d in data["due"]) is False  # beyond 30 days
    wide = json.loads(
        run(runner, "due", park, "--as-of", "2024-03-10", "--within", 90, "--json").stdout
    )
    rect = next(d for d in wide["due"] if d["what"].startswith("整改期限"))
    assert (
        rect["due_date"] == "2024-05-30"
        and rect["article"] == "第十四条"
        and rect["overdue"] is False
    )
    late = json.loads(run(runner, "due", park, "--as-of", "2025-04-10", "--json").stdout)
    overdue = {d["what"] for d in late["due"] if d["overdue"]}
    assert "2024年度考核（自评报告）" in overdue and "2025年度发展目标报备" in overdue
    run(runner, "due", "--as-of", "2024-03-10", code=2)  # neither a park nor --all


def test_apply_shows_checklist_and_deadlines_and_due_tracks_them(runner, park):
    out = run(
        runner,
        "apply",
        park,
        "--policy",
        "gx-2021",
        "--received",
        "2024-01-01",
        "--materials",
        "request,support_policy",
        "--materials",
        "入驻企业名录",
        "--json",
    )
    data = json.loads(out.stdout)
    assert data["evaluation_deadline"] == "2024-02-15"
    assert (data["publicity_from"], data["publicity_until"]) == ("2024-02-16", "2024-02-22")
    assert data["missing"] == [
        "产业园区建设可行性论证报告和建设发展规划",
        "产业园建设管理及运营报告",
    ]
    bad = run(
        runner,
        "apply",
        park,
        "--policy",
        "gx-2021",
        "--received",
        "2024-01-01",
        "--materials",
        "x",
        code=2,
    )
    assert "request" in bad.stderr
    due = json.loads(run(runner, "due", park, "--as-of", "2024-02-20", "--json").stdout)["due"]
    assert [(d["due_date"], d["overdue"]) for d in due] == [
        ("2024-02-15", True),
        ("2024-02-22", False),
    ]
    run(runner, "grant", park, "--policy", "gx-2021", "--on", "2024-02-25")
    due = json.loads(run(runner, "due", park, "--as-of", "2024-02-26", "--json").stdout)["due"]
    assert not any("申报" in d["what"] for d in due)


def test_assess_proposes_saves_and_official_rating_wins(runner, park, write_dossier):
    run(runner, "grant", park, "--policy", "gx-2021", "--on", "2021-06-15")
    out = json.loads(
        run(
            runner,
            "assess",
            park,
            "-p",
            "gx-2021",
            "--cycle",
            "annual",
            "--year",
            2024,
            "--save",
            "--json",
        ).stdout
    )
    assert out["proposal"]["rating"] == "优秀" and out["saved"] is True
    assert out["proposal"]["local_setting"] is True and "本地设置" in out["proposal"]["note"]
    assert [d["name"] for d in out["proposal"]["dimensions"]] == [
        "平台建设",
        "政策体系",
        "管理运营",
        "服务保障",
        "经济社会效益",
    ]
    gx_rate(runner, park, 2024, "合格")
    again = json.loads(
        run(
            runner, "assess", park, "-p", "gx-2021", "--cycle", "annual", "--year", 2024, "--json"
        ).stdout
    )
    assert again["official"]["rating"] == "合格" and again["effective_rating"] == "合格"
    assert status(runner, park)["certifications"][0]["history"][-1]["rating"] == "合格"


def test_assess_with_targets_and_failed_threshold_is_never_excellent(
    runner, write_dossier, settings
):
    dossier = make_dossier(code="low", hr=29, others=8)  # 29 < 不少于30家; occupancy still 61.7%
    dossier["certifications"] = [
        {"policy": "gx-2021", "certified_on": "2021-06-15", "doc_no": "桂1"}
    ]
    dossier["targets"] = [
        {"year": 2024, "revenue_yuan": "5亿", "hr_institutions": 29, "occupancy": "50%"}
    ]
    run(runner, "import", write_dossier(dossier))
    out = json.loads(
        run(
            runner, "assess", "low", "-p", "gx-2021", "--cycle", "annual", "--year", 2024, "--json"
        ).stdout
    )
    assert out["verdict"] == "not_eligible"
    metrics = out["targets"]["metrics"]
    assert metrics["hr_institutions"]["attainment"] == 1 and metrics["revenue"]["attainment"] > 1
    assert out["proposal"]["rating"] == "合格" and "不能评为优秀" in out["proposal"]["capped"]
    from parkeval.app.assess import assessment_summary

    assert assessment_summary(settings, "low", "gx-2021", "annual", 2024).proposal.rating == "合格"


def test_dossier_history_sections_import_and_drive_status(runner, write_dossier):
    dossier = make_dossier(code="hist")
    dossier["certifications"] = [{"policy": "gx-2021", "certified_on": "2021-06-15"}]
    dossier["assessments"] = [
        {
            "policy": "gx-2021",
            "cycle": "annual",
            "year": 2023,
            "rating": "fail",
            "rated_on": "2024-03-20",
        },
        {
            "policy": "gx-2021",
            "cycle": "annual",
            "year": 2022,
            "rating": "不合格",
            "rated_on": "2023-03-20",
        },
    ]
    run(runner, "import", write_dossier(dossier))
    assert status(runner, "hist")["certifications"][0]["state"] == "revoked"
    run(runner, "import", write_dossier(dossier))  # re-import replaces, does not duplicate
    assert len(status(runner, "hist")["certifications"]) == 1
    dossier["assessments"][0]["rating"] = "良好"
    bad = run(runner, "import", write_dossier(dossier, "bad.yaml"), code=2)
    assert "assessments[0].rating" in bad.stderr


def test_template_has_history_sheets(runner, tmp_path: Path):
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    run(runner, "template", path)
    names = load_workbook(path).sheetnames
    assert {"认定记录", "年度目标", "考核评估"} <= set(names)


def test_history_commands_are_written_to_the_audit_log(runner, write_dossier):
    from conftest import make_dossier

    from parkeval.cli import app

    assert (
        runner.invoke(app, ["import", str(write_dossier(make_dossier(code="aud")))]).exit_code == 0
    )
    steps = [
        ["--by", "王五", "grant", "aud", "--policy", "gx-2021", "--on", "2022-03-01"],
        [
            "--by",
            "王五",
            "rate",
            "aud",
            "--policy",
            "gx-2021",
            "--cycle",
            "annual",
            "--year",
            "2023",
            "--rating",
            "合格",
            "--date",
            "2024-03-20",
        ],
        [
            "--by",
            "王五",
            "waive",
            "aud",
            "--policy",
            "gx-2021",
            "--criterion",
            "branch_limit",
            "--reason",
            "历史遗留",
            "--by",
            "南宁市人社局",
        ],
    ]
    for args in steps:
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    refused = runner.invoke(
        app,
        [
            "rate",
            "aud",
            "--policy",
            "gx-2021",
            "--cycle",
            "annual",
            "--year",
            "2023",
            "--rating",
            "优秀",
        ],
    )
    assert refused.exit_code == 2  # duplicate rating: refused, and so not logged
    log = runner.invoke(app, ["log", "aud", "--json"])
    entries = json.loads(log.stdout)
    actions = [e["action"] for e in entries]
    assert sorted(actions) == ["grant", "import", "rate", "waive"]
    assert all(e["by"] == "王五" for e in entries if e["action"] != "import")


def test_an_occupancy_target_of_65_55_percent_is_kept_exactly(runner, write_dossier, settings):
    from parkeval.store.snapshot import load_snapshot

    dossier = make_dossier(code="tgt")
    dossier["targets"] = [
        {"year": 2024, "occupancy": "65.55%"},
        {"year": 2025, "occupancy": "0.655"},
    ]
    run(runner, "import", write_dossier(dossier))
    with settings.database.connect() as connection:
        history = load_snapshot(connection, code="tgt", history=True).history
        stored = {t.year: t.occupancy for t in history.targets}
    # not 0.66 (NUMERIC(20,2) rounded it)
    assert stored == {2024: Decimal("0.6555"), 2025: Decimal("0.655")}

    dossier["targets"] = [{"year": 2024, "occupancy": "65.555555%"}]
    bad = run(runner, "import", write_dossier(dossier, "bad.yaml"), code=2)
    assert "targets[0].occupancy" in bad.stderr and "最多保留 4 位小数" in bad.stderr
    with settings.database.connect() as connection:  # the refused import wrote nothing
        history = load_snapshot(connection, code="tgt", history=True).history
        assert {t.year: t.occupancy for t in history.targets} == stored


def test_a_value_finer_than_its_column_is_refused_not_rounded():
    from parkeval.store.tables import ExactDecimal

    money, ratio = ExactDecimal(), ExactDecimal(6)
    for dialect in ("sqlite", "postgresql"):

        class D:  # what process_bind_param reads of a dialect
            name = dialect

        assert money.process_bind_param(Decimal("12.50"), D) in ("12.50", Decimal("12.50"))
        assert ratio.process_bind_param(Decimal("0.655"), D) in ("0.655", Decimal("0.655"))
        with pytest.raises(ValueError, match="more than 2 decimal places"):
            money.process_bind_param(Decimal("0.005"), D)


def test_target_command_files_targets_that_due_then_stops_asking_for(runner, park, settings):
    run(runner, "grant", park, "--policy", "gx-2021", "--on", "2021-06-15")
    due = json.loads(run(runner, "due", park, "--as-of", "2024-03-10", "--json").stdout)["due"]
    assert "2024年度发展目标报备" in {d["what"] for d in due}
    out = run(
        runner,
        "target",
        park,
        "--year",
        2024,
        "--revenue",
        "6亿",
        "--hr",
        35,
        "--occupancy",
        "65.5%",
        "--goals",
        "引进头部机构 3 家",
        "--filed-on",
        "2024-03-01",
    )
    assert "已记录" in out.stdout and "6亿元" in out.stdout and "65.5%" in out.stdout
    due = json.loads(run(runner, "due", park, "--as-of", "2024-03-10", "--json").stdout)["due"]
    assert "2024年度发展目标报备" not in {d["what"] for d in due}
    again = json.loads(run(runner, "target", park, "--year", 2024, "--hr", 36, "--json").stdout)
    assert (
        again["replaced"] is True
        and again["hr_institutions"] == 36
        and again["revenue_yuan"] is None
    )
    # assess reads the filed target
    out = json.loads(
        run(
            runner, "assess", park, "-p", "gx-2021", "--cycle", "annual", "--year", 2024, "--json"
        ).stdout
    )
    assert out["targets"]["metrics"]["hr_institutions"]["target"] == 36
    log = json.loads(run(runner, "log", park, "--json").stdout)
    assert [e["action"] for e in log].count("target") == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", 2024], "没有目标可记录"),
        (["--year", 2024, "--revenue", "六亿元整"], "--revenue"),
        (["--year", 2024, "--occupancy", "120%"], "--occupancy"),
        (["--year", 2024, "--hr", "-3"], "--hr"),
    ],
)
def test_target_command_refuses_bad_values_and_writes_nothing(runner, park, args, message):
    bad = run(runner, "target", park, *args, code=2)
    assert message in bad.stderr and "Traceback" not in bad.output
    assert not [
        e for e in json.loads(run(runner, "log", park, "--json").stdout) if e["action"] == "target"
    ]


def test_target_from_a_dossier_is_changed_in_the_dossier_not_by_command(runner, write_dossier):
    dossier = make_dossier(code="dt")
    dossier["targets"] = [{"year": 2024, "hr_institutions": 30}]
    run(runner, "import", write_dossier(dossier))
    bad = run(runner, "target", "dt", "--year", 2024, "--hr", 40, code=2)
    assert "来自档案" in bad.stderr and "parkeval import" in bad.stderr


def test_rectified_ends_the_rectification_period(runner, park):
    run(runner, "grant", park, "--policy", "gx-2021", "--on", "2021-06-15")
    gx_rate(runner, park, 2022, "合格")
    bad = run(
        runner, "rectified", park, "-p", "gx-2021", "--cycle", "annual", "--year", 2022, code=2
    )
    assert "只有不合格才需要整改" in bad.stderr
    gx_rate(runner, park, 2023, "不合格", date="2024-03-01")
    assert status(runner, park, "2024-04-01")["certifications"][0]["state"] == "rectifying"
    early = run(
        runner,
        "rectified",
        park,
        "-p",
        "gx-2021",
        "--cycle",
        "annual",
        "--year",
        2023,
        "--on",
        "2024-02-01",
        code=2,
    )
    assert "早于评定日期" in early.stderr
    out = json.loads(
        run(
            runner,
            "rectified",
            park,
            "-p",
            "gx-2021",
            "--cycle",
            "annual",
            "--year",
            2023,
            "--on",
            "2024-04-15",
            "--json",
        ).stdout
    )
    assert out["state"] == "active"
    assert (
        status(runner, park, "2024-04-01")["certifications"][0]["state"] == "rectifying"
    )  # before completion
    assert status(runner, park, "2024-04-20")["certifications"][0]["state"] == "active"
    again = run(
        runner, "rectified", park, "-p", "gx-2021", "--cycle", "annual", "--year", 2023, code=2
    )
    assert "已于 2024-04-15" in again.stderr
    # a second 不合格 the next year still revokes (gx 第十四条): completing a rectification does not reset the streak
    gx_rate(runner, park, 2024, "不合格", date="2025-03-01")
    assert status(runner, park, "2025-04-01")["certifications"][0]["state"] == "revoked"


def test_confirm_records_the_city_bureaus_confirmation_of_a_self_evaluation(
    runner, bt_park, settings
):
    park = bt_park
    run(runner, "grant", park, "--policy", "bt-2022", "--on", "2022-10-01")
    missing = run(
        runner,
        "confirm",
        park,
        "-p",
        "bt-2022",
        "--cycle",
        "self_evaluation",
        "--year",
        2023,
        "--by",
        "包头市人社局",
        code=2,
    )
    assert "没有" in missing.stderr and "assess --save" in missing.stderr
    run(
        runner,
        "assess",
        park,
        "-p",
        "bt-2022",
        "--cycle",
        "self_evaluation",
        "--year",
        2023,
        "--save",
        "--json",
    )
    out = json.loads(
        run(
            runner,
            "confirm",
            park,
            "-p",
            "bt-2022",
            "--cycle",
            "self_evaluation",
            "--year",
            2023,
            "--by",
            "包头市人社局",
            "--on",
            "2024-02-10",
            "--json",
        ).stdout
    )
    assert (out["confirmed_by"], out["confirmed_on"]) == ("包头市人社局", "2024-02-10")

    from parkeval.store.snapshot import load_snapshot

    with settings.database.connect() as connection:
        record = load_snapshot(connection, code=park, history=True).history.assessments[0]
    assert (record.confirmed_by, record.confirmed_on.isoformat()) == ("包头市人社局", "2024-02-10")
    twice = run(
        runner,
        "confirm",
        park,
        "-p",
        "bt-2022",
        "--cycle",
        "self_evaluation",
        "--year",
        2023,
        "--by",
        "包头市人社局",
        code=2,
    )
    assert "已于 2024-02-10" in twice.stderr


@pytest.mark.parametrize(
    "args", [["--hr", "nan"], ["--occupancy", "nan%"], ["--occupancy", "inf"], ["--hr", "Infinity"]]
)
def test_target_refuses_not_a_number_without_a_traceback(runner, park, args):
    bad = run(runner, "target", park, "--year", 2024, *args, code=2)
    assert args[0] in bad.stderr and "Traceback" not in bad.output


def test_target_shows_the_occupancy_as_filed(runner, park):
    assert (
        "入驻率 65.55%"
        in run(runner, "target", park, "--year", 2024, "--occupancy", "65.55%").stdout
    )


def test_confirm_and_rectified_on_a_dossier_row_point_to_the_dossier(runner, write_dossier):
    dossier = make_dossier(code="dr")
    dossier["certifications"] = [{"policy": "gx-2021", "certified_on": "2021-06-15"}]
    dossier["assessments"] = [
        {
            "policy": "gx-2021",
            "cycle": "annual",
            "year": 2023,
            "rating": "不合格",
            "rated_on": "2024-03-01",
        }
    ]
    run(runner, "import", write_dossier(dossier))
    bad = run(
        runner,
        "rectified",
        "dr",
        "-p",
        "gx-2021",
        "--cycle",
        "annual",
        "--year",
        2023,
        "--on",
        "2024-04-15",
        code=2,
    )
    assert "来自档案" in bad.stderr and "整改完成日期" in bad.stderr
    bad = run(
        runner,
        "confirm",
        "dr",
        "-p",
        "gx-2021",
        "--cycle",
        "annual",
        "--year",
        2023,
        "--by",
        "南宁市人社局",
        code=2,
    )
    assert "来自档案" in bad.stderr and "审核确认" in bad.stderr
    dossier["assessments"][0]["rectified_on"] = (
        "2024-04-15"  # the way to record it for a dossier row
    )
    run(runner, "import", write_dossier(dossier))
    assert status(runner, "dr", "2024-05-01")["certifications"][0]["state"] == "active"


def test_rectified_reports_the_current_certification_after_a_re_recognition(runner, park):
    run(runner, "grant", park, "--policy", "gx-2021", "--on", "2021-06-15")
    gx_rate(runner, park, 2021, "不合格")
    gx_rate(runner, park, 2022, "不合格")  # revoked at the second
    run(runner, "grant", park, "--policy", "gx-2021", "--on", "2024-06-15")
    gx_rate(runner, park, 2024, "不合格", date="2025-03-01")
    out = json.loads(
        run(
            runner,
            "rectified",
            park,
            "-p",
            "gx-2021",
            "--cycle",
            "annual",
            "--year",
            2024,
            "--on",
            "2025-04-10",
            "--json",
        ).stdout
    )
    assert out["state"] == "active"
