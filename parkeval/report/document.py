"""One park's report: its HTML, and the PDF with the machine-readable result attached.

The pages are rendered from the embedded result alone (:func:`payload_html`), so the same
function renders them again in ``verify``.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parkeval.app.settings import Settings

ATTACHMENT_NAME = "parkeval-result.json"


@dataclass
class ReportOutcome:
    park: str
    path: Path
    kind: str
    report_id: str
    verdict: str
    pages: int | None
    bytes: int
    seconds: float
    blocked: list[str] = field(default_factory=list)  # URLs the fetcher refused


def default_filename(park: str, policy_id: str, year: int, kind: str) -> str:
    """The report's file name when none is given: park-policy-year-kind.pdf."""
    return f"{park}-{policy_id}-{year}-{kind}.pdf"


OPINION_LIMIT = 5000  # characters: an opinion is a page of text, not a file


def read_opinion(path: Path) -> str:
    """The evaluators' opinion (评估意见) from a UTF-8 text file: bounded, no control characters."""
    from parkeval.errors import InputError, Problem

    try:
        raw = path.read_bytes()[: OPINION_LIMIT * 4 + 1]
    except OSError as exc:
        raise InputError([Problem(str(path), f"无法读取评估意见文件：{exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem(str(path), "评估意见文件应为 UTF-8 编码的纯文本")]) from None
    text = text.replace("\r\n", "\n").strip()
    if len(text) > OPINION_LIMIT:
        raise InputError(
            [Problem(str(path), f"评估意见过长：最多 {OPINION_LIMIT} 字，请精简后再生成报告")]
        )
    bad = sorted({c for c in text if ord(c) < 32 and c not in "\n\t"})
    if bad:
        raise InputError([Problem(str(path), "评估意见中有控制字符，应为纯文本")])
    if not text:
        raise InputError([Problem(str(path), "评估意见文件是空的；不写意见时请省略 --opinion")])
    return text


def payload_html(payload: dict[str, Any], policy: Any) -> str:
    """A report's HTML from its embedded result and policy alone (no database)."""
    from parkeval.report.context import build_context, build_summary
    from parkeval.report.render import font_face_css, render_html

    if payload.get("kind") == "summary":
        return render_html(
            "summary.html", build_summary(payload, policy, font_face=font_face_css())
        )
    return render_html("report.html", build_context(payload, policy, font_face=font_face_css()))


def report_html(
    settings: Settings,
    *,
    park: str,
    policy_id: str,
    kind: str = "certification",
    year: int | None = None,
    as_of: dt.date | None = None,
    report_date: dt.date | None = None,
    opinion: str | None = None,
    risks: bool = False,
) -> tuple[str, dict[str, Any]]:
    """The report's HTML and the machine-readable payload it carries (with ``risks``, the
    风险提示 section too, carried in the payload like everything the pages show)."""
    from parkeval.report.payload import gather, result_payload

    data = gather(
        settings,
        park=park,
        policy_id=policy_id,
        kind=kind,
        year=year,
        as_of=as_of,
        report_date=report_date,
        risks=risks,
    )
    payload = result_payload(data, kind=kind, opinion=opinion)
    return payload_html(payload, data.policy), payload


def make_report(
    settings: Settings,
    *,
    park: str,
    policy_id: str,
    kind: str = "certification",
    year: int | None = None,
    as_of: dt.date | None = None,
    out: Path | None = None,
    out_dir: Path | None = None,
    report_date: dt.date | None = None,
    opinion: str | None = None,
    force: bool = False,
    risks: bool = False,
) -> ReportOutcome:
    """Render one park's report to ``out`` (default: a name from park, policy, year, kind),
    written atomically; without ``force`` an existing file is left alone (an error)."""
    from parkeval.outputs import check_output, write_output
    from parkeval.report.payload import canonical_json
    from parkeval.report.render import render_pdf

    if out is not None:
        check_output(out, suffixes=[".pdf"], force=force)
    start = time.perf_counter()
    html, payload = report_html(
        settings,
        park=park,
        policy_id=policy_id,
        kind=kind,
        year=year,
        as_of=as_of,
        report_date=report_date,
        opinion=opinion,
        risks=risks,
    )
    if out is None:
        out = (out_dir or Path(".")) / default_filename(park, policy_id, payload["year"], kind)
        check_output(out, suffixes=[".pdf"], force=force)
    pdf, fetcher, pages = render_pdf(
        html, attachment=canonical_json(payload), attachment_name=ATTACHMENT_NAME
    )
    assert pdf is not None
    write_output(out, pdf, suffixes=[".pdf"], force=force)
    return ReportOutcome(
        park=park,
        path=out,
        kind=kind,
        report_id=payload["report_id"],
        verdict=payload["result"]["verdict"],
        pages=pages,
        bytes=len(pdf),
        seconds=time.perf_counter() - start,
        blocked=list(fetcher.blocked),
    )
