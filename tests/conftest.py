"""Shared fixtures: one real build of the site per test session.

- ``built_site``: Path to the HTML site, built by the real pipeline
  (``python -m scripts.build`` then ``mkdocs build --strict``) into a session temp dir.
- ``offline_site``: Path to the unzipped offline bundle (``scripts/offline_bundle.py``:
  ``OFFLINE=true mkdocs build --strict`` + our search worker, zipped, then unzipped again).
- ``browser`` (tests/browser/conftest.py): Playwright driving Debian's /usr/bin/chromium.

Tools that may be missing (Chromium, Java + vnu.jar) go through ``require_tool``: on a
developer machine the test is SKIPPED with a message saying how to install the tool; in CI
(env CI=true) it FAILS, so a broken CI image cannot pass silently.
"""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def in_ci() -> bool:
    """True in CI (CI=true/1/yes), where missing tools are failures, not skips."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require_tool(ok: bool, what: str, how: str) -> None:
    """Skip (developer machine) or fail (CI) when a tool the test needs is missing."""
    if ok:
        return
    message = f"{what} is not available; install it with: {how}"
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def _run(cmd: list[str], what: str) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("OFFLINE", None)
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"{what} failed ({' '.join(cmd)}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}",
                    pytrace=False)


@pytest.fixture(scope="session")
def generated_docs() -> Path:
    """Run the pipeline once per session: sources -> docs/ (Markdown)."""
    _run([sys.executable, "-m", "scripts.build"], "the pipeline (python -m scripts.build)")
    return ROOT / "docs"


@pytest.fixture(scope="session")
def built_site(generated_docs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The online site, built with `mkdocs build --strict` into a session temp dir."""
    site = tmp_path_factory.mktemp("built") / "site"
    _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
         "mkdocs build --strict")
    return site


@pytest.fixture(scope="session")
def offline_zip(generated_docs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline bundle zip, built by scripts/offline_bundle.py (pipeline already run)."""
    from scripts.offline_bundle import BundleError, build_bundle

    work = tmp_path_factory.mktemp("offline")
    try:
        return build_bundle(pipeline=False, build_dir=work / "build", dist=work / "dist")
    except BundleError as err:
        message = str(err)
    pytest.fail(f"offline bundle: {message}", pytrace=False)


@pytest.fixture(scope="session")
def offline_site(offline_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline bundle unzipped into a fresh folder (as a teacher would), its site root."""
    target = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(offline_zip) as zf:
        zf.extractall(target)
    roots = [p for p in target.iterdir() if p.is_dir()]
    assert len(roots) == 1, f"the zip should hold one top-level folder, found {roots}"
    return roots[0]


def site_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site (404.html included), sorted."""
    return sorted(site.rglob("*.html"))
