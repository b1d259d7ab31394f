"""Run parkeval as a module: ``python -m parkeval``."""

from parkeval.cli import main

main()
