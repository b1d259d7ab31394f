"""Signing a report and checking what a reader sees: verify's three checks and exit codes.

The certificate authority is made at run time (tests/pki.py); no key is committed.
"""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pki import make_pki
from pypdf import PdfReader, PdfWriter
from typer.testing import CliRunner

from parkeval.app.demo import run_demo
from parkeval.app.settings import Settings
from parkeval.cli import app
from parkeval.report import ATTACHMENT_NAME, make_report

YEAR, AS_OF = 2024, dt.date(2024, 12, 31)


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two demo reports, a throwaway PKI, and one report signed with a visible stamp."""
    root = tmp_path_factory.mktemp("sign")
    db = str(root / "sign.db")
    settings = Settings(db=db, policy_dirs=[], today=dt.date(2025, 6, 30))
    run_demo(settings)
    paths = {}
    for park in ("gx-pass", "gx-fail"):
        paths[park] = root / f"{park}.pdf"
        make_report(
            settings, park=park, policy_id="gx-2021", year=YEAR, as_of=AS_OF, out=paths[park]
        )
    pki = make_pki(root)
    password = root / "password.txt"
    password.write_text("test-pass\n", encoding="utf-8")
    out = root / "gx-pass-signed.pdf"
    result = CliRunner().invoke(
        app,
        [
            "sign",
            str(paths["gx-pass"]),
            "--cert",
            str(pki["p12"]),
            "--password-file",
            str(password),
            "--stamp",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return {"db": db, "paths": paths, "pki": pki, "signed": out, "password": password, "root": root}


def verify(db: str, path: Path, *extra: str) -> Any:
    return CliRunner().invoke(app, ["--db", db, "verify", str(path), *extra])


def test_a_signed_report_verifies_with_its_signer_on_the_signature_line(signed: dict[str, Any]):
    result = verify(signed["db"], signed["signed"], "--trust", str(signed["pki"]["ca"]))
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if "数字签名" in x)
    assert "有效" in line and "南宁市人力资源和社会保障局" in line and "签名后未被改动" in line
    assert "证书由所给信任根签发" in result.output
    assert "✓ 内嵌结果与数据库：一致" in result.output
    assert "✓ 页面内容与内嵌结果：一致" in result.output
    # the signature is an incremental update: every byte of the report is kept
    original = signed["paths"]["gx-pass"].read_bytes()
    assert signed["signed"].read_bytes().startswith(original)


def test_an_unrelated_trust_root_fails_the_signature_check(signed: dict[str, Any]):
    result = verify(signed["db"], signed["signed"], "--trust", str(signed["pki"]["other"]))
    assert result.exit_code == 8 and "证书不是由所给信任根签发" in result.output


def test_a_tampered_signed_report_fails_the_signature_check(signed: dict[str, Any], tmp_path: Path):
    data = bytearray(signed["signed"].read_bytes())
    at = data.index(b"WeasyPrint")  # the producer, inside the signed bytes; same length
    data[at : at + 10] = b"WeasyPrinT"
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    result = verify(signed["db"], tampered)
    assert result.exit_code & 8, result.output
    line = next(x for x in result.output.splitlines() if "数字签名" in x)
    assert "无效" in line and "改动" in line


def test_pages_of_another_park_with_a_genuine_attachment_fail_the_page_check(
    signed: dict[str, Any], tmp_path: Path
):
    """gx-fail's visible pages carrying gx-pass's genuine attachment: the attachment still
    matches the database, but the pages do not match it."""
    genuine = PdfReader(signed["paths"]["gx-pass"]).attachments[ATTACHMENT_NAME][0]
    writer = PdfWriter(clone_from=signed["paths"]["gx-fail"])
    _replace_attachment(writer, genuine)
    forged = tmp_path / "forged.pdf"
    writer.write(forged)
    result = verify(signed["db"], forged)
    assert result.exit_code == 4, result.output
    assert "✓ 内嵌结果与数据库：一致" in result.output
    assert "✗ 页面内容与内嵌结果：不一致" in result.output


def test_swapped_pages_fail_the_page_check(signed: dict[str, Any], tmp_path: Path):
    reader = PdfReader(signed["paths"]["gx-fail"])
    writer = PdfWriter(clone_from=signed["paths"]["gx-fail"])
    order = list(range(len(reader.pages)))
    order[1], order[2] = order[2], order[1]
    swapped = PdfWriter()
    for i in order:
        swapped.add_page(writer.pages[i])
    swapped.add_attachment(ATTACHMENT_NAME, reader.attachments[ATTACHMENT_NAME][0])
    path = tmp_path / "swapped.pdf"
    swapped.write(path)
    result = verify(signed["db"], path)
    assert result.exit_code == 4, result.output


def test_a_forged_report_id_fails(signed: dict[str, Any], tmp_path: Path):
    reader = PdfReader(signed["paths"]["gx-pass"])
    payload = json.loads(reader.attachments[ATTACHMENT_NAME][0])
    payload["report_id"] = "PE-000000000000"
    writer = PdfWriter(clone_from=signed["paths"]["gx-pass"])
    _replace_attachment(writer, json.dumps(payload, ensure_ascii=False).encode())
    path = tmp_path / "forged-id.pdf"
    writer.write(path)
    result = verify(signed["db"], path)
    assert result.exit_code & 4 and "报告编号不是内嵌结果的编号" in result.output


def _pasted_image(text: str) -> PdfReader:
    """A one-page PDF holding a picture of ``text`` in black on white, as a forger makes it."""
    from PIL import Image, ImageDraw, ImageFont

    from parkeval.report.render import font_path

    font = ImageFont.truetype(str(font_path()), 48)
    image = Image.new("RGB", (400, 72), "white")
    ImageDraw.Draw(image).text((0, 6), text, font=font, fill="black")
    buffer = BytesIO()
    image.save(buffer, format="PDF", resolution=288)
    return PdfReader(BytesIO(buffer.getvalue()))


def test_an_image_pasted_over_the_verdict_of_an_unsigned_report_fails(
    signed: dict[str, Any], tmp_path: Path
):
    """The text layer is untouched, so only the drawing comparison can see the forgery."""
    from pypdf import Transformation

    writer = PdfWriter(clone_from=signed["paths"]["gx-fail"])
    patch = _pasted_image("符合认定条件").pages[0]
    writer.pages[1].merge_transformed_page(patch, Transformation().translate(152, 704))
    forged = tmp_path / "pasted.pdf"
    writer.write(forged)
    result = verify(signed["db"], forged)
    assert result.exit_code == 4, result.output
    assert "✓ 内嵌结果与数据库：一致" in result.output
    assert "✗ 页面内容与内嵌结果：不一致：页面上的图片" in result.output
    assert "第 2 页多出 1 个图片" in result.output
    # the genuine file passes the same check
    assert verify(signed["db"], signed["paths"]["gx-fail"]).exit_code == 0


def test_a_stamp_annotation_added_to_an_unsigned_report_fails(
    signed: dict[str, Any], tmp_path: Path
):
    from pypdf.annotations import FreeText

    writer = PdfWriter(clone_from=signed["paths"]["gx-fail"])
    writer.add_annotation(1, FreeText(text="符合认定条件", rect=(150, 700, 400, 760)))
    forged = tmp_path / "annotated.pdf"
    writer.write(forged)
    result = verify(signed["db"], forged)
    assert result.exit_code == 4, result.output
    assert "第 2 页的批注与报告生成时不同" in result.output


def _replace_attachment(writer: PdfWriter, data: bytes) -> None:
    names = writer._root_object["/Names"]
    del names["/EmbeddedFiles"]
    writer.add_attachment(ATTACHMENT_NAME, data)


def test_sign_refuses_what_it_cannot_do(signed: dict[str, Any], tmp_path: Path):
    runner = CliRunner()
    pki, password = signed["pki"], str(signed["password"])
    base = ["sign", "--cert", str(pki["p12"]), "--password-file", password]
    # an existing output is not overwritten without --force
    result = runner.invoke(
        app, [*base, str(signed["paths"]["gx-pass"]), "--out", str(signed["signed"])]
    )
    assert result.exit_code == 2 and "已存在" in result.output
    # a wrong password
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("nope", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "sign",
            str(signed["paths"]["gx-pass"]),
            "--cert",
            str(pki["p12"]),
            "--password-file",
            str(wrong),
            "--out",
            str(tmp_path / "x.pdf"),
        ],
    )
    assert result.exit_code == 2 and "口令" in result.output and not (tmp_path / "x.pdf").exists()
    # a signed report is not signed again; a PDF that is not a report is refused
    result = runner.invoke(app, [*base, str(signed["signed"]), "--out", str(tmp_path / "y.pdf")])
    assert result.exit_code == 2 and "已经签名" in result.output
    plain = tmp_path / "plain.pdf"
    out = BytesIO()
    PdfWriter().add_blank_page(100, 100)
    blank = PdfWriter()
    blank.add_blank_page(100, 100)
    blank.write(out)
    plain.write_bytes(out.getvalue())
    result = runner.invoke(app, [*base, str(plain), "--out", str(tmp_path / "z.pdf")])
    assert result.exit_code == 2 and "不是" in result.output
    # the output must be a .pdf
    result = runner.invoke(
        app, [*base, str(signed["paths"]["gx-pass"]), "--out", str(tmp_path / "a.txt")]
    )
    assert result.exit_code == 2 and ".pdf" in result.output
