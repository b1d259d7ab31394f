"""Where the bundled policies, demo dossiers and templates are.

In a checkout they are the top-level ``data/`` and ``templates/`` folders; an
installed wheel carries them as ``parkeval/_data`` and ``parkeval/_templates``
(see ``[tool.hatch.build.targets.wheel.force-include]`` in pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def data_dir() -> Path:
    """The bundled data folder (policies, demo dossiers)."""
    return _first_existing(_PACKAGE / "_data", _PACKAGE.parent / "data")


def templates_dir() -> Path:
    """The bundled report templates folder."""
    return _first_existing(_PACKAGE / "_templates", _PACKAGE.parent / "templates")


def policies_dir() -> Path:
    """The built-in policy files."""
    return data_dir() / "policies"


def goals_dir() -> Path:
    """The built-in development goal files (one per source document)."""
    return data_dir() / "goals"


def demo_dir() -> Path:
    """The demo's sample dossiers and their manifest."""
    return data_dir() / "demo"
