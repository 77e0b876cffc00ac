"""Browser fixtures: Playwright (Python) driving Debian's Chromium at /usr/bin/chromium.

Never run `playwright install`: the browser is the system one. Without it the browser tests
are skipped with an install hint on a developer machine and FAIL in CI (CI=true).
Override the binary with RFA_CHROMIUM=/path/to/chromium if needed.
"""
from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path
from typing import Iterator

import pytest

from tests.conftest import require_tool

CHROMIUM = os.environ.get("RFA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
INSTALL_HINT = "apt-get install chromium (Debian's package; never `playwright install`)"


@pytest.fixture(scope="session")
def browser() -> Iterator["object"]:
    """One headless Chromium for the whole session (Playwright Browser)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_tool(False, "the Python package playwright", "pip install -r requirements.txt")
    require_tool(Path(CHROMIUM).exists(), f"Chromium ({CHROMIUM})", INSTALL_HINT)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The online build served by python's http.server on 127.0.0.1 (a thread, random port)."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
