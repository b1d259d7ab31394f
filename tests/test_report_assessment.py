"""An assessment report shows the rubric, the official rating and target attainment."""

from __future__ import annotations

import re

from conftest import make_dossier

from parkeval.app.dossiers import import_files
from parkeval.report import report_html


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_assessment_report_shows_targets_rubric_and_official_rating(settings, write_dossier):
    dossier = make_dossier(code="gx-rated")
    dossier["certifications"] = [{"policy": "gx-2021", "certified_on": "2022-03-01"}]
    # Revenue in 2024 is 38 × 1700万 = 6.46亿; a target of 8亿 is 80.75% attained.
    dossier["targets"] = [{"year": 2024, "revenue_yuan": "8亿", "hr_institutions": 30}]
    dossier["assessments"] = [
        {
            "policy": "gx-2021",
            "cycle": "annual",
            "year": 2024,
            "rating": "合格",
            "rated_on": "2025-03-20",
            "rated_by": "自治区人社厅",
        }
    ]
    import_files(settings, [write_dossier(dossier)])

    html, _payload = report_html(
        settings, park="gx-rated", policy_id="gx-2021", kind="assessment", year=2024
    )
    text = _text(html)
    assert "本期考核评估：2024年度考核（第十三条）" in text
    assert "正式等次 合格（2025年3月20日，自治区人社厅）" in text
    assert "本地设置" in text  # the rubric is a local setting, never presented as the document's
    assert "年度发展目标" in text and "80.8%" in text and "106.7%" in text  # 32 of 30 institutions
    assert "8亿元" in text and "6.46亿元" in text and "30家" in text  # targets in words
    assert "年度发展目标与实际完成情况" in html and "年营业收入（亿元）" in html  # the charts
    for dimension in ("平台建设", "政策体系", "管理运营", "服务保障", "经济社会效益"):
        assert dimension in text
