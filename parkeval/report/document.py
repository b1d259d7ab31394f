"""One park's report: its HTML, and the PDF with the machine-readable result attached."""

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


def report_html(
    settings: Settings,
    *,
    park: str,
    policy_id: str,
    kind: str = "certification",
    year: int | None = None,
    as_of: dt.date | None = None,
    report_date: dt.date | None = None,
    risks: bool = False,
) -> tuple[str, dict[str, Any]]:
    """The report's HTML and the machine-readable payload it carries (with ``risks``, the
    风险提示 section too)."""
    from parkeval.report.context import build_context
    from parkeval.report.payload import gather, result_payload
    from parkeval.report.render import render_html

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
    payload = result_payload(data, kind=kind)
    context = build_context(data, payload, kind=kind, today=data.report_date)
    return render_html("report.html", context), payload


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
    risks: bool = False,
) -> ReportOutcome:
    """Render one park's report to ``out`` (default: a name from park, policy, year, kind)."""
    from parkeval.report.payload import canonical_json
    from parkeval.report.render import render_pdf

    start = time.perf_counter()
    html, payload = report_html(
        settings,
        park=park,
        policy_id=policy_id,
        kind=kind,
        year=year,
        as_of=as_of,
        report_date=report_date,
        risks=risks,
    )
    if out is None:
        out = (out_dir or Path(".")) / default_filename(park, policy_id, payload["year"], kind)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf, fetcher, pages = render_pdf(
        html, attachment=canonical_json(payload), attachment_name=ATTACHMENT_NAME
    )
    assert pdf is not None
    out.write_bytes(pdf)
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
