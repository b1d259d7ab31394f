"""The rules every recorded fact of a park's life must pass, whichever way it arrives: a
command (grant, rate, confirm, rectified, target, apply) or a dossier's history sections."""

from __future__ import annotations

import json

import pytest

from parkeval.cli import app
from tests.conftest import make_dossier

TODAY = "2026-11-24"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("PARKEVAL_TODAY", TODAY)


def run(runner, *args, code=0):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "400"})
    assert result.exit_code == code, (result.output, getattr(result, "stderr", ""))
    return result


def status(runner, park, *extra):
    return json.loads(run(runner, "status", park, "--json", *extra).stdout)


def test_import_refuses_history_rows_the_commands_refuse_and_writes_nothing(runner, write_dossier):
    dossier = make_dossier(code="nn")  # in Nanning, 广西: bt-2022 (包头市) does not apply
    dossier["certifications"] = [
        {"policy": "bt-2022", "certified_on": "2019-01-01"},
        {"policy": "gx-2021", "certified_on": "2021-06-15"},
        {"policy": "gx-2021", "certified_on": "2026-12-01"},
    ]
    dossier["assessments"] = [
        {
            "policy": "bt-2022",
            "cycle": "biennial",
            "year": 2020,
            "rating": "不合格",
            "rated_on": "2020-06-01",
        }
    ]
    dossier["targets"] = [{"year": 2027, "revenue_yuan": "6亿", "filed_on": "2027-03-01"}]
    bad = run(runner, "import", write_dossier(dossier, "it.yaml"), code=2)
    err = bad.stderr
    # outside the jurisdiction, with no way to give a reason in a dossier
    assert "certifications[0].policy" in err and "不在《" in err and "parkeval grant" in err
    # a date in the future, and a second title while the first is in force
    assert "certifications[2].certified_on" in err and "晚于今天" in err
    # rated before its period ended
    assert "assessments[0].rated_on" in err and "考核期结束后才能评定" in err
    assert "targets[0].filed_on" in err and "晚于今天" in err
    assert "Traceback" not in bad.output
    # nothing written: not even the park (nor the new database the import had opened)
    parks = run(runner, "parks", code=2)
    assert "数据库文件不存在" in parks.stderr or "还是空的" in parks.stderr

    # the same rows one by one through the commands are refused with the same words
    ok = make_dossier(code="nn")
    run(runner, "import", write_dossier(ok, "ok.yaml"))
    refused = run(runner, "grant", "nn", "-p", "bt-2022", "--on", "2019-01-01", code=2)
    assert "不在《" in refused.stderr
    run(runner, "grant", "nn", "-p", "gx-2021", "--on", "2021-06-15")
    second = run(runner, "grant", "nn", "-p", "gx-2021", "--on", "2024-01-01", code=2)
    assert "仍然有效" in second.stderr


def test_import_of_a_second_title_while_one_is_in_force_is_refused(runner, write_dossier):
    dossier = make_dossier(code="two")
    dossier["certifications"] = [
        {"policy": "gx-2021", "certified_on": "2021-06-15"},
        {"policy": "gx-2021", "certified_on": "2024-01-01"},
    ]
    bad = run(runner, "import", write_dossier(dossier), code=2)
    assert "certifications[1].certified_on" in bad.stderr and "仍然有效" in bad.stderr


def test_import_refuses_a_rating_after_revocation_and_a_confirmation_before_its_year_ended(
    runner, write_dossier
):
    dossier = make_dossier(code="rv")
    dossier["certifications"] = [{"policy": "gx-2021", "certified_on": "2021-06-15"}]
    dossier["assessments"] = [
        {
            "policy": "gx-2021",
            "cycle": "annual",
            "year": y,
            "rating": "不合格",
            "rated_on": f"{y + 1}-03-20",
        }
        for y in (2022, 2023, 2024)
    ] + [
        {
            "policy": "gx-2021",
            "cycle": "annual",
            "year": 2026,
            "proposed_rating": "合格",
            "confirmed_by": "南宁市人社局",
        }
    ]
    bad = run(runner, "import", write_dossier(dossier), code=2)
    assert "assessments[2].year" in bad.stderr and "已于 2024-03-20 取消" in bad.stderr
    assert "assessments[3].year" in bad.stderr and "2026 年尚未结束" in bad.stderr
    assert "assessments[0]" not in bad.stderr and "assessments[1]" not in bad.stderr
    # without the offending rows it imports, and is revoked as the commands would have it
    dossier["assessments"] = dossier["assessments"][:2]
    run(runner, "import", write_dossier(dossier))
    assert status(runner, "rv")["certifications"][0]["state"] == "revoked"


# --------------------------------------------------------------------------- periods (review 7)


@pytest.fixture
def bt_park(runner, write_dossier):
    dossier = make_dossier(code="bt")
    dossier["park"].update(province="内蒙古自治区", city="包头市")
    run(runner, "import", write_dossier(dossier, "bt.yaml"))
    return "bt"


