"""Development goals: the goal files and their strict loader, every goal of the four documents
against figures that just meet and just miss it, the boundary words (突破/超过 vs 以上/达到), the
required yearly growth, 无记录 never a pass, a city goal as the sum of its parks, and the
command, status, due and the report's 发展目标 section."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from parkeval.app.settings import Settings
from parkeval.cli import app
from parkeval.domain.facts import ParkFacts, SiteFacts, SiteTally, Tally, YearTally
from parkeval.domain.goals import evaluate_goal, goal_due_items, required_growth
from parkeval.errors import PolicyError
from parkeval.policy.goals import (
    GOALS_PATH_ENV,
    GoalSet,
    goal_quantities,
    load_goal_file,
    load_goal_registry,
    read_goal_file,
)
from parkeval.policy.loader import load_registry

BUILTIN = load_goal_registry()
AS_OF = dt.date(2025, 6, 30)
BAOTOU = {"province": "内蒙古自治区", "city": "包头市"}


def park(
    code: str = "p",
    *,
    institutions: int = 0,
    firms: int | None = None,
    revenue: dict[int, Any] | None = None,
    unreported: int = 0,
    area: Any = None,
    core_area: Any = None,
    as_of: dt.date = AS_OF,
) -> ParkFacts:
    """A park's facts as the database would tally them."""
    firms = institutions if firms is None else firms
    sites = [
        SiteFacts("core", "核心园区", "core", None if core_area is None else Decimal(core_area))
    ]
    if area is not None:
        rest = Decimal(area) - Decimal(core_area or 0)
        sites.append(SiteFacts("b1", "分园区", "branch", rest))
    years = {y: YearTally(5 + unreported, 5, Decimal(str(v))) for y, v in (revenue or {}).items()}
    tally = Tally(
        as_of,
        {"core": SiteTally(present=firms, hr=institutions, licensed=institutions)},
        years,
    )
    return ParkFacts(code, code, tuple(sites), (), {}, tally)


# --------------------------------------------------------------------------- the files


def test_the_four_documents_load_and_keep_apart_from_the_policies():
    assert sorted(BUILTIN.sets) == ["bt-2022", "jh-draft", "lz-2022", "pzh-2021"]
    # the policy registry reads data/policies only: no goal file becomes a policy
    assert sorted(load_registry().policies) == ["bt-2022", "gx-2021"]
    for goals in BUILTIN.all():
        for g in goals.goals:
            assert g.article and g.wording and str(g.year) in g.wording
            if g.target is not None:
                assert any(v == g.target for _t, v, _f in goal_quantities(g.wording))
    jh = BUILTIN.get("jh-draft")
    assert jh.draft and "征求意见稿" in jh.display_title and jh.document_no is None


def test_the_number_reader_reads_the_documents_ways_of_writing():
    assert [v for _t, v, _f in goal_quantities("达到200家以上")] == [200]
    assert [v for _t, v, _f in goal_quantities("突破100亿元")] == [Decimal(10_000_000_000)]
    assert [v for _t, v, _f in goal_quantities("达 400 家以上")] == [400]
    assert [v for _t, v, _f in goal_quantities("1万人以上")] == [10_000]
    assert [v for _t, v, _f in goal_quantities("核心区面积 5000-10000 平方米")] == [5000, 10000]
    assert goal_quantities("到2025年") == []  # a year is no quantity


BAD = """
id: xx-test
title: 测试文件
issuer: 测试市人民政府
jurisdiction: {province: 测试省, city: 测试市}
colour: red
goals:
  - id: a
    scope: city
    article: 一
    wording: 到2025年，全市机构突破100家
    year: 2025
    metric: institutions
    op: ">="
    target: 100
  - id: b
    scope: park
    article: 一
    wording: 到2025年，园区收入80亿元
    year: 2025
    metric: revenue
    op: ">="
    target: 90亿
  - id: b
    scope: park
    article: 一
    wording: 园区面积达到1000平方米
    year: 2025
    metric: area
    op: ">="
    target: 1000
  - id: d
    scope: city
    article: 一
    wording: 到2025年，从业人员1万人
    year: 2025
    metric: unrecorded
"""


