"""The command line of the build: ``python -m scripts.build [--site | --serve] [--public]``.

    python -m scripts.build            # regenerate docs/ and build/report.md (scripts/pipeline.py)
    python -m scripts.build --site     # ... then MkDocs renders site/, and the offline zip beside it
    python -m scripts.build --serve    # ... then serve with live reload (scripts/serve.py)
    python -m scripts.build --public   # public-web edition: unlicensed texts show landing page + extract only

The stages and the packages that run them are listed at the top of ``scripts/pipeline.py``.
Bad input stops the build with ``file:line: error: …`` and what to do; docs/, site/ and mkdocs.yml
are only replaced once everything has been generated, so a failed build never leaves them half-written.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from scripts.core import downloads
from scripts.core.errors import BuildError
from scripts.formats.page import fill_sizes, listing_files
from scripts.formats.stage import build_formats
from scripts.paths import Paths
from scripts.pipeline import generate, print_summary
from scripts.serve import serve
from scripts.site import mkdocs_run, offline_save, publish
from scripts.site.mkdocs_run import scratch_config
from scripts.site.offline_bundle import BundleError, build_bundle


def remove_scratch(folder: Path, tries: int = 20) -> None:
    """Remove a scratch folder of this build, trying again for a few seconds while it is still there.

    Why: after a signal (``./site.sh build`` stopped by SIGTERM or Ctrl-C) a child the build has just
    stopped, or a worker finishing its last file, can write into the folder while ``rmtree`` empties
    it, and ``rmtree(ignore_errors=True)`` then leaves the folder behind in the project (the serve and
    signal tests found a stray ``site.*`` once in a clean-clone run)."""
    for _ in range(tries):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.25)


def build_site(paths: Paths, public: bool = False) -> int:
    """``--site``: generate the pages, then MkDocs renders the site and (classroom edition) the
    offline bundle at the same time, one process each on the machine's two cores, all in scratch
    folders, while the EPUBs and PDFs are made beside them (scripts/formats/: only those whose
    inputs changed); docs/, site/ (with the bundle's zip and the formats inside) and mkdocs.yml are
    then swapped in together (scripts/site/publish.py), and the zip and the formats copied to dist/.
    Any error leaves all of them as they were."""
    scratch: list[Path] = []  # removed at the end, whatever happened
    config = None
    started: list = []
    running: list = []        # the formats' and the bundle's threads, which write into the scratch folders
    try:
        # A signal is held while folders are made and threads started (publish.signals_held), and
        # raised once they are recorded here: raised inside a thread's start (ThreadPoolExecutor.submit
        # waits there for the new thread to run, long on a loaded machine), it left a thread that
        # the pool does not join and this function did not know, writing into a scratch folder after
        # it had been removed (the signal test's stray ``site.*``, in loaded clean-clone runs).
        with publish.signals_held():
            stage, site, bundle, made = (Path(tempfile.mkdtemp(prefix=prefix, dir=paths.root))  # names
                                         for prefix in ("docs.", "site.", "site.", "site."))   # publish.recover knows
            scratch += [stage, site, bundle, made]
        summary = generate(paths, public=public, stage=stage)
        print_summary(summary, "pages generated")
        with publish.signals_held():    # the file is made inside: recorded before a signal is raised
            config = scratch_config(paths, summary["mkdocs_yml"], stage)
        with ThreadPoolExecutor(max_workers=2) as pool:
            def add_formats(folder: Path) -> None:     # the bundle carries the EPUBs and PDFs too
                made_listing = formats.result()          # first wait for them: they may still be in the making
                shutil.copytree(made / downloads.FOLDER, folder / downloads.FOLDER)
                fill_sizes(folder / "download.html", listing_files(made_listing))
            with publish.signals_held():
                formats = pool.submit(build_formats, paths, public, stage, made)
                running.append(formats)
                offline = None if public else pool.submit(
                    build_bundle, paths, pipeline=False, build_dir=bundle / "build", dist=bundle / "dist",
                    config=config, started=started, add_files=add_formats)
                if offline is not None:
                    running.append(offline)
            try:
                code = mkdocs_run.render_site(paths, config, site)
                listing = formats.result()
                zip_path = offline.result() if offline is not None else None
            except BaseException:
                for proc in started:   # the bundle's MkDocs, in the worker thread: no orphan left running
                    mkdocs_run.stop(proc)
                raise
        if code != 0:
            print(f"build stopped: the site did not build (mkdocs exit {code}); docs/ and site/ were left unchanged",
                  file=sys.stderr)
            return 1
        if zip_path is not None:      # "Download for offline use" links it beside the pages
            shutil.copy2(zip_path, site / zip_path.name)
        shutil.copytree(made / downloads.FOLDER, site / downloads.FOLDER)
        sizes = listing_files(listing)
        if zip_path is not None:
            sizes[zip_path.name] = (zip_path.stat().st_size, dt.date.today().isoformat())
        fill_sizes(site / "download.html", sizes)
        if (site / offline_save.SW).exists():   # the online site: its precache must hold the page as now filled
            try:
                offline_save.write_worker(site)
            except offline_save.OfflineSaveError as err:
                print(f"error: {err}\nbuild stopped: docs/ and site/ were left unchanged", file=sys.stderr)
                return 1
        new_yml = config.with_name(config.name + ".nav")
        new_yml.write_text(summary["mkdocs_yml"], encoding="utf-8")
        try:
            publish.swap(paths.root, [(stage, paths.docs), (site, paths.site), (new_yml, paths.mkdocs_yml)])
        except publish.Interrupted as exc:  # held back until the swap was complete
            print(f"build interrupted ({exc}) just after docs/ and site/ were replaced with the new build",
                  file=sys.stderr)
            return 128 + exc.signum
        except publish.SwapError as exc:
            print(f"build stopped: {exc}" if exc.rolled_back else f"build stopped half way: {exc}", file=sys.stderr)
            return 1
        dist = paths.root / "dist"
        dist.mkdir(exist_ok=True)
        if zip_path is not None:
            shutil.copy2(zip_path, dist / (zip_path.name + ".tmp"))
            (dist / (zip_path.name + ".tmp")).replace(dist / zip_path.name)
        fresh = Path(tempfile.mkdtemp(prefix=".downloads.", dir=dist))   # whole, then swapped in
        shutil.copytree(made / downloads.FOLDER, fresh / downloads.FOLDER)
        publish.replace_dir(fresh / downloads.FOLDER, dist / downloads.FOLDER)
        fresh.rmdir()
        print(f"site/ written ({'public-web' if public else 'classroom'} edition)")
        return 0
    except BundleError as err:
        print(f"offline bundle: {err}", file=sys.stderr)
        print(STOPPED, file=sys.stderr)
        return 1
    finally:
        # A signal can leave the thread pool before its threads have ended (a clean-clone test run found
        # the bundle's search files written into its scratch folder after it had been removed): wait
        # for each thread's end, whatever it was, before removing what they write into.
        for future in running:
            try:
                future.result()
            except BaseException:  # noqa: BLE001 - its error was reported, or the build is stopping
                pass
        for folder in scratch:
            remove_scratch(folder)
        if config is not None:
            config.unlink(missing_ok=True)
            config.with_name(config.name + ".nav").unlink(missing_ok=True)


STOPPED = "build stopped: docs/ and site/ were left unchanged"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", action="store_true", help="also build the HTML site into site/")
    parser.add_argument("--serve", action="store_true", help="also serve the site with live reload")
    parser.add_argument("--public", action="store_true", help="public-web edition (see README)")
    parser.add_argument("--dev-addr", default="", help="with --serve: address:port to serve on")
    args = parser.parse_args(argv)
    paths = Paths()
    try:
        with publish.interruptible():
            if args.serve:
                with publish.build_lock(paths.root, "serve"):
                    publish.recover(paths.root)
                    print_summary(generate(paths, public=args.public))
                return serve(paths, dev_addr=args.dev_addr, public=args.public)
            with publish.build_lock(paths.root, "public build" if args.public else "build"):
                for note in publish.recover(paths.root):
                    print(f"note: {note}", file=sys.stderr)
                if args.site:
                    return build_site(paths, public=args.public)
                print_summary(generate(paths, public=args.public))
                return 0
    except BuildError as exc:
        print(exc.relative_to(paths.root), file=sys.stderr)
        print(STOPPED, file=sys.stderr)
        return 1
    except publish.Interrupted as exc:
        if publish.State.published:   # the signal came after the swap: say what is really there
            print(f"build interrupted ({exc}) after the new build was published: docs/, site/ and mkdocs.yml are "
                  "the new build (the offline zip beside the pages may be the previous one: build again for it)",
                  file=sys.stderr)
        else:
            print(f"build interrupted ({exc}): docs/ and site/ were left as they were", file=sys.stderr)
        return 128 + exc.signum
    except Exception as exc:  # a bug in the build itself, not bad input
        if os.environ.get("BUILD_DEBUG"):
            raise
        what = publish.environment_error(exc)
        if what:                # the disk full, a read-only folder: the machine, not scripts/ or the input
            print(f"error: {what}", file=sys.stderr)
            print("build stopped: " + ("docs/, site/ and mkdocs.yml are the new build" if publish.State.published
                                       else "docs/ and site/ were left unchanged"), file=sys.stderr)
            return 1
        print(f"internal error: {type(exc).__name__}: {exc}\n  what to do: this is a bug in scripts/, not in "
              "your input; rerun with BUILD_DEBUG=1 for the traceback and report it", file=sys.stderr)
        print(STOPPED, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