def biennial(runner, park, year, date, code=0):
    return run(
        runner, "rate", park, "-p", "bt-2022", "--cycle", "biennial", "--year", year,
        "--rating", "不合格", "--date", date, code=code,
    )  # fmt: skip


def test_biennial_periods_run_from_the_year_of_recognition_without_overlap(runner, bt_park):
    run(runner, "grant", bt_park, "-p", "bt-2022", "--on", "2023-01-01")
    before = biennial(runner, bt_park, 2023, "2024-01-20", code=2)  # 2022—2023: before the grant
    assert "2022—2023 不是" in before.stderr and "2024（2023—2024）" in before.stderr
    biennial(runner, bt_park, 2024, "2025-01-20")
    overlap = biennial(runner, bt_park, 2025, "2026-01-20", code=2)  # 2024—2025 shares 2024
    assert "不是定期考核评估的考核期" in overlap.stderr and "2025—2026" in overlap.stderr
    cert = status(runner, bt_park)["certifications"][0]
    assert cert["state"] == "rectifying" and cert["reapply_after"] is None
    assert [h["period"] for h in cert["history"]] == [None, "2023-2024"]


def test_comprehensive_periods_are_three_years_from_the_year_of_recognition(runner, write_dossier):
    run(runner, "import", write_dossier(make_dossier(code="gx")))
    run(runner, "grant", "gx", "-p", "gx-2021", "--on", "2021-06-15")

    def comprehensive(year, code=0):
        return run(
            runner, "rate", "gx", "-p", "gx-2021", "--cycle", "comprehensive", "--year", year,
            "--rating", "合格", "--date", f"{year + 1}-07-01", code=code,
        )  # fmt: skip

    assert "2023（2021—2023）" in comprehensive(2022, code=2).stderr  # 2020—2022
    comprehensive(2024, code=2)  # 2022—2024 overlaps 2021—2023
    comprehensive(2023)
    # a dossier's row is refused by the same rule, naming the row and field
    dossier = make_dossier(code="gx2")
    dossier["certifications"] = [{"policy": "gx-2021", "certified_on": "2021-06-15"}]
    dossier["assessments"] = [
        {"policy": "gx-2021", "cycle": "comprehensive", "year": 2022, "rating": "合格",
         "rated_on": "2023-07-01"}
    ]  # fmt: skip
    bad = run(runner, "import", write_dossier(dossier, "gx2.yaml"), code=2)
    assert "assessments[0].year" in bad.stderr and "不是综合评估的考核期" in bad.stderr


# --------------------------------------------------------------------------- entry order (review 8)


def test_a_rating_that_would_hide_a_recorded_later_rating_is_refused(runner, write_dossier):
    run(runner, "import", write_dossier(make_dossier(code="o")))
    run(runner, "grant", "o", "-p", "gx-2021", "--on", "2021-02-01")

    def annual(year, code=0):
        return run(
            runner, "rate", "o", "-p", "gx-2021", "--cycle", "annual", "--year", year,
            "--rating", "不合格", "--date", f"{year + 1}-03-20", code=code,
        )  # fmt: skip

    annual(2024)
    annual(2023)  # revoked on 2025-03-20 (2023 and 2024)
    refused = annual(2022, code=2)  # 2022 and 2023 would revoke on 2024-03-20, hiding 2024
    assert "2024" in refused.stderr and "取消之后" in refused.stderr
    assert "parkeval void rating" in refused.stderr
    cert = status(runner, "o")["certifications"][0]
    # every rating in force is shown, with its id
    assert [h["period"] for h in cert["history"][1:]] == ["2023", "2024"]
    assert cert["revoked_on"] == "2025-03-20"


# --------------------------------------------------------------------------- lists (review 6)


def test_a_title_granted_outside_the_jurisdiction_stays_in_the_bureaus_lists(runner, write_dossier):
    run(runner, "import", write_dossier(make_dossier(code="nn")))  # in Nanning, not Baotou
    run(
        runner, "grant", "nn", "-p", "bt-2022", "--on", "2023-01-01", "--doc-no", "X",
        "--outside-jurisdiction", "跨地区试点",
    )  # fmt: skip
    due_one = json.loads(run(runner, "due", "nn", "--json").stdout)
    assert any(i["policy"] == "bt-2022" for i in due_one["due"])
    due_all = json.loads(run(runner, "due", "--all", "--policy", "bt-2022", "--json").stdout)
    assert [p["park"] for p in due_all] == ["nn"]
    assert due_all[0]["due"] == [i for i in due_one["due"] if i["policy"] == "bt-2022"]
    status_all = json.loads(run(runner, "status", "--all", "--policy", "bt-2022", "--json").stdout)
    assert [p["park"] for p in status_all] == ["nn"]
    # a park elsewhere without a title under the policy is still left out, and said so
    run(runner, "import", write_dossier(make_dossier(code="other"), "other.yaml"))
    listed = run(runner, "due", "--all", "--policy", "bt-2022", "--json")
    assert [p["park"] for p in json.loads(listed.stdout)] == ["nn"]
    assert "1 个园区不在" in listed.stderr


