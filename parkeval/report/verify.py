"""``parkeval verify FILE.pdf``: can a reader trust what the report shows?

Three checks, each on its own line and with its own bit of the exit code:

1. **数字签名** (exit bit 8) — when the file is signed: every signature intact, valid, covering
   the whole file (nothing changed after signing) and, with ``--trust``, issued under a
   given root. An unsigned report passes this check as "未签名".
2. **内嵌结果与数据库** (exit bit 1) — the result embedded in the PDF is recomputed from the
   database now: the policy file's sha256, the hash of the park's data, the certification
   result, the status and the assessment.
3. **页面内容与内嵌结果** (exit bit 4) — the report is rendered again from its embedded result
   alone and the text a reader sees on the pages is compared with it; the report id must
   be the hash of the embedded result. Swapped, replaced or edited pages, and a forged id,
   fail here. Volatile and ignored: whitespace and line breaks, where pages break, and the
   page footer (第 X 页 共 Y 页) — nothing else. Then, page by page, what the pages draw
   besides text (images, paths, form XObjects, annotations: ``report/drawing.py``) must be
   what the rendering draws: an image or a rectangle pasted over a verdict fails here.

Exit code: 0 when every check passes, else the sum of the failed checks' bits (1, 4, 8: e.g.
5 = database changed and pages differ); 2 for a file that is not a parkeval report.
"""

from __future__ import annotations

import datetime as dt
import json
import re
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
DATA_CHANGED, PAGES_DIFFER, SIGNATURE_BAD = 1, 4, 8
PAGE_FOOTER = re.compile(r"第\d+页共\d+页")


@dataclass
class Check:
    """One of verify's three checks, in words."""

    name: str  # 数字签名 / 内嵌结果与数据库 / 页面内容与内嵌结果
    passed: bool
    summary: str  # one line: 有效：… / 一致 / 不一致：…
    details: list[str] = field(default_factory=list)
    bit: int = 0  # the exit-code bit this check sets when it fails


@dataclass
class VerifyOutcome:
    """``parkeval verify``: the three checks and what the report says it is."""

    path: str
    report_id: str
    park: str  # the park's name (全部园区 for a summary)
    policy: str  # the policy's short title
    year: int
    checks: list[Check]
    differences: list[str] = field(default_factory=list)  # the COMPARED names that differ
    details: list[str] = field(default_factory=list)  # e.g. which criterion changed

    @property
    def matches(self) -> bool:
        """Every check passed."""
        return all(c.passed for c in self.checks)

    @property
    def exit_code(self) -> int:
        """0, or the sum of the failed checks' bits (1 data, 4 pages, 8 signature)."""
        return sum(c.bit for c in self.checks if not c.passed)