def test_a_bad_goal_file_is_refused_with_every_problem_at_once(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    goals, problems = read_goal_file(path)
    assert goals is None
    text = "\n".join(problems)
    assert "colour: 未知的键" in text
    assert "op >= 与原文用语 “突破” 不一致" in text  # 突破 is strictly more
    assert "target 9000000000 与原文中的数字" in text  # 90亿 is not the 80亿 of the wording
    assert "须用 interpretation 写明如何理解" in text  # 收入80亿元 has no comparison word
    assert "wording 中没有目标年份 2025年" in text
    assert "metric: unrecorded 须写明 measure" in text
    with pytest.raises(PolicyError, match="发展目标文件 .* 无效"):
        load_goal_file(path)


def test_duplicate_ids_a_draft_without_saying_so_and_yaml_errors(tmp_path: Path):
    good = BUILTIN.get("bt-2022").model_dump(mode="json", exclude={"source", "sha256"})
    good["document_no"] = None
    good["goals"] = [good["goals"][0], good["goals"][0]]
    with pytest.raises(Exception) as exc:
        GoalSet.model_validate(good)
    assert "重复" in str(exc.value) and "draft: true" in str(exc.value)
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(PolicyError, match="第 1 行"):
        load_goal_file(path)


def test_user_goal_files_come_from_the_path_and_the_option(tmp_path: Path):
    source = Path(BUILTIN.get("bt-2022").source).read_text(encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "mine.yaml").write_text(source.replace("id: bt-2022", "id: bt-mine"), "utf-8")
    other = tmp_path / "other.yaml"
    other.write_text(source.replace("id: bt-2022", "id: bt-mine"), encoding="utf-8")
    assert "bt-mine" in load_goal_registry([tmp_path / "a"]).sets
    with pytest.raises(PolicyError, match="重复"):
        load_goal_registry([tmp_path / "a"], [other])
    with pytest.raises(PolicyError, match=GOALS_PATH_ENV):
        load_goal_registry([tmp_path / "missing"])


# --------------------------------------------------------------------------- every goal


def _every_goal() -> list[tuple[str, str]]:
    return [(s.id, g.id) for s in BUILTIN.all() for g in s.goals]


def _facts_with(goal: Any, value: Decimal, as_of: dt.date) -> ParkFacts:
    metric = goal.metric
    if metric == "institutions":
        return park(institutions=int(value), as_of=as_of)
    if metric == "firms":
        return park(institutions=0, firms=int(value), as_of=as_of)
    if metric == "revenue":
        return park(revenue={goal.year - 1: value}, as_of=as_of)
    if metric == "area":
        return park(core_area=value, as_of=as_of)
    if metric == "core_area":
        return park(core_area=value, area=value + 500, as_of=as_of)
    return park(institutions=10**6, firms=10**6, revenue={goal.year - 1: 10**12}, as_of=as_of)


@pytest.mark.parametrize(("set_id", "goal_id"), _every_goal())
def test_every_goal_is_met_at_its_edge_and_missed_just_below(set_id: str, goal_id: str):
    goals = BUILTIN.get(set_id)
    goal = next(g for g in goals.goals if g.id == goal_id)
    as_of = dt.date(goal.year, 6, 30)
    if not goal.measurable:  # whatever the parks hold, the database cannot know it
        r = evaluate_goal(goals, goal, [_facts_with(goal, Decimal(0), as_of)], as_of=as_of)
        assert r.status == "no_record" and r.status_name == "无记录" and r.actual is None
        return
    assert goal.target is not None
    step = Decimal(1) if goal.metric in ("institutions", "firms") else Decimal("0.01")
    edge = goal.target + (step if goal.op == ">" else 0)
    below = edge - step
    met = evaluate_goal(goals, goal, [_facts_with(goal, edge, as_of)], as_of=as_of)
    short = evaluate_goal(goals, goal, [_facts_with(goal, below, as_of)], as_of=as_of)
    assert (met.status, short.status) == ("met", "open"), (met, short)
    assert short.gap is not None and short.gap >= 0
    assert short.gap_text.startswith(("还需", "还差", "恰为目标值"))
    assert met.draft == short.draft == goals.draft


def test_breaking_through_is_strictly_more_and_at_least_includes_the_number():
    bt = BUILTIN.get("bt-2022")
    revenue = next(g for g in bt.goals if g.id == "revenue_2025")
    exactly = evaluate_goal(bt, revenue, [park(revenue={2024: "10000000000"})], as_of=AS_OF)
    assert exactly.status == "open" and exactly.gap_text == "恰为目标值，须超过目标"
    assert exactly.growth_text == "每年需增长超过 0%"
    lz = BUILTIN.get("lz-2022")
    firms = next(g for g in lz.goals if g.id == "firms_2025")
    assert evaluate_goal(lz, firms, [park(firms=200)], as_of=AS_OF).status == "met"
    r = evaluate_goal(lz, firms, [park(firms=199)], as_of=AS_OF)
    assert r.gap_text == "还需 1 家"
    jh = BUILTIN.get("jh-draft")
    over = next(g for g in jh.goals if g.id == "institutions_2027")
    r = evaluate_goal(jh, over, [park(institutions=1000)], as_of=AS_OF)
    assert r.status == "open" and r.gap_text == "还需 1 家"  # 超过1000家: 1001 is needed


def test_the_stretch_target_is_shown_apart_not_the_goal():
    lz = BUILTIN.get("lz-2022")
    revenue = next(g for g in lz.goals if g.id == "revenue_2025")
    r = evaluate_goal(lz, revenue, [park(revenue={2024: "9000000000"})], as_of=AS_OF)
    assert r.status == "met" and r.target == Decimal("8000000000")
    assert r.stretch_target == Decimal("10000000000") and r.stretch_text == "力争达到100亿元"


def test_required_growth_reaches_the_goal_in_the_years_left():
    g = required_growth(Decimal(50), Decimal(80), 2)
    assert g == Decimal("0.265")
    assert Decimal(50) * (1 + g) ** 2 >= 80 > Decimal(50) * (1 + g - Decimal("0.001")) ** 2
    assert required_growth(Decimal(50), Decimal(80), 0) is None
    assert required_growth(Decimal(0), Decimal(80), 2) is None
    jh = BUILTIN.get("jh-draft")
    revenue = next(g for g in jh.goals if g.id == "revenue_2027")
    r = evaluate_goal(jh, revenue, [park(revenue={2024: "8000000000"})], as_of=AS_OF)
    # 80亿 in 2024 → 160亿 in 2027: three years of 26% (2^(1/3) = 1.2599…)
    assert r.growth == Decimal("0.26") and r.growth_text == "每年需增长 26%"
    assert r.path[0] == (2024, Decimal("8000000000")) and r.path[-1] == (2027, r.target)
    assert [y for y, _v in r.path] == [2024, 2025, 2026, 2027]
    assert r.draft and "征求意见稿" in r.document


def test_missing_data_is_never_a_pass():
    bt = BUILTIN.get("bt-2022")
    revenue = next(g for g in bt.goals if g.id == "revenue_2025")
    # no tenant reported any revenue
    r = evaluate_goal(bt, revenue, [park(institutions=500)], as_of=AS_OF)
    assert r.status == "no_record" and r.note == "尚无营业收入数据"
    # no recorded park at all in the city
    assert evaluate_goal(bt, revenue, [], as_of=AS_OF).status == "no_record"
    # the goal year is over but its revenue is not reported: an older year cannot say missed
    late = dt.date(2026, 2, 1)
    r = evaluate_goal(bt, revenue, [park(revenue={2024: "100"}, as_of=late)], as_of=late)
    assert r.status == "no_record" and "尚无2025年数据" in (r.note or "")
    # a lower bound (some tenants did not report) meets only if the bound does
    lz = BUILTIN.get("lz-2022")
    lz_rev = next(g for g in lz.goals if g.id == "revenue_2025")
    r = evaluate_goal(lz, lz_rev, [park(revenue={2024: "8000000000"}, unreported=2)], as_of=AS_OF)
    assert r.status == "met" and not r.complete and "2 家入驻机构未填报" in (r.note or "")
    r = evaluate_goal(lz, lz_rev, [park(revenue={2024: "10"}, unreported=2)], as_of=AS_OF)
    assert r.status == "open"
    # an area the dossier does not give
    pzh = BUILTIN.get("pzh-2021")
    area = next(g for g in pzh.goals if g.id == "area_2020")
    r = evaluate_goal(pzh, area, [park()], as_of=dt.date(2020, 6, 30))
    assert r.status == "no_record"


def test_a_goal_whose_year_passed_unmet_is_missed_and_due():
    bt = BUILTIN.get("bt-2022")
    inst = next(g for g in bt.goals if g.id == "institutions_2025")
    day = dt.date(2026, 1, 10)
    r = evaluate_goal(bt, inst, [park(institutions=40, as_of=day)], as_of=day)
    assert r.status == "missed" and r.status_name == "期限已过未达成" and r.growth is None
    [item] = goal_due_items([r], as_of=day, within=0)
    assert item.overdue and item.due_date == dt.date(2025, 12, 31)
    assert item.what.startswith("发展目标：2025年全市人力资源服务机构数量达到400家")
    soon = dt.date(2025, 11, 15)
    r = evaluate_goal(bt, inst, [park(institutions=40, as_of=soon)], as_of=soon)
    assert goal_due_items([r], as_of=soon, within=30) == []
    assert not goal_due_items([r], as_of=soon, within=60)[0].overdue
    met = evaluate_goal(bt, inst, [park(institutions=400, as_of=day)], as_of=day)
    assert goal_due_items([met], as_of=day, within=60) == []


def test_a_city_goal_sums_its_parks():
    bt = BUILTIN.get("bt-2022")
    inst = next(g for g in bt.goals if g.id == "institutions_2025")
    parks = [park("a", institutions=12), park("b", institutions=30)]
    r = evaluate_goal(bt, inst, parks, as_of=AS_OF)
    assert r.actual == 42 and r.parks == ["a", "b"]
    assert "仅含已记录园区" in (r.note or "")  # the whole industry counts: a lower bound


# --------------------------------------------------------------------------- the commands


def baotou(code: str, hr: int, others: int, make: Any) -> dict[str, Any]:
    d = make(code=code, hr=hr, others=others)
    d["park"].update(BAOTOU)
    return d


PARK_GOALS = """
id: bt-parks-test
title: 测试园区目标
document_no: 测试〔2022〕1号
issuer: 包头市人民政府办公室
jurisdiction: {province: 内蒙古自治区, city: 包头市}
goals:
  - id: institutions_2026
    scope: park
    article: 一
    wording: 到2026年，园区人力资源服务机构不少于60家
    year: 2026
    metric: institutions
    op: ">="
    target: 60
  - id: revenue_2026
    scope: park
    article: 一
    wording: 到2026年，园区年营业收入不低于10亿元
    year: 2026
    metric: revenue
    op: ">="
    target: 10亿
"""


@pytest.fixture
def parks(runner: CliRunner, write_dossier: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two Baotou parks, one in Nanning; a user goal file with park goals for Baotou."""
    from conftest import make_dossier

    monkeypatch.setenv("PARKEVAL_TODAY", "2025-06-30")
    monkeypatch.delenv(GOALS_PATH_ENV, raising=False)
    files = [
        write_dossier(baotou("bt-a", 10, 2, make_dossier), "a.yaml"),
        write_dossier(baotou("bt-b", 5, 1, make_dossier), "b.yaml"),
        write_dossier(make_dossier(code="nn-c", hr=7), "c.yaml"),
    ]
    result = runner.invoke(app, ["import", *map(str, files)])
    assert result.exit_code == 0, result.output
    goals = files[0].parent / "park-goals.yaml"
    goals.write_text(PARK_GOALS, encoding="utf-8")
    return goals


def _json(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_city_figure_is_the_sum_of_its_parks(runner: CliRunner, parks: Path):
    city = _json(runner, "--goals-file", str(parks), "goals", "--city", "包头")
    by_id = {(g["goals_id"], g["id"], tuple(g["parks"])): g for g in city["goals"]}
    inst = by_id[("bt-2022", "institutions_2025", ("bt-a", "bt-b"))]
    rev = by_id[("bt-2022", "revenue_2025", ("bt-a", "bt-b"))]
    own = {
        code: {
            g["id"]: g
            for g in _json(runner, "--goals-file", str(parks), "goals", code)["goals"]
            if g["scope"] == "park"
        }
        for code in ("bt-a", "bt-b")
    }
    assert inst["actual"] == 15 == sum(own[c]["institutions_2026"]["actual"] for c in own)
    assert rev["actual_year"] == 2024
    assert rev["actual"] == sum(own[c]["revenue_2026"]["actual"] for c in own) == 18 * 17_000_000
    # the Nanning park is in neither, and has no goals
    assert _json(runner, "goals", "nn-c")["goals"] == []


def test_goals_command_table_and_bad_input(runner: CliRunner, parks: Path):
    result = runner.invoke(app, ["goals", "bt-a"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "发展目标" in out and "包头市人力资源服务业高质量发展行动方案" in out
    assert "未达成" in out and "无记录" in out and "还需 385 家" in out
    assert "“突破”理解为超过" in out
    for args, words in [
        ([], "二者选一"),
        (["bt-a", "--city", "包头"], "二者选一"),
        (["nope"], "未找到园区"),
        (["--city", "上海"], "没有 “上海” 的发展目标文件"),
        (["bt-a", "--as-of", "2025-13-01"], "--as-of"),
        (["bt-a", "--as-of", "2025-07-01"], "统计日"),
    ]:
        bad = runner.invoke(app, ["goals", *args])
        assert bad.exit_code == 2, (args, bad.output)
        assert words in bad.output, (args, bad.output)
        assert "Traceback" not in bad.output
    broken = parks.parent / "broken.yaml"
    broken.write_text(PARK_GOALS.replace("target: 60", "target: 61"), encoding="utf-8")
    bad = runner.invoke(app, ["--goals-file", str(broken), "goals", "bt-a"])
    assert bad.exit_code == 2 and "target 61 与原文中的数字 60家 不一致" in bad.output


def test_a_draft_says_so(runner: CliRunner, write_dossier: Any, monkeypatch: pytest.MonkeyPatch):
    from conftest import make_dossier

    monkeypatch.setenv("PARKEVAL_TODAY", "2025-06-30")
    d = make_dossier(code="jh-a")
    d["park"].update({"province": "浙江省", "city": "金华市"})
    assert runner.invoke(app, ["import", str(write_dossier(d))]).exit_code == 0
    data = _json(runner, "goals", "jh-a")
    assert data["goals"] and all(g["draft"] for g in data["goals"])
    assert all("征求意见稿" in g["document"] for g in data["goals"])
    assert "征求意见稿，非正式文件" in runner.invoke(app, ["goals", "jh-a"]).output


def test_status_shows_the_goals_and_due_lists_the_unmet_ones(runner: CliRunner, parks: Path):
    result = runner.invoke(app, ["status", "bt-a"])
    assert result.exit_code == 0, result.output
    assert "发展目标" in result.output and "全市合计（2个园区）" in result.output
    data = _json(runner, "status", "bt-a")
    assert {g["id"] for g in data["goals"]} >= {"institutions_2025", "revenue_2025"}
    assert _json(runner, "status", "nn-c")["goals"] == []
    quiet = _json(runner, "due", "bt-a", "--within", "30")
    assert not any(i["what"].startswith("发展目标") for i in quiet["due"])
    soon = _json(runner, "due", "bt-a", "--within", "200")
    goal_items = [i for i in soon["due"] if i["what"].startswith("发展目标")]
    assert [i["due_date"] for i in goal_items] == ["2025-12-31", "2025-12-31"]
    assert not any(i["overdue"] for i in goal_items)


def test_after_the_goal_year_it_is_overdue(
    runner: CliRunner, parks: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PARKEVAL_TODAY", "2026-02-01")
    items = _json(runner, "due", "--all")
    overdue = [
        (d["park"], i["what"])
        for d in items
        for i in d["due"]
        if i["what"].startswith("发展目标") and i["overdue"]
    ]
    assert {p for p, _w in overdue} == {"bt-a", "bt-b"}
    assert all(
        "；包头市人力资源服务业高质量发展行动方案（包府办发〔2022〕55号）" in w for _p, w in overdue
    )
    book = parks.parent / "due.xlsx"
    result = runner.invoke(app, ["due", "--all", "--xlsx", str(book)])
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    rows = [r for r in load_workbook(book).active.iter_rows(values_only=True)]
    goal_rows = [r for r in rows if str(r[3]).startswith("发展目标")]
    assert len(goal_rows) == 4 and {r[2] for r in goal_rows} == {"发展目标"}
    goals = {g["id"]: g for g in _json(runner, "goals", "bt-a")["goals"]}
    assert goals["institutions_2025"]["status_name"] == "期限已过未达成"
    assert goals["revenue_2025"]["status_name"] == "无记录"  # 2025 revenue not reported
    # the latest figure is 2024's: said with its year, and that 2025 has none yet
    revenue = [w for _p, w in overdue if "营业收入" in w]
    assert revenue and all("（2024年）；2025年尚无数据；" in w for w in revenue), revenue
    assert not any("，无记录" in w for _p, w in overdue)


# --------------------------------------------------------------------------- the report


def test_the_report_has_a_goal_section_and_still_verifies(tmp_path: Path, write_dossier: Any):
    from conftest import make_dossier

    from parkeval.app.dossiers import import_files
    from parkeval.report import make_report

    settings = Settings(db=str(tmp_path / "r.db"), policy_dirs=[], today=dt.date(2025, 6, 30))
    import_files(
        settings,
        [
            write_dossier(baotou("bt-a", 22, 2, make_dossier), "a.yaml"),
            write_dossier(make_dossier(code="nn-c"), "c.yaml"),
        ],
    )
    out = tmp_path / "bt-a.pdf"
    options = {"year": 2024, "as_of": dt.date(2024, 12, 31)}
    make_report(settings, park="bt-a", policy_id="bt-2022", out=out, **options)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(out).pages))
    assert "五、发展目标" in text and "到2025年，……全市人力资源服务机构达到400家" in text
    assert "达成路径" in text and "无记录" in text
    result = CliRunner().invoke(app, ["--db", settings.db or "", "verify", str(out)])
    assert result.exit_code == 0, result.output
    assert "✓ 内嵌结果与数据库：一致" in result.output
    assert "✓ 页面内容与内嵌结果：一致" in result.output
    other = tmp_path / "nn-c.pdf"
    make_report(settings, park="nn-c", policy_id="gx-2021", out=other, **options)
    assert "发展目标" not in "".join(p.extract_text() for p in PdfReader(other).pages)