# --------------------------------------------------------------------------- who decided (review 9)


def test_a_voiding_never_records_the_operating_system_account(
    runner, write_dossier, monkeypatch, tmp_path
):
    import getpass
    from io import BytesIO

    from pypdf import PdfReader

    account = "系统账户-不应出现"
    monkeypatch.setattr(getpass, "getuser", lambda: account)
    monkeypatch.setenv("PARKEVAL_TODAY", "2025-06-30")
    monkeypatch.chdir(tmp_path)  # the demo writes its sample report here
    run(runner, "demo")
    body = status(runner, "gx-pass")["certifications"][0]["history"][1]["by"]
    assert body == "自治区人力资源社会保障厅"
    before = len(status(runner, "gx-pass", "--include-voided")["voided"])  # the demo's own
    # no --by: the body that gave the rating decided its correction
    run(runner, "void", "rating", 1, "--reason", "录错")
    out = tmp_path / "r.pdf"
    run(runner, "report", "gx-pass", "-p", "gx-2021", "--year", 2024, "--out", out)
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(out.read_bytes())).pages)
    assert "录错" in text and account not in text
    # a grant: the policy's rating body (本地设置 rating_body), as for rate without --by
    run(runner, "void", "grant", 2, "--reason", "文号录错")
    voided = status(runner, "gx-pass", "--include-voided")["voided"]
    by = {(v["kind"], v["record_id"]): v["by"] for v in voided}
    assert len(by) == before + 2
    assert (by[("rating", 1)], by[("grant", 2)]) == (body, "广西壮族自治区人力资源和社会保障厅")
    # nothing to name the body after: ask, as rate does
    run(runner, "target", "gx-pass", "--year", 2025, "--hr", 35)
    target = status(runner, "gx-pass")["targets"][-1]["id"]
    asked = run(runner, "void", "target", target, "--reason", "录错", code=2)
    assert "--by" in asked.stderr
    assert "--by" in run(runner, "retire", "gx-pass", "--reason", "撤并", code=2).stderr
    # a re-import withdraws rows on behalf of the park's operator, who supplied the dossier
    dossier = make_dossier(code="hist")
    dossier["certifications"] = [{"policy": "gx-2021", "certified_on": "2021-06-15"}]
    run(runner, "import", write_dossier(dossier))
    dossier["certifications"][0]["doc_no"] = "桂1"
    run(runner, "import", write_dossier(dossier))
    voided = status(runner, "hist", "--include-voided")["voided"]
    assert [v["by"] for v in voided] == ["测试运营有限公司"]
    assert account not in json.dumps(status(runner, "gx-pass", "--include-voided"))


# --------------------------------------------------------------------------- confirm, apply (review 14)


def test_a_confirmation_is_not_dated_before_the_rating_it_confirms(runner, write_dossier):
    run(runner, "import", write_dossier(make_dossier(code="c")))
    run(runner, "grant", "c", "-p", "gx-2021", "--on", "2021-06-15")
    run(
        runner, "rate", "c", "-p", "gx-2021", "--cycle", "annual", "--year", 2023,
        "--rating", "合格", "--date", "2024-03-20",
    )  # fmt: skip
    confirm = ("confirm", "c", "-p", "gx-2021", "--cycle", "annual", "--year", 2023)
    early = run(runner, *confirm, "--by", "南宁市人社局", "--on", "2024-03-01", code=2)
    assert "2024-03-01" in early.stderr and "2024-03-20" in early.stderr
    run(runner, *confirm, "--by", "南宁市人社局", "--on", "2024-03-20")
    # a dossier row is held to the same rule
    dossier = make_dossier(code="d")
    dossier["certifications"] = [{"policy": "gx-2021", "certified_on": "2021-06-15"}]
    dossier["assessments"] = [
        {"policy": "gx-2021", "cycle": "annual", "year": 2023, "rating": "合格",
         "rated_on": "2024-03-20", "confirmed_by": "南宁市人社局", "confirmed_on": "2024-03-01"}
    ]  # fmt: skip
    bad = run(runner, "import", write_dossier(dossier, "d.yaml"), code=2)
    assert "assessments[0].confirmed_on" in bad.stderr


def test_apply_checks_the_jurisdiction_and_refuses_the_same_application_twice(
    runner, write_dossier
):
    run(runner, "import", write_dossier(make_dossier(code="nn")))  # Nanning
    outside = run(runner, "apply", "nn", "-p", "bt-2022", "--received", "2024-01-02", code=2)
    assert "不在《" in outside.stderr and "适用范围" in outside.stderr
    apply = ("apply", "nn", "-p", "gx-2021", "--received", "2024-01-02")
    run(runner, *apply)
    again = run(runner, *apply, code=2)
    assert "已记录" in again.stderr
    due = json.loads(run(runner, "due", "nn", "--as-of", "2024-02-20", "--json").stdout)["due"]
    assert [d["due_date"] for d in due] == ["2024-02-16", "2024-02-23"]
