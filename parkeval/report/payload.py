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


def input_hash(detail: ParkDetail) -> str:
    """sha256 of the park's stored data (sites, tenants, revenue, attestations), not of when
    or from which file it was imported: re-importing the same data keeps the hash."""
    data = {k: v for k, v in to_jsonable(detail).items() if k not in ("imported_at", "source_file")}
    return hashlib.sha256(canonical_json(data)).hexdigest()


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


def result_payload(data: ReportData, *, kind: str) -> dict[str, Any]:
    """The JSON embedded in the PDF: ``certify --json`` result, ``status --json`` (when
    available), the policy file's sha256 and a hash of the park's input data."""
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
    }
    body["report_id"] = "PE-" + hashlib.sha256(canonical_json(body)).hexdigest()[:12].upper()
    return body


def summary_payload(
    results: list[CertificationResult], policy: Policy, *, report_id: str
) -> dict[str, Any]:
    """The JSON embedded in a summary report: every park's ``certify --json`` result."""
    first = results[0] if results else None
    return {
        "schema": SUMMARY_SCHEMA,
        "kind": "summary",
        "report_id": report_id,
        "policy": {"id": policy.id, "sha256": policy.sha256, "document_no": policy.document_no},
        "year": first.year if first else None,
        "as_of": first.as_of.isoformat() if first else None,
        "results": plain(results),
    }
