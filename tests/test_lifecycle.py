"""The pure rules of a park's life (parkeval.lifecycle): states, flags, checks, due items."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from parkeval.domain import lifecycle as lc
from parkeval.errors import ConflictError, ParkevalError
from parkeval.policy.loader import load_registry

D = dt.date
GX_ON = D(2021, 6, 15)
BT_ON = D(2022, 9, 1)
FAR = D(2030, 1, 1)


@pytest.fixture(scope="module")
def policies():
    return load_registry().policies


def gx_cert(on=GX_ON):
    return lc.CertificationRecord("gx-2021", on)


def annual(year, rating, on=None, **kw):
    return lc.AssessmentRecord("gx-2021", "annual", year, rating, on or D(year + 1, 3, 20), **kw)


def biennial(year, rating, on=None):
    return lc.AssessmentRecord("bt-2022", "biennial", year, rating, on or D(year + 1, 4, 10))


def state(policies, certs, assessments, as_of=FAR):
    states = lc.derive_states(policies, certs, assessments, as_of)
    return states[-1]


# ---------------------------------------------------------------- ratings


@pytest.mark.parametrize(
    "word,expected",
    [
        ("优秀", "优秀"),
        ("合格", "合格"),
        ("不合格", "不合格"),
        ("excellent", "优秀"),
        ("Pass", "合格"),
        ("FAIL", "不合格"),
        (" 合格 ", "合格"),
    ],
)
def test_rating_words(word, expected):
    assert lc.normalise_rating(word) == expected


@pytest.mark.parametrize("word", ["良好", "good", "", None, "不 合格"])
def test_unknown_rating_word_is_a_parkeval_error(word):
    with pytest.raises(ParkevalError, match="等次"):
        lc.normalise_rating(word)


# ---------------------------------------------------------------- gx revocation


def test_gx_two_consecutive_fails_revoke_at_second_rating(policies):
    st = state(
        policies, [gx_cert()], [annual(2022, "不合格"), annual(2023, "不合格", on=D(2024, 3, 25))]
    )
    assert st.state == "revoked"
    assert st.revoked_on == D(2024, 3, 25)
    assert "第十四条" in st.revoke_reason and "2022、2023" in st.revoke_reason
    assert st.reapply_after is None  # gx sets no lockout
    assert st.flags == []


def test_gx_revocation_takes_effect_on_the_second_rating_date(policies):
    history = [annual(2022, "不合格"), annual(2023, "不合格", on=D(2024, 3, 25))]
    before = state(policies, [gx_cert()], history, as_of=D(2024, 3, 24))
    assert before.state == "rectifying"
    assert state(policies, [gx_cert()], history, as_of=D(2024, 3, 25)).state == "revoked"


def test_gx_fail_pass_fail_is_not_revoked(policies):
    st = state(
        policies,
        [gx_cert()],
        [annual(2022, "不合格"), annual(2023, "合格"), annual(2024, "不合格")],
    )
    assert st.state == "rectifying"


def test_gx_missing_year_breaks_the_streak(policies):
    st = state(policies, [gx_cert()], [annual(2022, "不合格"), annual(2024, "不合格")])
    assert st.state == "rectifying"


def test_gx_status_is_the_same_whatever_order_history_was_entered(policies):
    history = [
        annual(2021, "合格"),
        annual(2022, "优秀"),
        annual(2023, "不合格"),
        annual(2024, "不合格"),
    ]
    results = {
        repr(state(policies, [gx_cert()], list(p)).to_dict())
        for p in itertools.permutations(history)
    }
    assert len(results) == 1


# ---------------------------------------------------------------- gx rectification & flags


def test_rectification_due_comes_from_the_policy_local_setting(policies):
    st = state(
        policies, [gx_cert()], [annual(2023, "不合格", on=D(2024, 3, 1))], as_of=D(2024, 4, 1)
    )
    days = policies["gx-2021"].setting("rectification_days")
    assert st.state == "rectifying"
    assert st.rectification_due == D(2024, 3, 1) + dt.timedelta(days=days)


def test_rectification_closes_when_completed_or_rated_again(policies):
    done = annual(2023, "不合格", on=D(2024, 3, 1), rectified_on=D(2024, 5, 1))
    assert state(policies, [gx_cert()], [done], as_of=D(2024, 4, 30)).state == "rectifying"
    assert state(policies, [gx_cert()], [done], as_of=D(2024, 5, 1)).state == "active"
    assert (
        state(policies, [gx_cert()], [annual(2023, "不合格"), annual(2024, "合格")]).state
        == "active"
    )


def test_three_consecutive_annual_excellent_gives_priority_support(policies):
    two = [annual(2022, "优秀"), annual(2023, "优秀")]
    assert state(policies, [gx_cert()], two).flags == []
    assert state(policies, [gx_cert()], two + [annual(2024, "优秀")]).flags == ["priority_support"]
    gap = [annual(2021, "优秀"), annual(2022, "优秀"), annual(2024, "优秀")]
    assert state(policies, [gx_cert()], gap).flags == []


def test_comprehensive_excellent_gives_priority_support(policies):
    comp = lc.AssessmentRecord("gx-2021", "comprehensive", 2024, "优秀", D(2024, 7, 1))
    st = state(policies, [gx_cert()], [comp])
    assert st.flags == ["priority_support"]
    assert st.history[-1].article == "第十四条"


# ---------------------------------------------------------------- bt


def bt_cert(on=BT_ON):
    return lc.CertificationRecord("bt-2022", on)


def test_bt_two_consecutive_biennial_fails_revoke_with_three_year_lockout(policies):
    st = state(
        policies,
        [bt_cert()],
        [biennial(2023, "不合格"), biennial(2025, "不合格", on=D(2026, 4, 10))],
    )
    assert st.state == "revoked"
    assert st.revoked_on == D(2026, 4, 10)
    assert st.reapply_after == D(2029, 4, 10)
    assert "第九条" in st.revoke_reason


def test_bt_failed_self_evaluation_never_revokes(policies):
    selfs = [
        lc.AssessmentRecord("bt-2022", "self_evaluation", y, "不合格", D(y + 1, 3, 1))
        for y in (2022, 2023, 2024)
    ]
    st = state(policies, [bt_cert()], selfs)
    assert st.state == "active" and st.rectification_due is None


def test_bt_biennial_excellent_is_commended(policies):
    assert state(policies, [bt_cert()], [biennial(2023, "优秀")]).flags == ["commended"]


def test_bt_regrant_refused_before_reapply_after_and_allowed_on_it(policies):
    bt = policies["bt-2022"]
    history = [biennial(2023, "不合格"), biennial(2025, "不合格", on=D(2026, 4, 10))]
    with pytest.raises(ConflictError, match="2029-04-10"):
        lc.check_grant(bt, [bt_cert()], history, D(2029, 4, 9))
    lc.check_grant(bt, [bt_cert()], history, D(2029, 4, 10))


def test_grant_refused_while_certification_in_force(policies):
    with pytest.raises(ConflictError, match="仍然有效"):
        lc.check_grant(policies["gx-2021"], [gx_cert()], [], D(2023, 1, 1))


# ---------------------------------------------------------------- rating checks


def test_rating_checks(policies):
    gx = policies["gx-2021"]
    annual_cycle = gx.cycle("annual")
    with pytest.raises(ConflictError, match="尚未获"):
        lc.check_rating(gx, annual_cycle, [gx_cert()], [], year=2020)
    lc.check_rating(
        gx, annual_cycle, [gx_cert()], [], year=2021
    )  # the year of certification counts
    with pytest.raises(ConflictError, match="已有正式等次"):
        lc.check_rating(gx, annual_cycle, [gx_cert()], [annual(2022, "合格")], year=2022)
    revoked = [annual(2022, "不合格"), annual(2023, "不合格")]
    with pytest.raises(ConflictError, match="取消"):
        lc.check_rating(gx, annual_cycle, [gx_cert()], revoked, year=2024)
    lc.check_rating(
        gx, annual_cycle, [gx_cert()], revoked, year=2021
    )  # back-filling history is fine


def test_expiry_warning_only_after_the_end_date(policies):
    bt = policies["bt-2022"]
    assert lc.expiry_warning(bt, 2025) is None
    assert "已于 2025年12月31日 失效" in lc.expiry_warning(bt, 2026)
    assert lc.expiry_warning(policies["gx-2021"], 2040) is None


# ---------------------------------------------------------------- due


def test_gx_due_items(policies):
    gx = policies["gx-2021"]
    st = state(policies, [gx_cert(D(2021, 6, 15))], [], as_of=D(2024, 3, 1))
    items = lc.due_items(
        gx, st, [], [lc.TargetRecord(2022), lc.TargetRecord(2023)], as_of=D(2024, 3, 1), within=60
    )
    whats = {(i.what, i.due_date, i.overdue) for i in items}
    assert ("2021年度考核（自评报告）", D(2022, 3, 31), True) in whats
    assert ("2023年度考核（自评报告）", D(2024, 3, 31), False) in whats
    assert ("2024年度发展目标报备", D(2024, 3, 31), False) in whats
    assert not any("2022 年度发展目标" in i.what for i in items)
    # targets for the year of certification were due before it: not owed
    assert not any("2021 年度发展目标" in i.what for i in items)
    comp = [i for i in items if "综合评估" in i.what]
    assert comp == []  # 2024-06-15 is beyond the 60-day window
    later = lc.due_items(gx, st, [], [], as_of=D(2024, 5, 1), within=60)
    assert any(i.what.startswith("综合评估") and i.due_date == D(2024, 6, 15) for i in later)


def test_application_deadlines(policies):
    gx = policies["gx-2021"]
    app = lc.ApplicationRecord("gx-2021", D(2024, 1, 1))
    items = lc.application_due(gx, app, as_of=D(2024, 1, 10), within=60)
    assert [(i.due_date, i.article) for i in items] == [
        (D(2024, 2, 15), "第六条（二）"),
        (D(2024, 2, 22), "第六条（三）"),
    ]


def test_policy_expiry_due(policies):
    bt = policies["bt-2022"]
    assert lc.policy_expiry_due(bt, as_of=D(2025, 6, 1), within=30) is None
    soon = lc.policy_expiry_due(bt, as_of=D(2025, 12, 1), within=60)
    assert soon and not soon.overdue and "即将失效" in soon.what
    past = lc.policy_expiry_due(bt, as_of=D(2026, 1, 2), within=0)
    assert past and past.overdue
