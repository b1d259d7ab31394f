"""The only way a report reaches outside itself: a restricted WeasyPrint URL fetcher.

Dossier content (park, site and tenant names) is data, not markup: templates escape it.
As a second line, rendering may read only the report templates' own assets (stylesheets
under ``templates/``) and the Chinese font file; every other URL — ``file:`` paths,
``http(s):``, ``data:`` — is refused and recorded in :attr:`RestrictedURLFetcher.blocked`.

WeasyPrint 70 takes a fetcher *object* (``weasyprint.urls.URLFetcher``) whose ``fetch``
returns a ``URLFetcherResponse``; older function-style fetchers no longer work.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse


class RestrictedURLFetcher(URLFetcher):
    """Serve files under ``allowed_dirs`` and the exact ``allowed_files``; refuse the rest."""

    def __init__(
        self, *, allowed_dirs: list[Path], allowed_files: list[Path], **kwargs: Any
    ) -> None:
        super().__init__(allowed_protocols={"file"}, **kwargs)
        self.allowed_dirs = [d.resolve() for d in allowed_dirs]
        self.allowed_files = {f.resolve() for f in allowed_files}
        self.fetched: list[str] = []
        self.blocked: list[str] = []

    def _allowed(self, path: Path) -> bool:
        if path in self.allowed_files:
            return True
        return any(path.is_relative_to(d) for d in self.allowed_dirs)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Serve an allowed file; refuse (and record) anything else."""
        parts = urlsplit(url)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if self._allowed(path) and path.is_file():
                self.fetched.append(url)
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        self.blocked.append(url)
        # A plain error: WeasyPrint skips the resource and goes on rendering the rest.
        raise ValueError(f"报告渲染不允许读取此资源：{url}")
