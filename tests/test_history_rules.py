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
    # nothing written: not even the park
    assert "nn" not in run(runner, "parks").stdout

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
