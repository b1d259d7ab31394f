"""PDF reports: rendering with the demo data, the embedded result, fonts, safety, verify."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from parkeval.app.certify import certify
from parkeval.app.demo import demo_files, run_demo
from parkeval.app.dossiers import import_files
from parkeval.app.settings import Settings
from parkeval.cli import app
from parkeval.report import ATTACHMENT_NAME, make_report, report_html
from parkeval.report.context import build_context
from parkeval.report.payload import KINDS, gather, plain, result_payload
from parkeval.report.render import environment, font_face_css, render_html, render_pdf
from parkeval.resources import templates_dir

YEAR, AS_OF = 2024, dt.date(2024, 12, 31)
EVIL = '<b>x</b><img src="file:///etc/passwd">'


def _settings(path: Path) -> Settings:
    return Settings(db=str(path / "report.db"), policy_dirs=[], today=dt.date(2025, 3, 1))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Any]:
    """The demo database and its sample report, rendered once for the module."""
    root = tmp_path_factory.mktemp("demo")
    settings = _settings(root)
    demo = run_demo(settings)
    outcome = make_report(
        settings,
        park=demo.report_park,
        policy_id=demo.report_policy,
        year=YEAR,
        as_of=AS_OF,
        out=root / "demo.pdf",
    )
    result = types.SimpleNamespace(imported=demo.imported, results=demo.results, report=outcome)
    return settings, result


@pytest.fixture(scope="module")
def reader(demo: tuple[Settings, Any]) -> PdfReader:
    return PdfReader(demo[1].report.path)


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


# --------------------------------------------------------------------------- templates


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_template_renders_with_demo_data(demo: tuple[Settings, Any], kind: str) -> None:
    settings, result = demo
    env = environment()
    partials = sorted(p.name for p in templates_dir().glob("_*.html"))
    assert {
        "_cover.html",
        "_summary.html",
        "_criteria.html",
        "_charts.html",
        "_history.html",
        "_roster.html",
        "_signature.html",
        "_opinion.html",
    } <= set(partials)
    for park in result.imported:
        policy = next(r.policy for r in result.results if r.park == park.park)
        data = gather(settings, park=park.park, policy_id=policy, kind=kind, year=YEAR, as_of=AS_OF)
        ctx = build_context(result_payload(data, kind=kind), data.policy, font_face=font_face_css())
        html = render_html("report.html", ctx)
        assert '<html lang="zh-CN">' in html and park.name in html and KINDS[kind] in html
        for partial in partials:  # StrictUndefined: a field the context lacks fails here
            env.get_template(partial).render(ctx=ctx)


def test_summary_template_renders_with_demo_data(demo: tuple[Settings, Any]) -> None:
    from parkeval.report.context import build_summary

    settings, _ = demo
    from parkeval.report.payload import summary_payload

    results = certify(settings, policy_id="gx-2021", park_codes=None, year=YEAR, as_of=AS_OF)
    policy = settings.registry.get("gx-2021")
    payload = summary_payload(
        results, policy, report_date=settings.today, files={}, year=YEAR, as_of=AS_OF
    )
    ctx = build_summary(payload, policy, font_face=font_face_css())
    html = render_html("summary.html", ctx)
    pass_name = next(r.park_name for r in results if r.park == "gx-pass")
    assert ctx.rows[0].park_name == pass_name  # the only eligible park ranks first
    assert "认定评估汇总报告" in html and "<svg" in html


def test_summary_figures_of_a_multi_site_park_agree_with_the_footnote(
    demo: tuple[Settings, Any],
) -> None:
    """gx-2021 judges a multi-site park's core site and each branch site, not the total: the
    summary shows the core site's figures, says so in the cell, and its footnote says the same
    (no “—” beside a footnote promising totals)."""
    from io import BytesIO

    from parkeval.report.document import payload_html
    from parkeval.report.payload import summary_payload

    settings, _ = demo
    results = certify(settings, policy_id="gx-2021", park_codes=None, year=YEAR, as_of=AS_OF)
    multi = next(r for r in results if r.layout == "multi")
    core = {
        c.metric: c for c in multi.criteria if c.scope == "core" and c.metric != "building_area"
    }
    policy = settings.registry.get("gx-2021")
    payload = summary_payload(
        results, policy, report_date=settings.today, files={}, year=YEAR, as_of=AS_OF
    )
    pdf, _fetcher, _pages = render_pdf(payload_html(payload, policy))
    assert pdf is not None
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    flat = "".join(text.split())
    row = flat[flat.index(multi.park_name) :]
    count = f"{core['hr_institutions'].actual}家*"
    assert count in row and "%*" in row and "（核心园区）" not in row
    assert "带*的为核心园区的数值" in flat
    assert "多园区的机构数、占比为园区合计" not in flat


# --------------------------------------------------------------------------- the PDF


def test_pdf_has_chinese_text_pages_and_running_header(
    demo: tuple[Settings, Any], reader: PdfReader
) -> None:
    outcome = demo[1].report
    text = _text(reader)
    assert len(reader.pages) == outcome.pages >= 4
    assert "柳州人力资源服务产业园" in text and "认定评估报告" in text
    assert f"第 2 页 共 {outcome.pages} 页".replace(" ", "") in text.replace(" ", "")
    assert "桂人社规〔2021〕1号" in reader.pages[1].extract_text()  # running header, page 2
    assert "入驻机构名录" in text and "评估单位" in text and "不符合认定条件" in text


def test_pdf_is_small_and_fonts_are_embedded_subsets(
    demo: tuple[Settings, Any], reader: PdfReader
) -> None:
    assert demo[1].report.path.stat().st_size < 1_000_000
    fonts: dict[str, Any] = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    noto = [name for name in fonts if "Noto-Sans-SC" in name]
    assert noto, fonts.keys()
    for name in noto:
        prefix, _, _ = name.lstrip("/").partition("+")
        assert len(prefix) == 6 and prefix.isupper(), name  # ABCDEF+Font: a subset
        descriptor = fonts[name]["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), name


def test_pdf_embeds_the_certify_json_result(demo: tuple[Settings, Any], reader: PdfReader) -> None:
    settings, result = demo
    payload = json.loads(reader.attachments[ATTACHMENT_NAME][0])
    expected = certify(
        settings, policy_id="gx-2021", park_codes=["gx-fail"], year=YEAR, as_of=AS_OF
    )[0]
    assert payload["result"] == plain(expected)
    assert payload["policy"]["sha256"] == settings.registry.get("gx-2021").sha256
    assert len(payload["input_sha256"]) == 64 and payload["report_id"] == result.report.report_id


def test_pdftotext_gives_the_chinese_back(demo: tuple[Settings, Any]) -> None:
    import shutil

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    out = subprocess.run(
        ["pdftotext", str(demo[1].report.path), "-"], capture_output=True, text=True, check=True
    )
    assert "柳州人力资源服务产业园" in out.stdout and "第五条" in out.stdout


# --------------------------------------------------------------------------- safety


def test_tenant_markup_is_text_and_nothing_outside_is_fetched(
    tmp_path: Path, write_dossier: Any
) -> None:
    from conftest import make_dossier

    dossier = make_dossier(code="evil")
    dossier["tenants"][0]["name"] = EVIL
    dossier["sites"][0]["name"] = EVIL
    dossier["park"]["name"] = "某园区" + EVIL
    settings = _settings(tmp_path)
    import_files(settings, [write_dossier(dossier)])
    html, _ = report_html(settings, park="evil", policy_id="gx-2021", year=YEAR, as_of=AS_OF)
    assert EVIL not in html and "&lt;b&gt;x&lt;/b&gt;&lt;img" in html
    outcome = make_report(
        settings,
        park="evil",
        policy_id="gx-2021",
        year=YEAR,
        as_of=AS_OF,
        out=tmp_path / "evil.pdf",
    )
    assert outcome.blocked == []
    text = _text(PdfReader(outcome.path))
    assert "<b>x</b><img" in text.replace("\n", "")


def test_fetcher_serves_only_template_assets_and_the_font(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG not really")
    html = (
        f'<html lang="zh-CN"><head><link rel="stylesheet" href="report.css">'
        f'<link rel="stylesheet" href="{(tmp_path / "x.css").as_uri()}"></head><body>'
        f'<img src="{secret.as_uri()}"><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        f'<img src="data:image/png;base64,iVBORw0KGgo="><p>中文</p></body></html>'
    )
    pdf, fetcher, pages = render_pdf(html)
    assert pdf and pages == 1
    assert all(url.startswith(templates_dir().as_uri()) for url in fetcher.fetched)
    assert {
        secret.as_uri(),
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        (tmp_path / "x.css").as_uri(),
    } <= set(fetcher.blocked)
    assert any(u.startswith("data:") for u in fetcher.blocked)


def test_fetcher_is_a_weasyprint_70_url_fetcher() -> None:
    from weasyprint.urls import URLFetcher

    from parkeval.report.fetcher import RestrictedURLFetcher
    from parkeval.report.render import font_path

    fetcher = RestrictedURLFetcher(allowed_dirs=[templates_dir()], allowed_files=[font_path()])
    assert isinstance(fetcher, URLFetcher)
    response = fetcher.fetch((templates_dir() / "report.css").as_uri())
    assert b"@page" in response.read()
    with pytest.raises(ValueError):
        fetcher.fetch((templates_dir() / ".." / "pyproject.toml").as_uri())


# --------------------------------------------------------------------------- history from cycles


def test_history_section_shows_the_recorded_life(
    demo: tuple[Settings, Any], tmp_path: Path
) -> None:
    settings, _ = demo
    html, payload = report_html(
        settings, park="gx-fail", policy_id="gx-2021", year=YEAR, as_of=AS_OF
    )
    assert "暂无考核记录" in html and payload["status"]["certifications"] == []

    from parkeval.app.lifecycle import grant, park_status, rate

    own = _settings(tmp_path)
    import_files(own, [f for f, _ in demo_files()])
    grant(own, "gx-fail", policy_id="gx-2021", on=dt.date(2021, 6, 1))
    rate(
        own,
        "gx-fail",
        policy_id="gx-2021",
        cycle="comprehensive",
        year=2023,
        rating="优秀",
        date=dt.date(2024, 6, 10),
        by="自治区人社厅",
    )
    rate(
        own,
        "gx-fail",
        policy_id="gx-2021",
        cycle="annual",
        year=2023,
        rating="不合格",
        date=dt.date(2024, 3, 20),
        by="自治区人社厅",
    )
    html, payload = report_html(own, park="gx-fail", policy_id="gx-2021", year=YEAR, as_of=AS_OF)
    # the state is the one on the report's date (by default today), voided records included
    assert payload["status"] == plain(park_status(own, "gx-fail", own.today, include_voided=True))
    assert payload["report_date"] == own.today.isoformat()
    # rectifying since the 不合格 (due 90 days after it, a local setting), and still supported
    # for the comprehensive 优秀
    assert "整改中" in html and "2024年6月18日" in html and "第十四条" in html
    assert "加大项目和资金支持" in html


# --------------------------------------------------------------------------- CLI


def test_help_does_not_import_weasyprint() -> None:
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom parkeval.cli import app\n"
        "for args in (['--help'], ['report', '--help'], ['verify', '--help'], ['policies']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0, args\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('weasyprint', 'pygal', 'pypdf')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_verify_match_mismatch_and_bad_input(
    demo: tuple[Settings, Any], tmp_path: Path, runner: Any, write_dossier: Any
) -> None:
    from conftest import make_dossier

    settings = _settings(tmp_path)
    import_files(settings, [write_dossier(make_dossier(code="v-park"))])
    db = ["--db", str(tmp_path / "report.db")]
    pdf = tmp_path / "v.pdf"
    result = runner.invoke(
        app, [*db, "report", "v-park", "--policy", "gx-2021", "--year", "2024", "--out", str(pdf)]
    )
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, [*db, "verify", str(pdf)]).exit_code == 0

    changed = make_dossier(code="v-park", hr=29)  # three HR institutions fewer
    import_files(settings, [write_dossier(changed, "changed.yaml")])
    result = runner.invoke(app, [*db, "verify", str(pdf)])
    assert (
        result.exit_code == 1 and "不一致" in result.output and "人力资源服务机构" in result.output
    )

    not_pdf = tmp_path / "x.pdf"
    not_pdf.write_text("hello")
    assert runner.invoke(app, [*db, "verify", str(not_pdf)]).exit_code == 2
    plain_pdf = tmp_path / "plain.pdf"
    plain_pdf.write_bytes(render_pdf('<html lang="zh-CN"><p>无附件</p></html>')[0] or b"")
    result = runner.invoke(app, [*db, "verify", str(plain_pdf)])
    assert result.exit_code == 2 and "PDF" in result.output


def test_missing_harfbuzz_subset_is_said_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from parkeval.cli import reports
    from parkeval.report import render

    monkeypatch.setattr(render, "harfbuzz_subset_available", lambda: False)
    reports.warn_if_slow_subsetting()
    err = capsys.readouterr().err
    assert err.count("未找到 HarfBuzz") == 1 and "apt-get install libharfbuzz-subset0" in err


def test_report_all_writes_each_park_and_a_verifiable_summary(
    demo: tuple[Settings, Any], tmp_path: Path, runner: Any
) -> None:
    settings, result = demo
    out_dir = tmp_path / "all"
    args = [
        "--db",
        settings.db_url,
        "report",
        "--all",
        "--policy",
        "bt-2022",
        "--year",
        "2024",
        "--out-dir",
        str(out_dir),
        "--workers",
        "2",
    ]
    run = runner.invoke(app, args)
    assert run.exit_code == 0, run.output
    files = sorted(p.name for p in out_dir.glob("*.pdf"))
    # only the parks in bt-2022's jurisdiction (包头市); the two Guangxi parks are left out, and said so
    assert files == sorted(
        [
            f"{p.park}-bt-2022-2024-certification.pdf"
            for p in result.imported
            if p.park.startswith("bt-")
        ]
        + ["summary-bt-2022-2024.pdf"]
    )
    assert "2 个园区不在" in run.stderr
    summary = PdfReader(out_dir / "summary-bt-2022-2024.pdf")
    assert "认定评估汇总报告" in _text(summary)
    assert json.loads(summary.attachments[ATTACHMENT_NAME][0])["schema"] == "parkeval.summary/1"
    assert (
        runner.invoke(
            app, ["--db", settings.db_url, "verify", str(out_dir / "summary-bt-2022-2024.pdf")]
        ).exit_code
        == 0
    )


def test_report_all_hands_out_the_largest_parks_first(demo: tuple[Settings, Any], tmp_path: Path):
    """One core renders the parks in order of their tenants, most first (on several cores the
    same order is the order the workers take them in), and the summary lists every report."""
    from parkeval.app.parks import list_parks
    from parkeval.report import make_all_reports

    settings, _result = demo
    done: list[str] = []
    outcomes, summary = make_all_reports(
        settings,
        policy_id="bt-2022",  # bt-fail (22 tenants) comes before bt-pass (25) by code
        out_dir=tmp_path,
        year=YEAR,
        workers=1,
        progress=lambda outcome: done.append(outcome.park),
    )
    tenants = {p.code: p.tenants for p in list_parks(settings)}
    assert len(set(tenants[p] for p in done)) > 1, "the demo parks differ in size"
    assert [tenants[p] for p in done] == sorted((tenants[p] for p in done), reverse=True)
    assert [o.park for o in outcomes] == sorted(done)  # returned in park order
    listed = json.loads(PdfReader(summary.path).attachments[ATTACHMENT_NAME][0])
    assert {o.path.name for o in outcomes} <= set(json.dumps(listed, ensure_ascii=False).split('"'))


def test_ranking_chart_prints_no_label_for_a_zero_length_bar():
    import re

    from parkeval.report.charts import ranking_chart

    svg = ranking_chart([("甲园区", 0, 9), ("乙园区", 5, 9)])
    values = re.findall(r'class="[^"]*value[^"]*"[^>]*>([^<]*)<', svg)
    assert "9项" in values and "5项" in values and "4项" in values
    assert "0项" not in values
