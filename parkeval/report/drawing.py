"""What a page draws besides its text, for ``verify``'s page check.

The text layer alone does not say what a reader sees: an image or a filled rectangle pasted
over a verdict changes the page and leaves its text as it was. So the page check also compares,
page by page, the non-text drawing of the PDF with that of the pages rendered again from the
embedded result: every image, path (lines, rectangles, chart bars), shading and form XObject
that the page content invokes (forms are entered: what they draw counts), each by its kind and
its bounding box rounded to the point; and the annotations each page carries (links, stamps,
free text), a signed signature field excepted (the signature check covers it). WeasyPrint draws
the same HTML to the same objects at the same places, so anything added, removed or moved
differs.

Not compared: colours, line widths and glyph shapes (a recoloured line, a path redrawn within
the same box), and the pixels inside an image at its original place.
"""

from __future__ import annotations

from typing import Any

Drawing = tuple[str, int, int, int, int]  # kind, left, bottom, right, top (points)

KIND_NAMES = {"image": "图片", "path": "图形", "shading": "渐变", "form": "图形组"}


def page_drawings(pdf: bytes) -> list[list[Drawing]]:
    """Each page's non-text objects in drawing order: kind and rounded bounding box."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    kinds = {
        raw.FPDF_PAGEOBJ_PATH: "path",
        raw.FPDF_PAGEOBJ_IMAGE: "image",
        raw.FPDF_PAGEOBJ_SHADING: "shading",
        raw.FPDF_PAGEOBJ_FORM: "form",
    }
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(document)):
            drawn: list[Drawing] = []
            for obj in document[index].get_objects():
                kind = kinds.get(obj.type)
                if kind is None:
                    continue  # text: compared as text
                left, bottom, right, top = (round(v) for v in obj.get_bounds())
                drawn.append((kind, left, bottom, right, top))
            pages.append(drawn)
        return pages
    finally:
        document.close()


def page_annotations(pdf: bytes) -> list[list[str]]:
    """Each page's annotation kinds (/Link, /Stamp, …), without signed signature fields."""
    from io import BytesIO

    from pypdf import PdfReader

    pages = []
    for page in PdfReader(BytesIO(pdf)).pages:
        kinds = []
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if _signed_field(annot):
                continue
            kinds.append(str(annot.get("/Subtype", "?")))
        pages.append(kinds)
    return pages


def _signed_field(annot: Any) -> bool:
    """A signature field's widget holding a signature (its stamp is the signer's)."""
    if annot.get("/Subtype") != "/Widget":
        return False
    field = annot
    while field is not None:
        if field.get("/FT") == "/Sig":
            return field.get("/V") is not None
        parent = field.get("/Parent")
        field = parent.get_object() if parent is not None else None
    return False


def drawing_difference(seen: bytes, expected: bytes) -> str | None:
    """Where the two PDFs' drawings or annotations first differ, in words; None if alike."""
    drawn, wanted = page_drawings(seen), page_drawings(expected)
    if len(drawn) != len(wanted):
        return f"页数不同：文件为 {len(drawn)} 页，应为 {len(wanted)} 页"
    for number, (have, want) in enumerate(zip(drawn, wanted, strict=True), start=1):
        if have != want:
            extra = [d for d in have if d not in want]
            missing = [d for d in want if d not in have]
            if extra:
                return f"第 {number} 页多出{_names(extra)}（报告生成时没有）"
            if missing:
                return f"第 {number} 页缺少{_names(missing)}"
            return f"第 {number} 页的图形顺序或位置与报告生成时不同"
    for number, (have_a, want_a) in enumerate(
        zip(page_annotations(seen), page_annotations(expected), strict=True), start=1
    ):
        if sorted(have_a) != sorted(want_a):
            return f"第 {number} 页的批注与报告生成时不同（多出或缺少批注、图章）"
    return None


def _names(drawings: list[Drawing]) -> str:
    counts: dict[str, int] = {}
    for kind, *_box in drawings:
        counts[KIND_NAMES[kind]] = counts.get(KIND_NAMES[kind], 0) + 1
    return "、".join(f" {n} 个{name}" for name, n in counts.items())
