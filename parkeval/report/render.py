"""HTML and PDF rendering: one Jinja environment, WeasyPrint imported only here, on use.

The Chinese font is Noto Sans SC from the ``pylopdf-fonts-zh-cn`` package (SIL OFL 1.1;
covers the URO and CJK Extension A, which rare characters in company names need). It is
loaded with ``@font-face`` from its installed path and embedded in the PDF as a subset.
"""

from __future__ import annotations

import ctypes.util
import logging
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from parkeval.errors import ParkevalError
from parkeval.resources import templates_dir

FONT_FAMILY = "Noto Sans SC"
HARFBUZZ_HINT = (
    "未找到 HarfBuzz 字体子集库（libharfbuzz-subset0），WeasyPrint 将改用纯 Python 子集化，"
    "每份报告会慢数秒。安装：sudo apt-get install libharfbuzz-subset0"
    "（Debian/Ubuntu；其他系统安装 HarfBuzz ≥ 4.1 的 subset 库）。"
)


def font_path() -> Path:
    """The installed Noto Sans SC file (an error that says what to install if it is missing)."""
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        raise ParkevalError(
            "找不到中文字体包 pylopdf-fonts-zh-cn，无法生成报告",
            hint="安装：pip install pylopdf-fonts-zh-cn（随 parkeval 依赖一起安装）",
        ) from None
    path = Path(pylopdf_fonts_zh_cn.sans_path())
    if not path.is_file():
        raise ParkevalError(
            f"中文字体文件不存在：{path}",
            hint="重新安装：pip install --force-reinstall pylopdf-fonts-zh-cn",
        )
    return path


def harfbuzz_subset_available() -> bool:
    """Whether Debian's libharfbuzz-subset0 (fast font subsetting) can be loaded."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


def _money(value: Any) -> str:
    from parkeval.domain.wording import format_money

    return (
        "—"
        if value is None
        else format_money(Decimal(str(value)) if isinstance(value, float) else value)
    )


def _area(value: Any) -> str:
    from parkeval.domain.wording import format_area

    return "—" if value is None else format_area(value)


def _percent(value: Any) -> str:
    from parkeval.domain.wording import format_percent

    return (
        "—"
        if value is None
        else format_percent(Decimal(str(value)) if isinstance(value, float) else value)
    )


def _cn_date(value: Any) -> str:
    from parkeval.domain.wording import format_date

    return format_date(value)


@lru_cache(maxsize=1)
def environment() -> Any:
    """The one Jinja environment of the reports: autoescaped, strict about undefined names."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=_money, area=_area, percent=_percent, cn_date=_cn_date)
    from parkeval.policy.model import METRIC_NAMES

    env.globals["metric_names"] = {m.value: name for m, name in METRIC_NAMES.items()}
    return env


def inline_stylesheet(html: str) -> str:
    """``html`` with its link to ``report.css`` replaced by the stylesheet itself, so a
    written HTML file opens styled wherever it is saved (the PDF reads the file instead)."""
    link = '<link rel="stylesheet" href="report.css">'
    css = (templates_dir() / "report.css").read_text(encoding="utf-8")
    return html.replace(link, f"<style>\n{css}\n</style>", 1)


def render_html(template: str, context: Any) -> str:
    """Render ``template`` (``report.html`` or ``summary.html``) with its context object."""
    return str(environment().get_template(template).render(ctx=context))


@lru_cache(maxsize=1)
def font_config() -> Any:
    """The process's one WeasyPrint font configuration: the report font is loaded into it by the
    first report and reused by every later one (a ``report --all`` worker renders many)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


PDF_VARIANT = "pdf/a-3b"  # archival: fonts embedded, sRGB output intent, XMP, attachments as AF


def render_pdf(
    html: str,
    *,
    attachment: bytes | None = None,
    attachment_name: str = "parkeval-result.json",
    target: Path | None = None,
) -> tuple[bytes | None, Any, int]:
    """HTML → PDF/A-3b with the restricted fetcher; the attachment (the machine-readable
    result) is an associated file of the document with relationship ``Data``. Returns (PDF
    bytes or None if written to ``target``, the fetcher with what it served and refused,
    number of pages)."""
    from io import BytesIO

    from weasyprint import HTML, Attachment

    from parkeval.report.fetcher import RestrictedURLFetcher

    fetcher = RestrictedURLFetcher(allowed_dirs=[templates_dir()], allowed_files=[font_path()])
    attachments = []
    if attachment is not None:
        attachments.append(
            Attachment(
                file_obj=BytesIO(attachment),
                name=attachment_name,
                description="机器可读的评估结果（JSON）",
                url_fetcher=fetcher,
                relationship="Data",
            )
        )
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)  # blocked URLs are reported through the fetcher instead
    try:
        document = HTML(
            string=html, base_url=templates_dir().as_uri() + "/", url_fetcher=fetcher
        ).render(font_config=font_config())
        pdf = document.write_pdf(
            target=str(target) if target else None,
            attachments=attachments,
            pdf_variant=PDF_VARIANT,
            finisher=_one_associated_file_entry_each,
        )
    finally:
        logger.setLevel(level)
    return pdf, fetcher, len(document.pages)


def _one_associated_file_entry_each(_document: Any, pdf: Any) -> None:
    """WeasyPrint 70 lists a document attachment twice in the catalog's /AF (once from the
    EmbeddedFiles name tree, once from the file specification itself); keep each once."""
    import pydyf

    entries = pdf.catalog.get("AF")
    if entries is not None:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(entries))


def font_face_css() -> str:
    """The @font-face rule pointing at the installed font (the only font file a report reads)."""
    return (
        f"@font-face {{ font-family: '{FONT_FAMILY}'; "
        f"src: url('{font_path().as_uri()}') format('opentype'); }}"
    )


__all__ = [
    "FONT_FAMILY",
    "HARFBUZZ_HINT",
    "environment",
    "font_config",
    "font_face_css",
    "font_path",
    "harfbuzz_subset_available",
    "inline_stylesheet",
    "render_html",
    "render_pdf",
]
