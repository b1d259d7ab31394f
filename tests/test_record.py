"""A record a bureau can rely on: several titles per park, jurisdiction, dates checked against
the calendar, attestation ids checked at import, corrections that keep history, retired parks,
and reports that tell the state as of their own date.

Every refusal exits 2 and leaves the database byte for byte as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from conftest import make_dossier
from openpyxl import load_workbook
from pypdf import PdfReader

from parkeval.cli import app
from parkeval.resources import policies_dir

TODAY = dt.date.today()
TOMORROW = TODAY + dt.timedelta(days=1)


def run(runner, *args, code=0):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "400"})
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    assert result.exit_code == code, (args, result.output, result.stderr)
    return result


def as_json(runner, *args, code=0):
    return json.loads(run(runner, *args, "--json", code=code).stdout)


def fingerprint(url: str) -> str:
    """The database's bytes after a checkpoint (SQLite), or every table's rows (PostgreSQL)."""
    if "://" not in url:
        with sqlite3.connect(url) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return hashlib.sha256(Path(url).read_bytes()).hexdigest()
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = {
            t: [tuple(map(str, r)) for r in conn.execute(text(f'SELECT * FROM "{t}" ORDER BY 1'))]
            for t in sorted(inspect(conn).get_table_names())
        }
    engine.dispose()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture
def refuse(runner, db_url):
    """Run a command that must be refused: exit 2, a message, and the database unchanged."""

    def check(*args, says: str | tuple[str, ...] = ()):
        run(runner, "db", "upgrade")  # the database exists (with its schema) before the refusal
        before = fingerprint(db_url)
        result = run(runner, *args, code=2)
        assert fingerprint(db_url) == before, f"{args} changed the database"
        for text in (says,) if isinstance(says, str) else says:
            assert text in result.stderr, (text, result.stderr)
        return result

    return check


def user_policy(tmp_path: Path, base: str, **changes) -> Path:
    """A user policy file made from a built-in one."""
    policy = yaml.safe_load((policies_dir() / f"{base}.yaml").read_text(encoding="utf-8"))
    policy.update(changes)
    path = tmp_path / f"{changes['id']}.yaml"
    path.write_text(yaml.safe_dump(policy, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def park_in(runner, write_dossier, code: str, province: str | None, city: str | None, **more):
    dossier = make_dossier(code=code, **more)
    dossier["park"].update(province=province, city=city)
    if province is None:
        del dossier["park"]["province"]
    if city is None:
        del dossier["park"]["city"]
    run(runner, "import", write_dossier(dossier, f"{code}.yaml"))
    return code


@pytest.fixture
def nanning(runner, write_dossier):
    return park_in(runner, write_dossier, "nn", "广西壮族自治区", "南宁市")


@pytest.fixture
def nn_city_policy(tmp_path):
    """A 市级 policy of Nanning (made from bt-2022's file): a second title a Guangxi park holds."""
    return user_policy(
        tmp_path,
        "bt-2022",
        id="nn-2022",
        title="南宁市市级人力资源服务产业园认定办法（测试）",
        jurisdiction={"province": "广西壮族自治区", "city": "南宁市"},
        effective_until=None,
    )


# --------------------------------------------------------------------------- several titles


def test_a_park_holds_two_titles_and_every_command_works_per_title(
    runner, nanning, nn_city_policy, tmp_path
):
    pf = ("--policy-file", nn_city_policy)
    run(runner, *pf, "grant", nanning, "-p", "nn-2022", "--on", "2022-09-01")
    run(runner, *pf, "grant", nanning, "-p", "gx-2021", "--on", "2023-01-10")
    # the crash of the issue: rating one title while the park holds another
    rated = as_json(
        runner,
        *pf,
        "rate",
        nanning,
        "-p",
        "gx-2021",
        "--cycle",
        "annual",
        "--year",
        2023,
        "--rating",
        "合格",
        "--date",
        "2024-03-20",
    )
    assert rated["state"] == "active" and rated["policy"] == "gx-2021"
    as_json(
        runner,
        *pf,
        "rate",
        nanning,
        "-p",
        "nn-2022",
        "--cycle",
        "biennial",
        "--year",
        2023,
        "--rating",
        "不合格",
        "--date",
        "2024-04-01",
    )
    status = as_json(runner, *pf, "status", nanning, "--as-of", "2024-06-01")
    states = {c["policy"]: c["state"] for c in status["certifications"]}
    assert states == {"gx-2021": "active", "nn-2022": "rectifying"}
    assessed = as_json(
        runner, *pf, "assess", nanning, "-p", "gx-2021", "--cycle", "annual", "--year", 2024
    )
    assert assessed["policy"] == "gx-2021" and assessed["official"] is None
    due = as_json(runner, *pf, "due", nanning, "--as-of", "2024-06-01", "--within", "400")
    assert {d["policy"] for d in due["due"]} == {"gx-2021", "nn-2022"}
    only = as_json(
        runner, *pf, "due", nanning, "-p", "nn-2022", "--as-of", "2024-06-01", "--within", "400"
    )
    assert {d["policy"] for d in only["due"]} == {"nn-2022"}
    for policy in ("gx-2021", "nn-2022"):
        pdf = tmp_path / f"{policy}.pdf"
        run(
            runner,
            *pf,
            "report",
            nanning,
            "-p",
            policy,
            "--year",
            2024,
            "--kind",
            "assessment",
            "--date",
            "2025-06-30",
            "--out",
            pdf,
        )
        payload = json.loads(PdfReader(pdf).attachments["parkeval-result.json"][0])
        assert payload["assessment"]["policy"] == policy
        assert "一致" in run(runner, *pf, "verify", pdf).stdout


# --------------------------------------------------------------------------- jurisdiction


def test_grant_outside_jurisdiction_is_refused_unless_a_reason_is_given(
    runner, nanning, refuse, db_url
):
    refuse(
        "grant",
        nanning,
        "-p",
        "bt-2022",
        "--on",
        "2023-01-10",
        says=(
            "不在《包头市市级人力资源服务产业园管理办法》的适用范围（内蒙古自治区包头市）内",
            "--outside-jurisdiction",
        ),
    )
    refuse(
        "grant",
        nanning,
        "-p",
        "gx-2021",
        "--on",
        "2021-06-01",
        "--outside-jurisdiction",
        "x",
        says="不需要 --outside-jurisdiction",
    )
    granted = as_json(
        runner,
        "grant",
        nanning,
        "-p",
        "bt-2022",
        "--on",
        "2023-01-10",
        "--outside-jurisdiction",
        "跨地区共建试点（包人社函〔2023〕2号）",
    )
    assert "跨地区共建试点" in granted["override_reason"]
    status = as_json(runner, "status", nanning)
    assert "跨地区共建试点" in status["certifications"][0]["override_reason"]
    log = as_json(runner, "log", nanning)
    assert any("跨地区共建试点" in (e["detail"] or "") for e in log)


def test_grant_outside_the_policys_validity_is_refused_unless_a_reason_is_given(
    runner, write_dossier, refuse
):
    bt = park_in(runner, write_dossier, "bt", "内蒙古自治区", "包头市")
    refuse(
        "grant",
        bt,
        "-p",
        "bt-2022",
        "--on",
        "2022-06-30",
        says=("有效期（2022-07-01 至 2025-12-31）", "--outside-validity"),
    )
    refuse("grant", bt, "-p", "bt-2022", "--on", "2026-01-05", says="有效期")
    run(
        runner,
        "grant",
        bt,
        "-p",
        "bt-2022",
        "--on",
        "2026-01-05",
        "--outside-validity",
        "接续政策出台前按原办法认定",
    )


def test_a_park_whose_dossier_gives_no_province_cannot_be_granted_without_a_reason(
    runner, write_dossier, refuse
):
    nowhere = park_in(runner, write_dossier, "nowhere", None, None)
    refuse("grant", nowhere, "-p", "gx-2021", "--on", "2021-06-01", says="未填写所在省份或城市")
    result = as_json(runner, "certify", nowhere, "-p", "gx-2021", "--year", 2024, code=0)
    assert result["in_jurisdiction"] is None and "未填写所在省份" in result["warnings"][0]


def test_certify_of_a_park_outside_the_jurisdiction_runs_and_says_so(runner, nanning):
    result = as_json(runner, "certify", nanning, "-p", "bt-2022", "--year", 2024)
    assert result["in_jurisdiction"] is False
    assert "不在《包头市市级人力资源服务产业园管理办法》的适用范围" in result["warnings"][0]
    table = run(runner, "certify", nanning, "-p", "bt-2022", "--year", 2024).stdout
    assert "不在《包头市市级人力资源服务产业园管理办法》的适用范围" in table
    inside = as_json(runner, "certify", nanning, "-p", "gx-2021", "--year", 2024)
    assert inside["in_jurisdiction"] is True


def test_all_takes_only_the_parks_in_the_jurisdiction_and_says_how_many_were_left_out(
    runner, write_dossier, nanning
):
    park_in(runner, write_dossier, "bt", "内蒙古自治区", "包头市")
    park_in(runner, write_dossier, "hh", "内蒙古自治区", "呼和浩特市")
    park_in(runner, write_dossier, "nowhere", None, None)
    result = run(runner, "certify", "--all", "-p", "bt-2022", "--year", 2024, "--json", code=0)
    assert [r["park"] for r in json.loads(result.stdout)] == ["bt"]
    assert "2 个园区不在" in result.stderr and "1 个园区的档案未填写所在省份或城市" in result.stderr
    everyone = json.loads(
        run(
            runner,
            "certify",
            "--all",
            "-p",
            "bt-2022",
            "--year",
            2024,
            "--json",
            "--include-outside",
        ).stdout
    )
    assert [r["park"] for r in everyone] == ["bt", "hh", "nn", "nowhere"]
    gx = json.loads(
        run(runner, "certify", "--all", "-p", "gx-2021", "--year", 2024, "--json").stdout
    )
    assert [r["park"] for r in gx] == ["nn"]


def test_place_names_match_with_or_without_their_administrative_suffix(runner, write_dossier):
    short = park_in(runner, write_dossier, "short", "广西", "南宁")
    assert (
        as_json(runner, "certify", short, "-p", "gx-2021", "--year", 2024)["in_jurisdiction"]
        is True
    )
    bt = park_in(runner, write_dossier, "bt-short", "内蒙古", "包头")
    assert (
        as_json(runner, "certify", bt, "-p", "bt-2022", "--year", 2024)["in_jurisdiction"] is True
    )


# --------------------------------------------------------------------------- dates


def test_dates_after_today_are_refused_by_every_recording_command(runner, nanning, refuse):
    run(runner, "grant", nanning, "-p", "gx-2021", "--on", "2021-06-01")
    run(
        runner,
        "rate",
        nanning,
        "-p",
        "gx-2021",
        "--cycle",
        "annual",
        "--year",
        2022,
        "--rating",
        "不合格",
        "--date",
        "2023-03-20",
    )
    later = str(TOMORROW)
    refuse("grant", nanning, "-p", "gx-2021", "--on", later, says=f"认定日期 {later} 晚于今天")
    refuse(
        "rate",
        nanning,
        "-p",
        "gx-2021",
        "--cycle",
        "annual",
        "--year",
        2023,
        "--rating",
        "合格",
        "--date",
        later,
        says="评定日期",
    )
    refuse(
        "rectified",
        nanning,
        "-p",
        "gx-2021",
        "--cycle",
        "annual",
        "--year",
        2022,
        "--on",
        later,
        says="整改完成日期",
    )
    refuse("apply", nanning, "-p", "gx-2021", "--received", later, says="收到申请的日期")
    refuse(
        "target", nanning, "--year", TODAY.year, "--hr", 30, "--filed-on", later, says="报备日期"
    )
    refuse("retire", nanning, "--reason", "x", "--on", later, says="停用日期")
    refuse("report", nanning, "-p", "gx-2021", "--year", 2024, "--date", later, says="报告日期")
    refuse(
        "confirm",
        nanning,
        "-p",
        "gx-2021",
        "--cycle",
        "annual",
        "--year",
        2022,
        "--by",
        "南宁市人社局",
        "--on",
        later,
        says="审核确认日期",
    )


def test_a_year_that_has_not_ended_cannot_be_rated_assessed_or_confirmed(
    runner, nanning, refuse, write_dossier
):
    run(runner, "grant", nanning, "-p", "gx-2021", "--on", "2021-06-01")
    this_year = TODAY.year
    refuse(
        "rate",
        nanning,
        "-p",
        "gx-2021",
        "--cycle",
        "annual",
        "--year",
        this_year,
        "--rating",
        "合格",
        "--date",
        str(TODAY),
        says=f"{this_year} 年尚未结束",
    )
    refuse(
        "assess",
        nanning,
        "-p",
        "gx-2021",
        "--cycle",
        "annual",
        "--year",
        this_year,
        "--save",
        says=f"{this_year} 年尚未结束",
    )
    # a rating dated before the end of the period it rates
    refuse(
        "rate",
        nanning,
        "-p",
        "gx-2021",
        "--cycle",
        "annual",
        "--year",
        2022,
        "--rating",
        "合格",
        "--date",
        "2022-11-30",
        says="考核期结束后才能评定等次",
    )
    bt = park_in(runner, write_dossier, "bt", "内蒙古自治区", "包头市")
    run(runner, "grant", bt, "-p", "bt-2022", "--on", "2022-09-01")
    refuse(
        "confirm",
        bt,
        "-p",
        "bt-2022",
        "--cycle",
        "self_evaluation",
        "--year",
        this_year,
        "--by",
        "包头市人社局",
        says=f"{this_year} 年尚未结束",
    )


def test_certify_an_unfinished_year_only_as_an_explicit_mid_year_check(runner, nanning, refuse):
    this_year = TODAY.year
    refuse("certify", nanning, "-p", "gx-2021", "--year", this_year, says=("尚未结束", "--as-of"))
    refuse("certify", nanning, "-p", "gx-2021", "--as-of", str(TOMORROW), says="晚于今天")
    refuse(
        "certify",
        nanning,
        "-p",
        "gx-2021",
        "--year",
        this_year + 1,
        "--as-of",
        str(TODAY),
        says="尚未开始",
    )
    mid = as_json(
        runner,
        "certify",
        nanning,
        "-p",
        "gx-2021",
        "--year",
        this_year,
        "--as-of",
        str(TODAY),
        code=1,
    )
    assert mid["revenue_year_complete"] is False and "尚未结束" in mid["warnings"][0]
    done = as_json(runner, "certify", nanning, "-p", "gx-2021", "--year", 2024)
    assert done["revenue_year_complete"] is True


# --------------------------------------------------------------------------- attestation ids


def test_a_misspelt_attestation_id_is_an_error_naming_the_row(runner, write_dossier, refuse):
    dossier = make_dossier(code="typo")
    dossier["attestations"]["gx_digital"] = dossier["attestations"].pop("gx_digital_park")
    result = refuse(
        "import",
        write_dossier(dossier, "typo.yaml"),
        says=("attestations.gx_digital", "gx_digital_park"),
    )
    assert "未知的条件编号 “gx_digital”" in result.stderr


def test_a_misspelt_attestation_id_in_a_workbook_names_sheet_row_and_column(
    runner, tmp_path, refuse
):
    from parkeval.intake.template import write_dossier

    dossier = make_dossier(code="typo-xlsx")
    dossier["attestations"]["gx_digital"] = dossier["attestations"].pop("gx_digital_park")
    path = tmp_path / "typo.xlsx"
    write_dossier(path, dossier)
    sheet = load_workbook(path)["定性材料"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "gx_digital")
    refuse("import", path, says=f"工作表「定性材料」 第 {row} 行 A 列「条件编号」")


def test_an_unknown_id_for_a_park_no_loaded_policy_covers_is_a_warning(runner, write_dossier):
    dossier = make_dossier(code="sz")
    dossier["park"].update(province="广东省", city="深圳市")
    dossier["attestations"]["sz_special"] = {"met": True, "evidence": "深圳材料.pdf"}
    result = run(runner, "import", write_dossier(dossier, "sz.yaml"))
    assert (
        "sz_special" in result.stdout + result.stderr
        and "--policy-file" in result.stdout + result.stderr
    )
    [summary] = as_json(runner, "import", write_dossier(dossier, "sz.yaml"))
    assert summary["warnings"] and "sz_special" in summary["warnings"][0]


# --------------------------------------------------------------------------- corrections


def _record_everything(runner, park):
    ids = {}
    ids["application"] = as_json(
        runner, "apply", park, "-p", "gx-2021", "--received", "2021-01-10"
    )["id"]
    ids["grant"] = as_json(
        runner,
        "grant",
        park,
        "-p",
        "gx-2021",
        "--on",
        "2021-06-01",
        "--doc-no",
        "桂人社函〔2021〕9号",
    )["id"]
    ids["rating"] = as_json(
        runner,
        "rate",
        park,
        "-p",
        "gx-2021",
        "--cycle",
        "annual",
        "--year",
        2022,
        "--rating",
        "不合格",
        "--date",
        "2023-03-20",
    )["id"]
    ids["rectification"] = as_json(
        runner,
        "rectified",
        park,
        "-p",
        "gx-2021",
        "--cycle",
        "annual",
        "--year",
        2022,
        "--on",
        "2023-05-01",
    )["id"]
    ids["proposal"] = as_json(
        runner, "assess", park, "-p", "gx-2021", "--cycle", "annual", "--year", 2023, "--save"
    )["proposal_id"]
    ids["confirmation"] = as_json(
        runner,
        "confirm",
        park,
        "-p",
        "gx-2021",
        "--cycle",
        "annual",
        "--year",
        2023,
        "--by",
        "南宁市人社局",
        "--on",
        "2024-02-01",
    )["id"]
    ids["target"] = as_json(
        runner, "target", park, "--year", 2024, "--hr", 30, "--filed-on", "2024-03-01"
    )["id"]
    ids["waiver"] = as_json(
        runner,
        "waive",
        park,
        "-p",
        "gx-2021",
        "--criterion",
        "branch_limit",
        "--reason",
        "历史遗留",
        "--by",
        "南宁市人社局",
    )["id"]
    return ids


@pytest.mark.parametrize(
    "kind",
    [
        "grant",
        "rating",
        "proposal",
        "rectification",
        "confirmation",
        "application",
        "target",
        "waiver",
    ],
)
def test_void_withdraws_a_record_keeps_it_and_logs_both(runner, nanning, refuse, kind):
    ids = _record_everything(runner, nanning)
    before = as_json(runner, "status", nanning, "--include-voided")
    assert before["voided"] == []
    voided = as_json(
        runner, "void", kind, ids[kind], "--reason", "录入错误", "--by", "南宁市人社局"
    )
    assert (voided["kind"], voided["record_id"], voided["park"]) == (kind, ids[kind], nanning)
    after = as_json(runner, "status", nanning, "--include-voided")
    assert [(v["kind"], v["record_id"], v["reason"]) for v in after["voided"]] == [
        (kind, ids[kind], "录入错误")
    ]
    assert "voided" not in as_json(runner, "status", nanning)
    effect = {
        "grant": lambda s: s["certifications"] == [],
        "rating": lambda s: [h["period"] for h in s["certifications"][0]["history"][1:]] == [],
        "rectification": lambda s: s["certifications"][0]["rectifications"] == [],
        "confirmation": lambda s: s["certifications"][0]["confirmations"] == [],
        "application": lambda s: s["applications"] == [],
        "target": lambda s: s["targets"] == [],
        "waiver": lambda s: s["waivers"] == [],
        "proposal": lambda s: s["certifications"][0]["proposals"] == [],
    }[kind]
    assert not effect(before) and effect(after)
    log = as_json(runner, "log", nanning)
    assert log[0]["action"] == "void" and f"#{ids[kind]}" in log[0]["detail"]
    action = {
        "grant": "grant",
        "rating": "rate",
        "rectification": "rectified",
        "confirmation": "confirm",
        "application": "apply",
        "target": "target",
        "waiver": "waive",
        "proposal": "assess",
    }[kind]
    assert any(e["action"] == action and f"#{ids[kind]}" in (e["detail"] or "") for e in log[1:])
    refuse("void", kind, ids[kind], "--reason", "再次", says="未重复撤销")


def test_an_amended_record_is_a_void_plus_a_new_record(runner, nanning):
    wrong = as_json(
        runner,
        "grant",
        nanning,
        "-p",
        "gx-2021",
        "--on",
        "2021-06-01",
        "--doc-no",
        "桂人社函〔2021〕99号",
    )
    run(runner, "void", "grant", wrong["id"], "--reason", "文号录错")
    right = as_json(
        runner,
        "grant",
        nanning,
        "-p",
        "gx-2021",
        "--on",
        "2021-06-01",
        "--doc-no",
        "桂人社函〔2021〕9号",
    )
    status = as_json(runner, "status", nanning, "--include-voided")
    assert [c["doc_no"] for c in status["certifications"]] == ["桂人社函〔2021〕9号"]
    assert status["certifications"][0]["id"] == right["id"] != wrong["id"]
    assert "桂人社函〔2021〕99号" in status["voided"][0]["what"]


def test_void_refuses_unknown_kinds_ids_and_dossier_records(runner, write_dossier, refuse):
    refuse("void", "rating", 999, "--reason", "x", says="没有编号为 999 的正式等次记录")
    refuse("void", "banana", 1, "--reason", "x", says=("未知的记录类型", "grant"))
    dossier = make_dossier(code="hist")
    dossier["certifications"] = [{"policy": "gx-2021", "certified_on": "2021-06-15"}]
    run(runner, "import", write_dossier(dossier, "hist.yaml"))
    grant_id = as_json(runner, "status", "hist")["certifications"][0]["id"]
    refuse("void", "grant", grant_id, "--reason", "x", says="来自园区 hist 的档案")
    refuse("void", "grant", grant_id, "--reason", "  ", says="--reason 不能为空")


def test_a_reimport_voids_the_history_rows_the_dossier_no_longer_has(
    runner, write_dossier, settings
):
    dossier = make_dossier(code="hist")
    dossier["certifications"] = [{"policy": "gx-2021", "certified_on": "2021-06-15"}]
    dossier["assessments"] = [
        {
            "policy": "gx-2021",
            "cycle": "annual",
            "year": 2022,
            "rating": "合格",
            "rated_on": "2023-03-01",
        }
    ]
    run(runner, "import", write_dossier(dossier, "a.yaml"))
    first = as_json(runner, "status", "hist", "--include-voided")
    run(runner, "import", write_dossier(dossier, "b.yaml"))  # unchanged rows stay as they are
    assert as_json(runner, "status", "hist", "--include-voided") == first
    dossier["assessments"][0]["rating"] = "优秀"
    run(runner, "import", write_dossier(dossier, "c.yaml"))
    after = as_json(runner, "status", "hist", "--include-voided")
    assert after["certifications"][0]["history"][-1]["rating"] == "优秀"
    assert [(v["kind"], "档案重新导入" in v["reason"]) for v in after["voided"]] == [
        ("rating", True)
    ]


# --------------------------------------------------------------------------- retired parks


def test_a_retired_park_is_kept_but_left_out_of_lists_and_all(
    runner, write_dossier, nanning, tmp_path
):
    other = park_in(runner, write_dossier, "lz", "广西壮族自治区", "柳州市")
    retired = as_json(runner, "retire", other, "--reason", "园区撤并", "--by", "柳州市人社局")
    assert [p["code"] for p in as_json(runner, "parks")] == [nanning]
    assert {p["code"]: p["retired"] for p in as_json(runner, "parks", "--include-retired")} == {
        nanning: False,
        other: True,
    }
    listed = run(runner, "certify", "--all", "-p", "gx-2021", "--year", 2024, "--json")
    assert [r["park"] for r in json.loads(listed.stdout)] == [
        nanning
    ] and "1 个园区已停用" in listed.stderr
    assert [r["park"] for r in as_json(runner, "due", "--all")] == [nanning]
    run(
        runner,
        "report",
        "--all",
        "-p",
        "gx-2021",
        "--year",
        2024,
        "--out-dir",
        tmp_path / "r",
        "--workers",
        1,
    )
    assert sorted(p.name for p in (tmp_path / "r").glob("*.pdf")) == [
        "nn-gx-2021-2024-certification.pdf",
        "summary-gx-2021-2024.pdf",
    ]
    assert (
        as_json(runner, "status", other)["retired"]["reason"] == "园区撤并"
    )  # still there by name
    run(runner, "void", "retirement", retired["id"], "--reason", "撤并取消")
    assert [p["code"] for p in as_json(runner, "parks")] == ["lz", nanning]


# --------------------------------------------------------------------------- reports


def test_a_report_tells_the_state_as_of_its_own_date(runner, write_dossier, tmp_path):
    park = park_in(runner, write_dossier, "gxf", "广西壮族自治区", "南宁市")
    run(runner, "grant", park, "-p", "gx-2021", "--on", "2021-06-01")
    for year, date in ((2022, "2023-03-20"), (2023, "2024-03-20")):
        run(
            runner,
            "rate",
            park,
            "-p",
            "gx-2021",
            "--cycle",
            "annual",
            "--year",
            year,
            "--rating",
            "不合格",
            "--date",
            date,
        )
    wrong = as_json(
        runner,
        "confirm",
        park,
        "-p",
        "gx-2021",
        "--cycle",
        "annual",
        "--year",
        2022,
        "--by",
        "南宁市人社局",
        "--on",
        "2023-03-25",
    )
    run(runner, "void", "confirmation", wrong["id"], "--reason", "单位录错")
    pdf = tmp_path / "a.pdf"
    run(
        runner,
        "report",
        park,
        "-p",
        "gx-2021",
        "--year",
        2023,
        "--kind",
        "assessment",
        "--date",
        "2024-06-30",
        "--out",
        pdf,
    )
    payload = json.loads(PdfReader(pdf).attachments["parkeval-result.json"][0])
    status = as_json(runner, "status", park, "--as-of", "2024-06-30", "--include-voided")
    assert (
        payload["status"] == status and payload["status"]["certifications"][0]["state"] == "revoked"
    )
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "已取消" in text and "认定状态：有效" not in text.replace(" ", "")
    assert "已撤销的记录" in text and "单位录错" in text
    earlier = tmp_path / "b.pdf"
    run(
        runner,
        "report",
        park,
        "-p",
        "gx-2021",
        "--year",
        2023,
        "--as-of",
        "2023-12-31",
        "--date",
        "2024-01-15",
        "--out",
        earlier,
    )
    early = json.loads(PdfReader(earlier).attachments["parkeval-result.json"][0])
    assert early["status"]["certifications"][0]["state"] == "rectifying"
    assert "一致" in run(runner, "verify", earlier).stdout
    refuse_early = run(
        runner, "report", park, "-p", "gx-2021", "--year", 2023, "--date", "2023-06-01", code=2
    )
    assert "早于统计日" in refuse_early.stderr
