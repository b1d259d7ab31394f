"""Documents a bureau signs and files, read as the official who signs them.

Every report kind (认定评估报告, 自评报告, 考核评估报告, and the summary across parks) is
rendered for every demo park and each page is read back with pdftotext: no English ids,
enum values, raw ratios, ISO dates or command lines; the opinion box, roster totals and
Chinese dates are there. The PDF/A-3b markers are checked in the file's structure, and the
charts' SVG is checked for its threshold line and an axis that holds every value.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from parkeval.app.demo import run_demo
from parkeval.app.lifecycle import file_target, rate
from parkeval.app.settings import Settings
from parkeval.report import make_all_reports, make_report
from parkeval.report.payload import KINDS

YEAR, AS_OF = 2024, dt.date(2024, 12, 31)
OPINION = "经核查，该园区主要指标达到认定条件。\n建议进一步引进知名人力资源服务机构。"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")

# What must never appear on a page a bureau signs.
FORBIDDEN = {
    "English id or enum value": re.compile(r"[a-z][a-z_]{1,}|\b(None|True|False)\b"),
    "raw ratio": re.compile(r"(?<![\d.])0\.\d{2,}(?![\d]*%)"),
    "bare big number": re.compile(r"(?<![\w,.])\d{7,}(?![\w,.])"),
    "ISO date": re.compile(r"\d{4}-\d{1,2}-\d{1,2}"),
    "command line": re.compile(r"parkeval|--\w"),
    "doubled words": re.compile(r"年度年度|年度 年度"),
}
CHINESE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def pages(path: Path) -> list[str]:
    """Each page's text as pdftotext reads it."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def offences(text: str) -> list[str]:
    """What on a page must not be there (license numbers and report ids are the documents' own)."""
    text = re.sub(r"许可证\s*\d+", "许可证", text)
    text = re.sub(r"PE-[0-9A-F]{12}", "PE-", text)
    text = re.sub(r"\.(pdf|docx?|xlsx?|jpe?g|png)\b", "", text)  # evidence files the dossier names
    found = []
    for what, pattern in FORBIDDEN.items():
        found += [f"{what}: {m.group(0)!r}" for m in pattern.finditer(text)]
    return found


