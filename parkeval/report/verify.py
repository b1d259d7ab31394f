"""``parkeval verify FILE.pdf``: does the result a PDF carries still match the database?

The embedded JSON (see :func:`parkeval.report.context.result_payload`) names the park,
policy, year and head-count date it was computed for. Verification recomputes the same
payload now and compares the parts that matter: the policy file's sha256, the hash of the
park's data, the certification result and, when recorded, the status.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parkeval.app.settings import Settings
from parkeval.errors import InputError, Problem

COMPARED = {
    "policy": "政策文件（sha256）",
    "input_sha256": "园区数据（入驻机构、营业收入等）",
    "result": "认定核查结果",
    "status": "考核与认定状态",
    "assessment": "考核评估结果",
}


@dataclass
class VerifyOutcome:
    path: str
    report_id: str
    park: str
    policy: str
    year: int
    matches: bool
    differences: list[str] = field(default_factory=list)  # the COMPARED names that differ
    details: list[str] = field(default_factory=list)  # e.g. which criterion changed


def read_payload(path: Path) -> dict[str, Any]:
    """The embedded result of a parkeval PDF, or an InputError saying what is wrong."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    from parkeval.report.document import ATTACHMENT_NAME
    from parkeval.report.payload import PAYLOAD_SCHEMA, SUMMARY_SCHEMA

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # our own message says what is wrong
    where = str(path)
    if not path.is_file():
        raise InputError([Problem(where, "文件不存在")])
    try:
        reader = PdfReader(path)
        attachments = reader.attachments
    except (PyPdfError, OSError, ValueError) as exc:
        raise InputError([Problem(where, f"不是可读取的 PDF 文件（{exc}）")]) from None
    if ATTACHMENT_NAME not in attachments:
        raise InputError(
            [
                Problem(
                    where,
                    f"PDF 中没有 parkeval 结果附件 {ATTACHMENT_NAME}；"
                    "只能核验由 parkeval report 生成的报告",
                )
            ]
        )
    try:
        payload = json.loads(attachments[ATTACHMENT_NAME][0])
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError([Problem(where, f"结果附件不是有效的 JSON（{exc}）")]) from None
    if not isinstance(payload, dict) or payload.get("schema") not in (
        PAYLOAD_SCHEMA,
        SUMMARY_SCHEMA,
    ):
        raise InputError([Problem(where, f"结果附件的格式不是 {PAYLOAD_SCHEMA}")])
    return payload


def _criteria_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    before = {(c["id"], c.get("site")): c for c in old.get("criteria", [])}
    after = {(c["id"], c.get("site")): c for c in new.get("criteria", [])}
    lines = []
    if old.get("verdict") != new.get("verdict"):
        lines.append(f"结论：{old.get('verdict')} → {new.get('verdict')}")
    for key in sorted(set(before) | set(after), key=str):
        a, b = before.get(key), after.get(key)
        if a != b:
            label = (a or b or {}).get("title", key[0])
            lines.append(
                f"{(a or b or {}).get('article', '')} {label}："
                f"{a.get('actual') if a else '—'}（{a.get('status') if a else '—'}）→ "
                f"{b.get('actual') if b else '—'}（{b.get('status') if b else '—'}）"
            )
    return lines


def verify_report(settings: Settings, path: Path) -> VerifyOutcome:
    """Recompute the payload of the report at ``path`` and compare it with the embedded one."""
    from parkeval.report.payload import SUMMARY_SCHEMA, gather, result_payload

    payload = read_payload(path)
    if payload["schema"] == SUMMARY_SCHEMA:
        return _verify_summary(settings, path, payload)
    try:
        park, policy_id, kind = payload["park"], payload["policy"]["id"], payload["kind"]
        year, as_of = int(payload["year"]), dt.date.fromisoformat(payload["as_of"])
        # reports made before reports carried their own date spoke as of the head-count day
        report_date = dt.date.fromisoformat(payload.get("report_date") or payload["as_of"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError([Problem(str(path), f"结果附件缺少字段或字段无效：{exc}")]) from None
    data = gather(
        settings,
        park=park,
        policy_id=policy_id,
        kind=kind,
        year=year,
        as_of=as_of,
        report_date=report_date,
    )
    now = result_payload(data, kind=kind)
    differences, details = [], []
    for key, name in COMPARED.items():
        if key in ("status", "assessment") and payload.get(key) is None:
            continue  # not recorded when the report was made: nothing to hold it to
        if payload.get(key) != now.get(key):
            differences.append(name)
    if payload.get("result") != now["result"]:
        details.extend(_criteria_changes(payload.get("result") or {}, now["result"]))
    return VerifyOutcome(
        path=str(path),
        report_id=str(payload.get("report_id", "")),
        park=park,
        policy=policy_id,
        year=year,
        matches=not differences,
        differences=differences,
        details=details,
    )


def _verify_summary(settings: Settings, path: Path, payload: dict[str, Any]) -> VerifyOutcome:
    """A summary across parks: recompute every park's result under the same policy and period."""
    from parkeval.app.certify import certify
    from parkeval.report.payload import plain

    try:
        policy_id, year = payload["policy"]["id"], payload["year"]
        as_of = dt.date.fromisoformat(payload["as_of"]) if payload["as_of"] else None
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError([Problem(str(path), f"结果附件缺少字段或字段无效：{exc}")]) from None
    from parkeval.app.parks import list_parks, select_parks

    policy = settings.registry.get(policy_id)
    before_codes = {
        r["park"] for r in payload.get("results") or [] if isinstance(r, dict) and "park" in r
    }
    # the parks the summary covered, and any that would be covered now (new in the jurisdiction)
    existing = {p.code for p in list_parks(settings, include_retired=True)}
    codes = sorted((before_codes & existing) | set(select_parks(settings, policy=policy).codes))
    results = (
        certify(settings, policy_id=policy_id, park_codes=codes, year=year, as_of=as_of)
        if codes
        else []
    )
    now = plain(results)
    differences, details = [], []
    if payload["policy"].get("sha256") != policy.sha256:
        differences.append(COMPARED["policy"])
    before = {r["park"]: r for r in payload.get("results") or []}
    after = {r["park"]: r for r in now}
    if before != after:
        differences.append("各园区认定核查结果")
        for park in sorted(set(before) | set(after)):
            if park not in after:
                details.append(f"{park}：数据库中已没有该园区")
            elif park not in before:
                details.append(f"{park}：报告生成后新增的园区")
            elif before[park] != after[park]:
                details.extend(
                    f"{park} {line}" for line in _criteria_changes(before[park], after[park])
                )
    return VerifyOutcome(
        path=str(path),
        report_id=str(payload.get("report_id", "")),
        park="（全部园区）",
        policy=policy_id,
        year=year or 0,
        matches=not differences,
        differences=differences,
        details=details,
    )
