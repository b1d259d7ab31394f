"""Digital signatures on reports (``parkeval sign``) and checking them (``parkeval verify``).

A report is signed with pyHanko as a PAdES baseline B-B signature (CAdES-detached, SHA-256)
from a PKCS#12 file (.p12/.pfx) holding the bureau's key and certificate. The signature is
an incremental update: the signed report keeps every byte of the original, so its pages and
its attachment are exactly the report's.

The optional visible stamp (``--stamp``) is drawn in the room the template reserves under
the signature lines — found through the named destination ``seal`` WeasyPrint writes for
that element — with the report's own font file (Noto Sans SC, embedded as a subset), so every
font in the file stays embedded and the document stays PDF/A-3b.

Not supported: SM2/SM3 (国密) seals. pyHanko and the Python ``cryptography`` library
implement RSA, ECDSA (NIST/Brainpool curves) and EdDSA, not SM2 signatures over SM3 digests
(GB/T 38540), and the official electronic seals (电子印章) of Chinese bureaus are issued on
UKeys through vendor software. A report signed here carries an internationally readable
PAdES signature; a 国密 seal must be applied with the bureau's own seal system.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from parkeval.errors import InputError, ParkevalError, Problem

FIELD_NAME = "parkeval-seal"
SEAL_ANCHOR = "seal"  # the template's id beside 评估单位（盖章）
STAMP_SIZE = (190, 58)  # points: wide enough for the signer's name, one line of a seal's height


@dataclass
class SignOutcome:
    """What ``parkeval sign`` did."""

    path: Path
    signer: str  # the certificate's subject, in the words it has
    stamped: bool
    seconds: float


@dataclass
class SignatureCheck:
    """One embedded signature, checked."""

    signer: str  # the certificate's subject (CN, O)
    signed_at: str  # 2025年6月30日 14:02 (the time the signer's software claimed)
    intact: bool  # the signed bytes hash to what was signed
    valid: bool  # the cryptographic signature verifies with the certificate's key
    covers_file: bool  # no change after signing (the signature covers the whole file)
    trusted: bool | None  # chain to a given trust root; None when no root was given
    problem: str  # why it fails, in words, or ""

    @property
    def ok(self) -> bool:
        """Intact, valid, unchanged since signing, and trusted when a root was given."""
        return self.intact and self.valid and self.covers_file and self.trusted is not False


def _load_signer(cert: Path, password: bytes | None) -> Any:
    from pyhanko.sign import signers

    try:
        data = cert.read_bytes()[: 1 << 20]
    except OSError as exc:
        raise InputError([Problem(str(cert), f"无法读取证书文件：{exc.strerror}")]) from None
    try:
        return signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=password)
    except ValueError:
        raise InputError(
            [
                Problem(
                    str(cert),
                    "无法打开 PKCS#12 证书文件：口令不对，或不是 .p12/.pfx 文件",
                )
            ]
        ) from None


def subject_words(certificate: Any) -> str:
    """A certificate's subject as people read it: common name and organisation."""
    subject = certificate.subject.native
    parts = [str(subject[k]) for k in ("common_name", "organization_name") if subject.get(k)]
    words = "，".join(dict.fromkeys(parts))  # a name given as both CN and O is said once
    return words or certificate.subject.human_friendly


def _name_tree(node: Any) -> dict[str, Any]:
    """A PDF name tree (EmbeddedFiles, Dests) as a dict, following its kids."""
    out: dict[str, Any] = {}
    names = node.get("/Names")
    if names is not None:
        for i in range(0, len(names) - 1, 2):
            out[str(names[i])] = names[i + 1]
    for kid in node.get("/Kids") or []:
        out.update(_name_tree(kid.get_object()))
    return out


def _page_ids(node: Any) -> list[int]:
    """The object numbers of a page tree's pages, in order."""
    kids, ids = node["/Kids"], []
    for i in range(len(kids)):
        ref = kids.raw_get(i)  # the indirect reference, not the page it points to
        page = ref.get_object()
        ids.extend(_page_ids(page) if page.get("/Type") == "/Pages" else [ref.idnum])
    return ids


def _report_parts(writer: Any) -> tuple[bool, Any]:
    """Whether the PDF carries parkeval's result attachment, and the ``#seal`` destination."""
    from parkeval.report.document import ATTACHMENT_NAME

    names = writer.root.get("/Names")
    names = names.get_object() if names is not None else {}
    files = _name_tree(names["/EmbeddedFiles"].get_object()) if "/EmbeddedFiles" in names else {}
    dests = _name_tree(names["/Dests"].get_object()) if "/Dests" in names else {}
    seal = dests.get(SEAL_ANCHOR)
    return ATTACHMENT_NAME in files, None if seal is None else seal.get_object()


def _seal_box(writer: Any, seal: Any) -> tuple[int, tuple[int, int, int, int]]:
    """The page and box of the stamp: the room the template reserves under the signature
    lines (``#seal``), found through the named destination WeasyPrint writes for it
    ([page /XYZ left top zoom])."""
    if seal is None:
        raise ParkevalError(
            "报告中没有签章位置，无法加盖可见签章",
            hint="不加 --stamp 时签名不可见但同样有效；或用本版本重新生成报告后再签。",
        )
    page = _page_ids(writer.root["/Pages"]).index(seal.raw_get(0).idnum)
    left, top = float(seal[2]), float(seal[3])
    width, height = STAMP_SIZE
    x, y_top = int(left), int(top) - 4  # the top left of the room reserved under the signatures
    return page, (x, y_top - height, x + width, y_top)


