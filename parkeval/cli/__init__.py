"""The command line: a thin leaf over the use cases of :mod:`parkeval.app`.

Commands parse options, call one library function, render the result and map library
errors to exit codes (2 for bad input). Heavy modules (the database layer, openpyxl,
WeasyPrint) are imported inside commands, and a command module itself only when one of its
commands runs (``COMMANDS`` in :mod:`parkeval.cli.app`), so ``parkeval --help`` stays fast.
"""

from __future__ import annotations

from parkeval.cli.app import COMMANDS, app, load_commands


def main() -> None:
    """Run the command line (the ``parkeval`` entry point)."""
    app(prog_name="parkeval")


__all__ = ["COMMANDS", "app", "load_commands", "main"]
