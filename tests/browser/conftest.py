"""Fixtures of the browser tests (the browser itself, the served site and the builds are in tests/conftest.py)."""
from __future__ import annotations

import pytest


@pytest.fixture
def page(browser):
    """A desktop-sized page (1280 × 900) in its own context; ``page.js_errors`` collects the
    uncaught script errors, which tests assert to be empty."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()