def read_payload(path: Path) -> dict[str, Any]:
    """The embedded result of a parkeval PDF, or an InputError saying what is wrong."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    from parkeval.report.document import ATTACHMENT_NAME
    from parkeval.report.payload import PAYLOAD_SCHEMA, SUMMARY_SCHEMA
    from parkeval.report.rewards_pdf import UNVERIFIABLE

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
        kind = next((k for n, k in UNVERIFIABLE.items() if n in attachments), None)
        if kind is not None:  # ours, but not a report verify can recompute yet
            why = f"这是本工具生成的{kind}，{kind}暂不支持核验（目前只能核验认定、考核、自评报告与汇总报告）"
            raise InputError([Problem(where, why)])
        raise InputError([Problem(where, "PDF 中没有内嵌的评估结果；只能核验由本工具生成的报告")])
    try:
        payload = json.loads(attachments[ATTACHMENT_NAME][0])
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError([Problem(where, f"内嵌的评估结果不是有效的 JSON（{exc}）")]) from None
    if not isinstance(payload, dict) or payload.get("schema") not in (
        PAYLOAD_SCHEMA,
        SUMMARY_SCHEMA,
    ):
        raise InputError([Problem(where, "内嵌的评估结果格式不对，不是本工具生成的报告")])
    return payload


def verify_report(
    settings: Settings, path: Path, *, trust_roots: list[Path] | None = None
) -> VerifyOutcome:
    """Check the signature (if any), the embedded result against the database, and the
    pages against the embedded result."""
    from parkeval.report.payload import SUMMARY_SCHEMA

    payload = read_payload(path)
    data = path.read_bytes()
    signature = signature_check(data, trust_roots)
    if payload["schema"] == SUMMARY_SCHEMA:
        outcome = _verify_summary(settings, path, payload)
    else:
        outcome = _verify_park(settings, path, payload)
    outcome.checks = [signature, outcome.checks[0], pages_check(settings, data, payload)]
    return outcome


def signature_check(data: bytes, trust_roots: list[Path] | None) -> Check:
    """Check (1): every embedded signature, or "未签名"."""
    from parkeval.report.signing import check_signatures

    found = check_signatures(data, trust_roots)
    if not found:
        return Check("数字签名", True, "未签名", bit=SIGNATURE_BAD)
    lines = []
    for s in found:
        trust = {True: "证书由所给信任根签发", False: "证书不是由所给信任根签发"}.get(
            s.trusted,  # type: ignore[arg-type]
            "未核验证书信任链（可用 --trust 指定签发机构的根证书）",
        )
        state = "签名后未被改动" if s.ok else s.problem
        lines.append(f"{s.signer}，签于 {s.signed_at}；{state}；{trust}")
    ok = all(s.ok for s in found)
    head = ("有效：" if ok else "无效：") + lines[0]
    return Check("数字签名", ok, head, lines[1:], bit=SIGNATURE_BAD)


def _context(settings: Settings, payload: dict[str, Any], path: Path) -> tuple[Any, str]:
    try:
        policy = settings.registry.get(payload["policy"]["id"])
    except (KeyError, TypeError):
        raise InputError([Problem(str(path), "内嵌的评估结果缺少政策信息")]) from None
    return policy, policy.short_title or policy.title


def _verify_park(settings: Settings, path: Path, payload: dict[str, Any]) -> VerifyOutcome:
    """Check (2) for one park's report: recompute the payload and compare."""
    from parkeval.report.payload import gather, result_payload

    try:
        park, policy_id, kind = payload["park"], payload["policy"]["id"], payload["kind"]
        year, as_of = int(payload["year"]), dt.date.fromisoformat(payload["as_of"])
        # reports made before reports carried their own date spoke as of the head-count day
        report_date = dt.date.fromisoformat(payload.get("report_date") or payload["as_of"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError([Problem(str(path), f"内嵌的评估结果缺少字段或字段无效：{exc}")]) from None
    policy, policy_name = _context(settings, payload, path)
    data = gather(
        settings,
        park=park,
        policy_id=policy_id,
        kind=kind,
        year=year,
        as_of=as_of,
        report_date=report_date,
    )
    now = result_payload(data, kind=kind, opinion=payload.get("opinion"))
    differences, details = [], []
    for key, name in COMPARED.items():
        if key in ("status", "assessment") and payload.get(key) is None:
            continue  # not recorded when the report was made: nothing to hold it to
        if payload.get(key) != now.get(key):
            differences.append(name)
    if payload.get("result") != now["result"]:
        details.extend(criteria_changes(payload.get("result") or {}, now["result"]))
    name = str((payload.get("result") or {}).get("park_name") or data.result.park_name)
    return VerifyOutcome(
        path=str(path),
        report_id=str(payload.get("report_id", "")),
        park=name,
        policy=policy_name,
        year=year,
        checks=[_data_check(differences, details)],
        differences=differences,
        details=details,
    )


def _data_check(differences: list[str], details: list[str]) -> Check:
    if not differences:
        return Check("内嵌结果与数据库", True, "一致：报告结果与当前数据库相符", bit=DATA_CHANGED)
    return Check(
        "内嵌结果与数据库",
        False,
        "不一致：报告生成后已变化的有 " + "、".join(differences),
        details,
        bit=DATA_CHANGED,
    )


def _value(c: dict[str, Any] | None) -> str:
    """A criterion's actual value and status in words (for the lines that say what changed)."""
    if not c:
        return "—"
    from decimal import Decimal

    from parkeval.domain.wording import STATUS_NAMES, actual_text
    from parkeval.report.sections import criterion

    exact = json.loads(json.dumps(c), parse_float=Decimal)
    return f"{actual_text(criterion(exact))}（{STATUS_NAMES.get(c.get('status') or '', '—')}）"


def criteria_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What changed between two certification results, in words: 结论 and each criterion."""
    from parkeval.domain.wording import VERDICT_NAMES

    before = {(c["id"], c.get("site")): c for c in old.get("criteria", [])}
    after = {(c["id"], c.get("site")): c for c in new.get("criteria", [])}
    lines = []
    if old.get("verdict") != new.get("verdict"):
        was = VERDICT_NAMES.get(old.get("verdict") or "", "—")
        lines.append(f"结论：{was} 变为 {VERDICT_NAMES.get(new.get('verdict') or '', '—')}")
    for key in sorted(set(before) | set(after), key=str):
        a, b = before.get(key), after.get(key)
        if a != b:
            c = a or b or {}
            lines.append(
                f"{c.get('article', '')} {c.get('title', '')}：{_value(a)} 变为 {_value(b)}"
            )
    return lines


def page_text(pdf: bytes) -> str:
    """The text a reader sees, page after page, with what is volatile taken out: whitespace
    and line breaks, and the page footer (第 X 页 共 Y 页). Annotations (a signature's stamp)
    are not page text."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage().get_text_bounded()
            pages.append(PAGE_FOOTER.sub("", re.sub(r"\s+", "", text)))
        return "".join(pages)
    finally:
        document.close()


def pages_check(settings: Settings, data: bytes, payload: dict[str, Any]) -> Check:
    """Check (3): render the report again from its embedded result and compare the text,
    then the drawing (images, paths, forms) and annotations of each page."""
    from parkeval.report.document import payload_html
    from parkeval.report.drawing import drawing_difference
    from parkeval.report.payload import payload_id
    from parkeval.report.render import render_pdf

    name = "页面内容与内嵌结果"
    if payload.get("report_id") != payload_id(payload):
        return Check(
            name, False, "不一致：报告编号不是内嵌结果的编号（编号或结果被改动）", bit=PAGES_DIFFER
        )
    needed = ("park_data", "figures") if payload.get("kind") != "summary" else ("files",)
    if any(key not in payload for key in needed):
        return Check(
            name,
            False,
            "无法复核：报告由旧版本生成，内嵌结果不含页面所需的数据；请重新生成报告",
            bit=PAGES_DIFFER,
        )
    policy = settings.registry.policies.get(payload["policy"]["id"])
    if policy is None or policy.sha256 != payload["policy"].get("sha256"):
        return Check(
            name,
            True,
            "未复核：政策文件已不是生成报告时的版本（见上一项），无法按原政策重新生成页面",
            bit=PAGES_DIFFER,
        )
    pdf, _fetcher, _pages = render_pdf(payload_html(payload, policy))
    assert pdf is not None
    seen, expected = page_text(data), page_text(pdf)
    if seen != expected:
        return Check(
            name,
            False,
            "不一致：页面文字与内嵌结果不符（页面被替换、调换或改动）",
            [_first_difference(seen, expected)],
            bit=PAGES_DIFFER,
        )
    drawn = drawing_difference(data, pdf)
    if drawn is not None:
        return Check(
            name,
            False,
            "不一致：页面上的图片、图形或批注与内嵌结果不符（页面内容被添加、遮盖或改动）",
            [drawn],
            bit=PAGES_DIFFER,
        )
    return Check(name, True, "一致：各页文字和图形与内嵌结果重新生成的报告相同", bit=PAGES_DIFFER)


def _first_difference(seen: str, expected: str) -> str:
    at = next(
        (i for i, (a, b) in enumerate(zip(seen, expected, strict=False)) if a != b),
        min(len(seen), len(expected)),
    )
    return f"首处不同：页面为“{seen[at : at + 24]}…”，应为“{expected[at : at + 24]}…”"


def _verify_summary(settings: Settings, path: Path, payload: dict[str, Any]) -> VerifyOutcome:
    """Check (2) for a summary across parks: recompute every park's result under the same
    policy and period."""
    from parkeval.app.certify import certify
    from parkeval.app.parks import list_parks, select_parks
    from parkeval.report.payload import plain

    try:
        policy_id, year = payload["policy"]["id"], payload["year"]
        as_of = dt.date.fromisoformat(payload["as_of"]) if payload["as_of"] else None
        report_date = (
            dt.date.fromisoformat(payload["report_date"]) if payload.get("report_date") else as_of
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError([Problem(str(path), f"内嵌的评估结果缺少字段或字段无效：{exc}")]) from None
    policy, policy_name = _context(settings, payload, path)
    before_codes = {
        r["park"] for r in payload.get("results") or [] if isinstance(r, dict) and "park" in r
    }
    # the parks the summary covered, and any that would be covered now (new in the jurisdiction)
    existing = {p.code: p.name for p in list_parks(settings, include_retired=True)}
    codes = sorted(
        (before_codes & set(existing)) | set(select_parks(settings, policy=policy).codes)
    )
    results = (
        certify(
            settings,
            policy_id=policy_id,
            park_codes=codes,
            year=year,
            as_of=as_of,
            known_on=report_date,  # as the summary was made, not today
        )
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
            label = (before.get(park) or after.get(park) or {}).get("park_name") or park
            if park not in after:
                details.append(f"{label}：数据库中已没有该园区")
            elif park not in before:
                details.append(f"{label}：报告生成后新增的园区")
            elif before[park] != after[park]:
                details.extend(
                    f"{label} {line}" for line in criteria_changes(before[park], after[park])
                )
    return VerifyOutcome(
        path=str(path),
        report_id=str(payload.get("report_id", "")),
        park="全部园区",
        policy=policy_name,
        year=year or 0,
        checks=[_data_check(differences, details)],
        differences=differences,
        details=details,
    )