def sign_report(
    source: Path,
    out: Path,
    *,
    cert: Path,
    password: bytes | None = None,
    reason: str | None = None,
    stamp: bool = False,
    force: bool = False,
    now: dt.datetime | None = None,
) -> SignOutcome:
    """Sign the report at ``source`` into ``out`` (PAdES B-B; with ``stamp`` a visible stamp in
    the report's own font); written atomically, an existing ``out`` only with ``force``."""
    import time

    from parkeval.outputs import check_output, write_output

    start = time.perf_counter()
    check_output(out, suffixes=[".pdf"], force=force)
    signer = _load_signer(cert, password)
    signed = _sign_bytes(source, signer, reason=reason, stamp=stamp, now=now)
    write_output(out, signed, suffixes=[".pdf"], force=force)
    return SignOutcome(out, subject_words(signer.signing_cert), stamp, time.perf_counter() - start)


def _sign_bytes(
    source: Path, signer: Any, *, reason: str | None, stamp: bool, now: dt.datetime | None
) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter

    where = str(source)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InputError([Problem(where, f"无法读取报告：{exc.strerror}")]) from None
    try:
        writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
        is_report, seal = _report_parts(writer)
        signed_already = bool(list(writer.prev.embedded_signatures))
    except Exception:  # pyHanko's parse errors: not a PDF it can extend
        raise InputError([Problem(where, "不是可读取的 PDF 文件")]) from None
    if not is_report:
        raise InputError([Problem(where, "不是 parkeval 生成的报告（没有内嵌的评估结果）")])
    if signed_already:
        raise ParkevalError(
            f"{source} 已经签名；本工具不在已签名的报告上再次签名",
            hint="请对原始（未签名）报告签名。",
        )
    name = subject_words(signer.signing_cert)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason or "评估报告签署",
        name=name,
    )
    if stamp:
        page, box = _seal_box(writer, seal)
        spec = fields.SigFieldSpec(
            sig_field_name=FIELD_NAME, on_page=page, box=box, readable_field_name="数字签名"
        )
        text = f"数字签名\n签署：{name}\n时间：{_when(now or dt.datetime.now())}"
        with tempfile.TemporaryDirectory() as tmp:
            font = Path(tmp) / "stamp.otf"
            font.write_bytes(_font_subset(text))
            pdf_signer = signers.PdfSigner(
                meta, signer, stamp_style=_stamp_style(text, font), new_field_spec=spec
            )
            out = pdf_signer.sign_pdf(writer)
    else:
        spec = fields.SigFieldSpec(sig_field_name=FIELD_NAME)
        out = signers.PdfSigner(meta, signer, new_field_spec=spec).sign_pdf(writer)
    return bytes(out.getvalue())


def _when(moment: dt.datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def _font_subset(text: str) -> bytes:
    """The report's font (Noto Sans SC) cut down to the stamp's characters with HarfBuzz —
    milliseconds, where pyHanko's own subsetting of the 16 MB font takes over a second."""
    import uharfbuzz as hb

    from parkeval.report.render import font_path

    face = hb.Face(hb.Blob.from_file_path(str(font_path())))
    wanted = hb.SubsetInput()
    for ch in set(text):
        wanted.unicode_set.add(ord(ch))
    return bytes(hb.subset(face, wanted).blob.data)


def _stamp_style(text: str, font: Path) -> Any:
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(
        stamp_text=text.replace("%", "%%"),
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(str(font), font_size=8), leading=11
        ),
        border_width=1,
        background=None,
    )


def _signatures_in(data: bytes) -> list[Any]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return list(PdfFileReader(BytesIO(data), strict=False).embedded_signatures)
    except Exception:  # pyHanko's own parse errors: treat as unsigned; pypdf said it is a PDF
        return []


def check_signatures(data: bytes, trust_roots: list[Path] | None = None) -> list[SignatureCheck]:
    """Every signature in the file, checked offline: intact, valid, covering the whole file
    (no change after signing), and — when ``trust_roots`` are given — chaining to one of them."""
    from pyhanko.keys import load_certs_from_pemder
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    # pyHanko logs every failed path search with a traceback; the result says it in words
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    try:
        roots = list(load_certs_from_pemder([str(p) for p in trust_roots or []]))
    except (OSError, ValueError) as exc:
        names = "、".join(str(p) for p in trust_roots or [])
        raise InputError([Problem(names, f"无法读取信任根证书（PEM 或 DER）：{exc}")]) from None
    checks = []
    for sig in _signatures_in(data):
        context = ValidationContext(
            trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
        )
        try:
            status = validate_pdf_signature(sig, context)
        except Exception as exc:  # a malformed signature is a failed check, in words
            checks.append(
                SignatureCheck(
                    "（无法读取）", "—", False, False, False, None, f"签名无法解析：{exc}"
                )
            )
            continue
        covers = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        problem = ""
        if not status.intact:
            problem = "签名后文件内容被改动（签名所覆盖的字节与签名不符）"
        elif not status.valid:
            problem = "签名值与证书不符"
        elif not covers:
            problem = "签名之后文件又被追加修改"
        elif roots and not status.trusted:
            problem = "签名证书不是由所给的信任根签发"
        moment = status.signer_reported_dt
        checks.append(
            SignatureCheck(
                signer=subject_words(status.signing_cert),
                signed_at=_when(moment.astimezone()) if moment else "—",
                intact=bool(status.intact),
                valid=bool(status.valid),
                covers_file=covers,
                trusted=bool(status.trusted) if roots else None,
                problem=problem,
            )
        )
    return checks