@pytest.fixture(scope="module")
def filed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo parks with a recorded life, and every report kind for each, once."""
    root = tmp_path_factory.mktemp("documents")
    settings = Settings(db=str(root / "docs.db"), policy_dirs=[], today=dt.date(2025, 6, 30))
    demo = run_demo(settings)
    # an official rating given without --by is the policy's rating body, never an OS account
    rate(
        settings,
        "gx-pass",
        policy_id="gx-2021",
        cycle="annual",
        year=2024,
        rating="合格",
        date=dt.date(2025, 3, 20),
    )
    file_target(
        settings,
        "gx-pass",
        year=2024,
        revenue_yuan=None,
        hr_institutions=30,
        occupancy=None,
        goals=None,
        filed_on=dt.date(2024, 3, 1),
    )
    policies = {r.park: r.policy for r in demo.results}
    opinion_file = root / "opinion.txt"
    opinion_file.write_text(OPINION, encoding="utf-8")
    reports: dict[tuple[str, str], Path] = {}
    for park, policy in sorted(policies.items()):
        for kind in KINDS:
            out = root / f"{park}-{kind}.pdf"
            make_report(
                settings,
                park=park,
                policy_id=policy,
                kind=kind,
                year=YEAR,
                as_of=AS_OF,
                out=out,
                opinion=OPINION if park == "gx-pass" else None,
            )
            reports[(park, kind)] = out
    summaries = {}
    for policy in sorted(set(policies.values())):
        _outcomes, summary = make_all_reports(
            settings, policy_id=policy, out_dir=root / policy, year=YEAR, workers=1
        )
        summaries[policy] = summary.path
    return {"settings": settings, "reports": reports, "summaries": summaries, "root": root}


def test_no_page_of_any_report_shows_ids_ratios_iso_dates_or_commands(filed: dict[str, Any]):
    checked = 0
    for (park, kind), path in filed["reports"].items():
        for number, text in enumerate(pages(path), 1):
            assert not offences(text), (park, kind, number, offences(text)[:5])
            checked += 1
    for policy, path in filed["summaries"].items():
        for number, text in enumerate(pages(path), 1):
            assert not offences(text), (policy, number, offences(text)[:5])
    assert checked >= 4 * 3 * 5  # every kind of every park, several pages each


def test_every_report_has_an_opinion_box_totals_and_chinese_dates(filed: dict[str, Any]):
    for (park, kind), path in filed["reports"].items():
        text = "".join(pages(path))
        flat = re.sub(r"\s+", "", text)
        title = "自评意见" if kind == "self_evaluation" else "评估意见"
        assert title in flat, (park, kind)
        assert "园区合计" in flat and "入驻机构" in flat, (park, kind)  # roster totals
        assert CHINESE_DATE.search(text), (park, kind)
        signer = "填报单位（盖章）" if kind == "self_evaluation" else "评估单位（盖章）"
        assert signer in flat and "负责人（签字）" in flat and "日期" in flat
        if park == "gx-pass":
            assert "建议进一步引进知名人力资源服务机构" in flat  # the evaluators' own words
    # a multi-site park's roster has a subtotal per site
    multi = re.sub(r"\s+", "", "".join(pages(filed["reports"][("gx-fail", "certification")])))
    assert multi.count("小计") >= 2


def test_assessment_page_reads_as_an_official_document(filed: dict[str, Any]):
    flat = re.sub(r"\s+", "", "".join(pages(filed["reports"][("gx-pass", "assessment")])))
    assert "本期考核评估：2024年度考核（第十三条）" in flat
    # the official rating with the body that gave it (the policy's local setting)
    assert "合格（2025年3月20日，广西壮族自治区人力资源和社会保障厅）" in flat
    assert "评估维度" in flat and "平台建设" in flat and "20分" in flat
    assert "人力资源服务机构数量目标完成" in flat and "30家" in flat and "32家" in flat


def test_summary_table_fits_its_columns(filed: dict[str, Any]):
    text = pages(filed["summaries"]["gx-2021"])[0]
    assert "排名" in text  # one word, not 排/名 split over two lines
    flat = re.sub(r"\s+", "", text)
    assert re.search(r"\d+(\.\d{1,2})?亿元", flat) and not re.search(r"\d\.\d{3,}亿元", flat)
    assert "<svg" not in text and "达标情况" in flat  # the chart is drawn, titled


# --------------------------------------------------------------------------- PDF/A


def test_reports_are_pdf_a_3b_with_the_result_as_associated_data(filed: dict[str, Any]):
    path = filed["reports"][("gx-fail", "assessment")]
    assert path.read_bytes()[:8] == b"%PDF-1.7"
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part(>|=\")3", xmp) and re.search(r"pdfaid:conformance(>|=\")B", xmp)
    intents = root["/OutputIntents"]
    assert any(
        i.get_object()["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in i.get_object()
        for i in intents
    )
    associated = [f.get_object() for f in root["/AF"]]
    assert [(f["/F"], f["/AFRelationship"]) for f in associated] == [
        ("parkeval-result.json", "/Data")
    ]
    embedded = associated[0]["/EF"]["/F"].get_object()
    assert embedded["/Subtype"] == "/application#2Fjson" or "json" in str(embedded["/Subtype"])
    fonts = 0
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            described = descendant[0].get_object() if descendant else font
            descriptor = described["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts += 1
    assert fonts


# --------------------------------------------------------------------------- charts


def _guides(svg: str) -> list[tuple[float, str, str]]:
    """(y, label, path class) of every horizontal guide of the y axis."""
    found = []
    for group in re.findall(r'<g class="guides">(.*?)</g>', svg, re.S):
        path = re.search(r'<path d="M[\d.]+ ([\d.]+) h[\d.]+" class="([^"]*)"', group)
        label = re.search(r"<text[^>]*>([^<]*)</text>", group)
        if path and label:
            found.append((float(path.group(1)), label.group(1), path.group(2)))
    return found


def test_revenue_chart_draws_the_threshold_as_a_labelled_line_inside_the_axis():
    from parkeval.report import charts

    svg = charts.revenue_chart([(2023, 4.77e8), (2024, 6.12e8)], 5e8)
    assert "园区年营业收入（亿元）" in svg and ">6.12<" in svg and ">4.77<" in svg
    guides = _guides(svg)
    majors = [g for g in guides if "major" in g[2]]
    assert [g[1] for g in majors] == ["认定要求 5亿元"]  # one line, labelled, not a second bar
    numbered = [(y, float(label)) for y, label, _ in guides if re.fullmatch(r"[\d.]+", label)]
    (y0, v0), (y1, v1) = max(numbered), min(numbered)  # bottom (0) and top of the axis
    assert v0 == 0 and v1 >= 6.12  # the axis holds every bar
    expected = y0 + (y1 - y0) * 5 / v1
    assert abs(majors[0][0] - expected) < 0.5  # the line sits at 5亿 on that axis
    bars = [float(y) for y in re.findall(r'<rect x="[\d.]+" y="([\d.]+)"[^>]*class="rect', svg)]
    assert bars and min(bars) >= y1 - 0.01  # no bar runs past the top of the axis


def test_site_charts_label_each_distinct_threshold():
    from parkeval.report import charts

    svg = charts.institutions_chart(
        [
            ("核心园区", "核心园区", 18, 20),
            ("东盟分园", "分园区", 12, 10),
            ("鹿寨分园", "分园区", 9, 10),
        ]
    )
    labels = sorted(g[1] for g in _guides(svg) if "major" in g[2])
    assert labels == ["分园区要求 10家", "核心园区要求 20家"]
    top = max(
        float(label.rstrip("家"))
        for _y, label, _c in _guides(svg)
        if label.endswith("家") and "要求" not in label
    )
    assert top >= 20
