"""Build the offline classroom bundle: dist/revolution-from-above-offline.zip.

    python -m scripts.site.offline_bundle            # pipeline + offline build + zip
    python -m scripts.site.offline_bundle --no-pipeline   # reuse the docs/ already generated

Steps:
1. ``python -m scripts.build`` regenerates docs/ (skipped with --no-pipeline).
2. ``OFFLINE=true mkdocs build --strict -d build/offline/revolution-from-above``: Material's
   offline plugin turns off directory URLs and inlines the search index as
   search/search_index.js so the site works from file://.
3. ``mkdocs_run.post_build`` gives it what every build gets (one search result per note, our
   search worker instead of Material's lunr worker: scripts/site/search_worker.py; offline, the texts
   move to search/search_docs.js, loaded by the worker when the page is idle:
   scripts/site/search_paragraphs.py), and the 404 page's links are made relative.
4. The folder is zipped (source maps left out) under one top-level folder, so unzipping
   anywhere gives ``revolution-from-above/index.html``.

The build directory is outside docs/ and site/, so the online build is untouched.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from scripts.paths import Paths
from scripts.site.mkdocs_run import render_site

NAME = "revolution-from-above"
ZIP_NAME = f"{NAME}-offline.zip"
SHIM = "assets/javascripts/iframe-worker-shim.js"


class BundleError(Exception):
    """A problem a person can act on (message says what to do)."""


def build_pipeline(paths: Paths) -> None:
    """Regenerate docs/ from the sources (``python -m scripts.build``)."""
    proc = subprocess.run([sys.executable, "-m", "scripts.build"], cwd=paths.root, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BundleError(f"the build failed:\n{proc.stdout}\n{proc.stderr}")


def build_offline(out_dir: Path, paths: Paths, config: Path | None = None, started: list | None = None) -> None:
    """Build the site with Material's offline plugin into out_dir (a separate directory), from
    ``config`` (default mkdocs.yml: docs/)."""
    if render_site(paths, config or paths.mkdocs_yml, out_dir, offline=True, started=started) != 0:
        raise BundleError("the offline site did not build (the messages above say why)")
    if not (out_dir / "search" / "search_index.js").exists():
        raise BundleError(
            "the offline build has no search/search_index.js: is the offline plugin enabled "
            "in mkdocs.yml (`- offline: enabled: !ENV [OFFLINE, false]`)?")
    if not (out_dir / "search" / "search_docs.js").exists():
        raise BundleError("the offline build has no search/search_docs.js (the texts our search worker "
                          "loads from file://): scripts/search_notes.py writes it; run the build again")


def relative_404(site: Path) -> None:
    """Make 404.html's root-absolute URLs relative: MkDocs writes ``/assets/…`` for it (it may be
    served at any depth online), which from ``file://`` means the root of the disk, outside the bundle."""
    page = site / "404.html"
    if not page.exists():
        return
    html = page.read_text(encoding="utf-8")
    html = re.sub(r'\b(href|src)="/(?!/)', r'\1="./', html)
    html = re.sub(r'("base":\s*)"/"', r'\1"."', html)
    page.write_text(html, encoding="utf-8")


def check_no_unpkg(site: Path) -> None:
    """Fail if the offline plugin injected its CDN shim (our local shim must be configured)."""
    if not (site / SHIM).exists():
        raise BundleError(f"{SHIM} is missing: run `python -m scripts.tools.install_assets`.")
    index = (site / "index.html").read_text(encoding="utf-8")
    if "unpkg.com" in index:
        raise BundleError("the offline build references unpkg.com: add "
                          f"`{SHIM}` to extra.polyfills in mkdocs.yml.")


def edition_version(mkdocs_yml: Path) -> str:
    """extra.version of mkdocs.yml (the edition shown in every footer)."""
    match = re.search(r'^\s+version:\s*"?([^"\s#]+)', mkdocs_yml.read_text(encoding="utf-8"), re.M)
    return match.group(1) if match else "?"


def write_readme(site: Path, paths: Paths) -> Path:
    """README.txt at the top of the bundle: what it is and which file to open first (the text is
    data/offline/README.txt, with the edition's version and build date filled in)."""
    import datetime
    built = datetime.datetime.now(datetime.timezone.utc).strftime("%d %B %Y").lstrip("0")
    readme = paths.data / "offline" / "README.txt"
    text = readme.read_text(encoding="utf-8").replace("{version}", edition_version(paths.mkdocs_yml))
    text = text.replace("{built}", built)
    out = site / "README.txt"
    out.write_text(text, encoding="utf-8")
    return out


def make_zip(site: Path, zip_path: Path) -> None:
    """Zip the build under one top-level folder, README.txt first; source maps (*.map) are left out."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = zip_path.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(site.rglob("*"), key=lambda p: (p.name != "README.txt", p.as_posix())):
            if path.is_file() and path.suffix != ".map":
                zf.write(path, f"{NAME}/{path.relative_to(site).as_posix()}")
    tmp.replace(zip_path)


def build_bundle(paths: Paths | None = None, pipeline: bool = True, build_dir: Path | None = None,
                 dist: Path | None = None, config: Path | None = None, started: list | None = None,
                 add_files=None) -> Path:
    """Build the bundle; return the zip's path. ``config``: the MkDocs configuration to build from
    (``./site.sh build`` passes the scratch one of the build in progress); ``add_files(site)``, if
    given, puts more files into the bundle's folder before it is zipped (the EPUBs and PDFs)."""
    paths = paths or Paths()
    build_dir = build_dir or paths.report / "offline"
    dist = dist or paths.root / "dist"
    site = build_dir / NAME
    if site.exists():
        shutil.rmtree(site)
    if pipeline:
        build_pipeline(paths)
    build_offline(site, paths, config, started)
    check_no_unpkg(site)
    relative_404(site)
    write_readme(site, paths)
    if add_files is not None:
        add_files(site)
    zip_path = dist / ZIP_NAME
    make_zip(site, zip_path)
    return zip_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pipeline", action="store_true",
                        help="do not run `python -m scripts.build` first (reuse docs/)")
    args = parser.parse_args(argv)
    try:
        paths = Paths()
        zip_path = build_bundle(paths, pipeline=not args.no_pipeline)
    except BundleError as err:
        print(f"offline bundle: {err}", file=sys.stderr)
        return 1
    size = zip_path.stat().st_size
    print(f"wrote {paths.show(zip_path)} ({size / 1e6:.1f} MB); unzip it anywhere and open "
          f"{NAME}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
