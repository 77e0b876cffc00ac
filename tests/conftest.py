"""Shared fixtures: one real build of the site per test session, shared by every site fixture.

- ``session_build``: a scratch copy of the project (``tests/project_copy.py``) built once with the
  product's own command, ``python -m scripts.build --site`` (what ``./site.sh build`` runs). With
  pytest-xdist the workers share it: the first to take a file lock builds, the others wait and reuse
  it. Tests never write the checkout's docs/, build/, dist/ or mkdocs.yml, and never write into the
  session build (copy it first: ``tests.project_copy.copy_good_build``).
- ``generated_docs`` (its docs/), ``build_dir`` (its build/: report, passages.json, pages.json …),
  ``built_site`` (its site/, offline zip included, exactly what ``./site.sh build`` ships) and
  ``offline_zip`` (its dist/ zip, the bundle ``--site`` puts beside the pages); ``offline_site``: that
  zip unzipped into a fresh folder.
- ``browser``: Playwright driving Debian's /usr/bin/chromium (one per pytest process: Playwright's
  sync API allows only one instance at a time), and ``site_url``: the online build served on 127.0.0.1.

Tools that may be missing (Chromium, Java + vnu.jar) go through ``require_tool``: on a
developer machine the test is SKIPPED with a message saying how to install the tool; in CI
(env CI=true) it FAILS, so a broken CI image cannot pass silently.
"""
from __future__ import annotations

import fcntl
import os
import zipfile
import threading
from typing import Iterator
from pathlib import Path

import pytest

from tests.project_copy import CSL_CACHES, copy_project, run_build

ROOT = Path(__file__).resolve().parents[1]
OFFLINE_ZIP = "revolution-from-above-offline.zip"


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


