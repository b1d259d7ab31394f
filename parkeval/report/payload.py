"""The machine-readable result a report carries (its JSON attachment) and the hashes that
tie a PDF to its data: what ``parkeval verify`` recomputes and compares.

The payload is built from the same computations as the visible pages
(:func:`parkeval.app.reporting.gather`), so a report and its attachment cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from parkeval.app.parks import ParkDetail
from parkeval.app.reporting import ReportData
from parkeval.app.settings import Settings
from parkeval.domain.results import CertificationResult
from parkeval.errors import ParkevalError
from parkeval.jsonout import to_jsonable
from parkeval.policy.model import Policy

PAYLOAD_SCHEMA = "parkeval.report/1"
SUMMARY_SCHEMA = "parkeval.summary/1"
KINDS = {
    "certification": "认定评估报告",
    "self_evaluation": "自评报告",
    "assessment": "考核评估报告",
}


def canonical_json(value: Any) -> bytes:
    """Stable JSON bytes (sorted keys); Decimals, dates and dataclasses as ``--json`` writes them."""
    return json.dumps(
        value, default=to_jsonable, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()


def plain(value: Any) -> Any:
    """``value`` as it reads back from JSON, so a recomputed payload compares equal to a stored one."""
    return json.loads(canonical_json(value))


def park_data(detail: ParkDetail) -> dict[str, Any]:
    """The park's stored data (sites, tenants, revenue, attestations) as the report shows and
    embeds it — not when or from which file it was imported."""
    data = {k: v for k, v in to_jsonable(detail).items() if k not in ("imported_at", "source_file")}
    return dict(plain(data))


def input_hash(detail: ParkDetail) -> str:
    """sha256 of :func:`park_data`: re-importing the same data keeps the hash."""
    return hashlib.sha256(canonical_json(park_data(detail))).hexdigest()


def figures(data: ReportData) -> dict[str, Any]:
    """The numbers the charts draw, computed once from the snapshot: park revenue for the last
    five years with reported revenue, and occupancy and HR institutions per site."""
    from parkeval.domain.metrics import compute_metric
    from parkeval.policy.model import Metric

    facts, result = data.facts, data.result
    years = sorted(
        {int(y) for t in data.detail.tenants for y in t.revenue if int(y) <= result.year}
    )[-5:]

    def value(metric: Metric, scope: str, site: Any, year: int) -> Any:
        return compute_metric(
            facts, metric, scope, site, year=year, as_of=result.as_of, tally=facts.tally
        ).value

    return plain(
        {
            "revenue": [[y, value(Metric.revenue, "park", None, y)] for y in years],
            "sites": [
                {
                    "code": site.code,
                    "name": site.name,
                    "role": site.role,
                    # scope "branch" computes the metric for this one site
                    "occupancy": value(Metric.occupancy, "branch", site, result.year),
                    "hr_institutions": value(Metric.hr_institutions, "branch", site, result.year),
                }
                for site in facts.sites
            ],
        }
    )


def gather(
    settings: Settings,
    *,
    park: str,
    policy_id: str,
    kind: str,
    year: int | None,
    as_of: dt.date | None,
    report_date: dt.date | None = None,
    risks: bool = False,
) -> ReportData:
    """What one report is computed from (:func:`parkeval.app.reporting.gather`)."""
    from parkeval.app.reporting import gather as compute

    if kind not in KINDS:
        raise ParkevalError(f"未知的报告类型 “{kind}”", hint="可选：" + "、".join(KINDS))
    return compute(
        settings,
        park=park,
        policy_id=policy_id,
        kind=kind,
        year=year,
        as_of=as_of,
        report_date=report_date,
        risks=risks,
    )


def result_payload(data: ReportData, *, kind: str, opinion: str | None = None) -> dict[str, Any]:
    """The JSON embedded in the PDF: ``certify --json`` result, ``status --json`` (when
    available), the policy file's sha256 and a hash of the park's input data — and everything
    else the pages show (the park's data, the charts' figures, the evaluators' opinion), so
    the pages can be rendered again from the attachment alone and compared (``verify``)."""
    body = {
        "schema": PAYLOAD_SCHEMA,
        "kind": kind,
        "park": data.result.park,
        "policy": {
            "id": data.policy.id,
            "sha256": data.policy.sha256,
            "document_no": data.policy.document_no,
        },
        "year": data.result.year,
        "as_of": data.result.as_of.isoformat(),
        "input_sha256": input_hash(data.detail),
        "result": plain(data.result),
        "status": plain(data.status),
        "assessment": plain(data.assessment),
        "report_date": data.report_date.isoformat(),
        "park_data": park_data(data.detail),
        "figures": figures(data),
        "opinion": opinion,
    }
    if data.risks is not None:  # report --risks: the 风险提示 section's tenants, drawn from here
        body["risks"] = plain(data.risks)
    if data.goals:  # the 发展目标 section and its charts, drawn from here; only when goals apply
        body["goals"] = plain(data.goals)
    body["report_id"] = payload_id(body)
    return body


def payload_id(body: dict[str, Any]) -> str:
    """A report's id: a hash of its embedded result without the id itself (so a report whose
    id was changed by hand, or whose result was, no longer matches its id)."""
    rest = {k: v for k, v in body.items() if k != "report_id"}
    return "PE-" + hashlib.sha256(canonical_json(rest)).hexdigest()[:12].upper()


def summary_payload(
    results: list[CertificationResult],
    policy: Policy,
    *,
    report_date: dt.date,
    files: dict[str, str],
    year: int,
    as_of: dt.date,
) -> dict[str, Any]:
    """The JSON embedded in a summary report: every park's ``certify --json`` result, and what
    else its pages show (the report's date, each park's report file)."""
    body = {
        "schema": SUMMARY_SCHEMA,
        "kind": "summary",
        "policy": {"id": policy.id, "sha256": policy.sha256, "document_no": policy.document_no},
        "year": year,
        "as_of": as_of.isoformat(),
        "results": plain(results),
        "report_date": report_date.isoformat(),
        "files": dict(sorted(files.items())),
    }
    body["report_id"] = payload_id(body)
    return body
