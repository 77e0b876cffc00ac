"""A scratch copy of the project to feed the real build damaged or hostile input (no fixtures here)."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from scripts.paths import INPUTS, copy_inputs  # noqa: E402,F401  (INPUTS: what a build reads)
MANIFEST = "sources/sources.yml"
#: Where a copy takes its citeproc cache from, first found first: the session build's (tests/conftest.py
#: puts it here once made; the tests never write the checkout's build/), else the checkout's own.
CSL_CACHES: list[Path] = [ROOT / "build" / "csl-cache.json"]


def copy_project(target: Path) -> Path:
    """Copy every build input into ``target`` (created) and return it."""
    copy_inputs(target, ROOT)
    for cache in CSL_CACHES:    # keyed on its inputs: an unchanged bibliography is not redone
        if cache.is_file():
            (target / "build").mkdir(exist_ok=True)
            shutil.copy2(cache, target / "build" / cache.name)
            break
    return target


def copy_good_build(good: Path, target: Path) -> Path:
    """A copy of a built project (e.g. the session build) at ``target``, to damage or rebuild.

    docs/ and site/ are hard links (fast, and no second 13 MB on disk): the build never writes in
    them, it builds in scratch folders and swaps them in (scripts/site/publish.py), and every test
    that rebuilds checks their hash afterwards. Everything else (inputs a test may damage in place,
    build/, dist/, mkdocs.yml) is a real copy."""
    def link_outputs(src: str, dst: str) -> None:
        if Path(src).relative_to(good).parts[0] in ("docs", "site"):
            os.link(src, dst)
        else:
            shutil.copy2(src, dst)

    shutil.copytree(good, target, symlinks=True, copy_function=link_outputs)
    return target


def scratch_paths(target: Path, *, sentinel: bool = False):
    """``copy_project(target)`` as build ``Paths``; with ``sentinel``, docs/ holds one file
    (docs/sentinel.md, "previous build") that a failed build must leave alone."""
    from scripts.paths import Paths

    copy_project(target)
    if sentinel:
        (target / "docs").mkdir(exist_ok=True)
        (target / "docs" / "sentinel.md").write_text("previous build\n")
    return Paths(target)


#: The EPUBs and PDFs made by the builds of the tests, shared by every scratch copy (and by later
#: runs): the cache is keyed by the content of each file's inputs, so a copy whose inputs are the same
#: reuses them, and a copy with damaged input makes its own (scripts/formats/stage.py).
FORMATS_CACHE = Path(tempfile.gettempdir()) / f"rfa-formats-cache-{os.getuid()}"


def build_env() -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.setdefault("RFA_FORMATS_CACHE", str(FORMATS_CACHE))
    for name in ("OFFLINE", "BUILD_DEBUG"):
        env.pop(name, None)
    return env


def run_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m scripts.build --site`` (what ./site.sh build runs) in the copy at ``root``."""
    return subprocess.run([sys.executable, "-m", "scripts.build", "--site", *args], cwd=root, env=build_env(),
                          capture_output=True, text=True, timeout=900)   # a build with an empty formats cache makes every EPUB and PDF


def tree_hash(*paths: Path) -> str:
    """Path and bytes of every file under each path (a file counts as itself)."""
    digest = hashlib.sha256()
    for top in paths:
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for p in files:
            digest.update(str(p.relative_to(top.parent)).encode() + b"\0" + p.read_bytes() + b"\0")
    return digest.hexdigest()


def resign(root: Path, rel: str) -> None:
    """Record a changed source's sha256 in the copy's manifest (as if it had been received so)."""
    manifest = root / MANIFEST
    text = manifest.read_text(encoding="utf-8")
    block = text[text.index(f"file: {Path(rel).name}"):]
    old = re.search(r"sha256: ([0-9a-f]{64})", block).group(1)
    manifest.write_text(text.replace(old, hashlib.sha256((root / rel).read_bytes()).hexdigest()), encoding="utf-8")


#: The loopback address the deployer's build is made for and tests/test_publish.py's servers listen on.
#: Fixed, not a free port picked per run: the site_url is in every citation, so it is in the key of every
#: EPUB and PDF in the formats cache, and a new port each run made all of them anew (WeasyPrint and
#: EPUBCheck, most of that build's time). Runs that share the machine take turns at it (``deploy_lock``).
DEPLOY_URL = f"http://127.0.0.1:{int(os.environ.get('RFA_DEPLOY_PORT', '47631'))}/"


def deploy_lock():
    """A lock file held while a server listens on ``DEPLOY_URL`` (``fcntl.flock`` on it, exclusive): two
    test runs on one machine then take turns instead of failing to bind."""
    return (Path(tempfile.gettempdir()) / f"rfa-deploy-{os.getuid()}.lock").open("w")


def deploy_build(folder: Path) -> None:
    """The classroom edition built as a deployer builds it, in ``folder`` (created): a scratch copy
    whose mkdocs.yml has ``site_url: DEPLOY_URL`` (written to ``folder/url``), built with
    ``./site.sh build``'s command."""
    url = DEPLOY_URL
    folder.mkdir(parents=True)
    root = copy_project(folder / "project")
    yml = root / "mkdocs.yml"
    yml.write_text(re.sub(r"^(site_name:.*\n)", rf"\1site_url: {url}\n", yml.read_text(), count=1, flags=re.M))
    run = subprocess.run([sys.executable, "-m", "scripts.build", "--site"], cwd=root, env=build_env(),
                         capture_output=True, text=True, timeout=3600)   # a whole build: minutes on a busy machine
    if run.returncode != 0:
        raise RuntimeError(f"the deployer's build (site_url {url}) failed, exit {run.returncode}:\n{run.stderr[-4000:]}")
    (folder / "url").write_text(url, encoding="utf-8")
