"""The command line: a thin leaf over the use cases of :mod:`parkeval.app`.

Commands parse options, call one library function, render the result and map library
errors to exit codes (2 for bad input). Heavy modules (the database layer, openpyxl,
WeasyPrint) are imported inside commands so ``parkeval --help`` stays fast.
"""

from __future__ import annotations

from parkeval.cli.app import app

# Each module registers its commands on ``app``; the import order is the order of --help.
# ruff: noqa: I001
from parkeval.cli import core  # noqa: E402,F401
from parkeval.cli import policies  # noqa: E402,F401
from parkeval.cli import lifecycle  # noqa: E402,F401
from parkeval.cli import corrections  # noqa: E402,F401
from parkeval.cli import status  # noqa: E402,F401
from parkeval.cli import analysis  # noqa: E402,F401
from parkeval.cli import goals  # noqa: E402,F401
from parkeval.cli import reports  # noqa: E402,F401
from parkeval.cli import admin  # noqa: E402,F401
from parkeval.cli import rewards  # noqa: E402,F401


def main() -> None:
    """Run the command line (the ``parkeval`` entry point)."""
    app(prog_name="parkeval")


__all__ = ["app", "main"]
