"""Documents a bureau signs and files: PDF/A reports (认定评估报告、自评报告、考核评估报告 and
the summary across parks), their digital signatures, and results as Excel workbooks.

``make_report`` renders one park, ``make_all_reports`` every park plus a summary,
:mod:`~parkeval.report.signing` signs a report, ``verify_report`` checks a report's
signature, its embedded result against the database and its pages against the embedded
result, and :mod:`~parkeval.report.workbook` writes ``--xlsx``. WeasyPrint, pyHanko and
openpyxl are imported only when used, so importing this package stays cheap.

The flow: :func:`parkeval.app.reporting.gather` computes everything (certification,
status, roster, charts' numbers) → :func:`~parkeval.report.payload.result_payload` (the
JSON attached to the PDF: everything the pages show) →
:func:`~parkeval.report.context.build_context` (the one documented context object, from
the payload alone) → ``templates/report.html`` → WeasyPrint (PDF/A-3b) with a restricted
URL fetcher.
"""

from typing import Any

# What each name is imported from, on first use: one report does not load the batch's
# process pool or verify's PDF readers (`import parkeval.report` itself loads nothing).
_EXPORTS = {
    "make_all_reports": "batch",
    "ATTACHMENT_NAME": "document",
    "ReportOutcome": "document",
    "default_filename": "document",
    "make_report": "document",
    "report_html": "document",
    "VerifyOutcome": "verify",
    "verify_report": "verify",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'parkeval.report' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"parkeval.report.{module}"), name)


__all__ = [
    "ATTACHMENT_NAME",
    "ReportOutcome",
    "VerifyOutcome",
    "default_filename",
    "make_all_reports",
    "make_report",
    "report_html",
    "verify_report",
]