def shared_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test run that every pytest-xdist worker sees (the run's own temp folder alone)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def build_once(tmp_path_factory: pytest.TempPathFactory, name: str, make) -> Path:
    """``make(folder)`` once per test run, whichever worker gets there first (a file lock; the
    standard pytest-xdist recipe); the others wait for it and share the result. A failure is recorded
    and reported by every worker that asks."""
    shared = shared_tmp(tmp_path_factory)
    folder, failed = shared / name, shared / f"{name}.failed"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not folder.exists() and not failed.exists():
            work = shared / f"{name}.tmp"            # renamed into place only once complete
            try:
                make(work)
            except BaseException as exc:  # noqa: BLE001 - recorded for the other workers, then re-raised
                failed.write_text(f"{type(exc).__name__}: {exc}", encoding="utf-8")
                raise
            work.rename(folder)
    if failed.exists():
        pytest.fail(f"{name}: {failed.read_text(encoding='utf-8')}", pytrace=False)
    return folder


def _site_build(root: Path) -> None:
    run = run_build(copy_project(root))
    if run.returncode != 0:
        raise RuntimeError(f"the session build (python -m scripts.build --site) failed, exit {run.returncode}:\n"
                           f"{run.stdout[-4000:]}\n{run.stderr[-4000:]}")


def _public_generate(root: Path) -> None:
    from scripts.pipeline import generate
    from tests.project_copy import scratch_paths

    generate(scratch_paths(root), public=True)


def group_by_node_id(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``--dist loadgroup``, give each test marked ``xdist_group("name")`` the node id
    ``…@name``, which is what sends a group to one worker. pytest-xdist 3.8 does this by setting
    ``item._nodeid``, which pytest 9 no longer reads (a node's id is the structured ``item._id``): the
    suffix was lost and every group was split between the workers. Both workers then made the online
    crawl (measured: two 1,740-s set-ups side by side in one run), and a session fixture of a group
    (the offline crawl, the injection build) was made once per worker that ran one of its tests."""
    if not getattr(config.option, "loadgroup", False):       # a worker of --dist loadgroup
        return
    from _pytest.nodeid import NodeId

    for item in items:
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                        for m in item.iter_markers("xdist_group")})
        suffix = "@" + "_".join(names)
        if names and not item.nodeid.endswith(suffix):      # (an xdist that sets it itself: left alone)
            item._id = NodeId.parse(item.nodeid + suffix)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run order (stable within each kind): first the tests that need no session build, so that a
    worker has work while the build is made (it starts at once, see ``pytest_collection_finish``); then
    the long groups (a crawl, serve and signals), so that no worker is left alone with one at the end;
    then the other tests of the built site. (With ``--dist loadgroup`` this order holds only with
    ``--no-loadscope-reorder``, as ./site.sh test runs it: by default xdist hands out the groups first,
    largest first.)"""
    group_by_node_id(config, items)

    def rank(item: pytest.Item) -> int:
        if not BACKGROUND_BUILDS.keys() & set(getattr(item, "fixturenames", ())):
            return 0
        return 1 if item.get_closest_marker("xdist_group") else 2
    items.sort(key=rank)


def _deploy_build(folder: Path) -> None:
    from tests.project_copy import deploy_build

    deploy_build(folder)


#: The builds a run makes once and shares between its workers: fixture -> (folder name, maker). Each
#: starts in the background as soon as the run is known to need it (``pytest_collection_finish``).
BACKGROUND_BUILDS = {"session_build": ("site-build", _site_build),
                     "deployed_site": ("deploy-build", _deploy_build)}


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the builds the collected tests need in the background as soon as the run is known (the
    first worker to take a build's lock makes it; a worker that needs it before it is done waits for
    the lock): the session build first, then the deployer's build of tests/test_publish.py, one after
    the other (two builds at once would only slow the session build that most tests wait for)."""
    if session.config.option.collectonly:
        return
    # citeproc-js's results, shared by every build of this run, in this process or a child, on either
    # worker (scripts/citations/csl.py): a scratch copy with the checkout's bibliography and notes
    # formats them once per run, not once per copy (several seconds of CPU each)
    os.environ.setdefault("RFA_CSL_CACHE", str(shared_tmp(session.config._tmp_path_factory) / "csl-cache"))
    # likewise the parsed texts (scripts/pipeline.py cached_parse): a copy whose five texts are unchanged
    # (most bad-input cases, the deployer's and the injection builds) reads them instead of parsing them
    os.environ.setdefault("RFA_PARSE_CACHE", str(shared_tmp(session.config._tmp_path_factory) / "parse-cache"))
    needed = [build for fixture, build in BACKGROUND_BUILDS.items()
              if any(fixture in getattr(item, "fixturenames", ()) for item in session.items)
              and not (fixture == "deployed_site" and os.environ.get("RFA_DEPLOY_SITE"))]  # a site given
    if not needed:
        return
    factory = session.config._tmp_path_factory
    factory.getbasetemp()        # made here, in the main thread, before the build thread asks for it

    def prebuild() -> None:
        for name, make in needed:
            try:
                build_once(factory, name, make)
            except BaseException:  # noqa: BLE001 - recorded by build_once; the fixture reports it
                pass
    threading.Thread(target=prebuild, name="background-builds", daemon=True).start()


@pytest.fixture(scope="session")
def session_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch copy of the project built with ``python -m scripts.build --site``: docs/, site/,
    build/, dist/ and mkdocs.yml as ``./site.sh build`` leaves them. Read it; never write into it."""
    root = build_once(tmp_path_factory, "site-build", _site_build)
    os.environ["RFA_BUILD_DIR"] = str(root / "build")   # what the helpers reading "the last build" read
    csl_cache = root / "build" / "csl-cache.json"   # later scratch copies start from its citeproc results
    if csl_cache.is_file() and csl_cache not in CSL_CACHES:
        CSL_CACHES.insert(0, csl_cache)
    return root


@pytest.fixture(scope="session")
def generated_docs(session_build: Path) -> Path:
    """The pipeline's output (sources -> docs/ Markdown) of the session build."""
    return session_build / "docs"


@pytest.fixture(scope="session")
def build_dir(session_build: Path) -> Path:
    """The session build's build/: report.md/.json, passages.json, pages.json, citations.json, courses/.
    The command-line helpers that read "the last build" (scripts.core.passages.load) read this one."""
    return session_build / "build"


@pytest.fixture(scope="session")
def built_site(session_build: Path) -> Path:
    """The online site of the session build (MkDocs --strict through scripts/site/mkdocs_run.py, the
    post-build steps, and the offline zip beside the pages)."""
    return session_build / "site"


@pytest.fixture(scope="session")
def public_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public-web edition's docs/ (``generate(public=True)``), made once in a scratch copy of the
    inputs so that the checkout's own docs/ stays the classroom edition."""
    return build_once(tmp_path_factory, "public-docs", _public_generate) / "docs"


@pytest.fixture(scope="session")
def offline_zip(session_build: Path) -> Path:
    """The offline bundle zip that the session's ``--site`` build made (scripts/site/offline_bundle.py)."""
    zip_path = session_build / "dist" / OFFLINE_ZIP
    assert zip_path.is_file(), f"the --site build made no {zip_path.relative_to(session_build)}"
    return zip_path


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


# ---- browser fixtures ------------------------------------------------------------------------
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


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The online build served by python's http.server on 127.0.0.1 (a thread, random port)."""
    from scripts.site.local_server import serve_folder

    with serve_folder(built_site) as url:
        yield url
