"""PDF reports (认定评估报告、自评报告、考核评估报告) a bureau can print, sign and file.

``make_report`` renders one park, ``make_all_reports`` every park plus a summary, and
``verify_report`` checks a PDF's embedded result against the database. WeasyPrint is
imported only when a PDF is rendered, so importing this package stays cheap.

The flow: :func:`parkeval.app.reporting.gather` computes everything (certification,
status, roster, charts' numbers) → :func:`~parkeval.report.context.result_payload` (the
JSON attached to the PDF) → :func:`~parkeval.report.context.build_context` (the one
documented context object) → ``templates/report.html`` → WeasyPrint with a restricted
URL fetcher.
"""

from parkeval.report.batch import make_all_reports
from parkeval.report.document import (
    ATTACHMENT_NAME,
    ReportOutcome,
    default_filename,
    make_report,
    report_html,
)
from parkeval.report.verify import VerifyOutcome, verify_report

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
