"""Vendor the iframe-worker shim and copy the book face from node_modules into assets/.

    npm ci && python -m scripts.tools.install_assets          # refresh the vendored copy
    python -m scripts.tools.install_assets --check             # exit 1 if it differs from node_modules

Why: Material's offline plugin adds https://unpkg.com/iframe-worker/shim to the page
polyfills unless a polyfill path already contains "iframe-worker". The bundle must make no
outside requests, so the shim (npm package iframe-worker, file shim/index.js, MIT licence,
© Martin Donath) is shipped as assets/javascripts/iframe-worker-shim.js. The file is
committed (MIT allows redistribution with the notice, which is kept in its header), so a
checkout builds without npm; this script is how it is refreshed when package.json changes.

The course builder (content/course-builder page, assets/javascripts/course-builder.js) needs two
libraries, vendored the same way into assets/javascripts/vendor/ (committed, MIT notices kept):
lz-string (npm lz-string, libs/lz-string.min.js, © pieroxy) compresses a course into a share
link's fragment, and js-yaml (npm js-yaml, dist/js-yaml.min.js, © Vitaly Puzrin) reads a course
file back into the builder. Only the builder page loads them.

The reading face, PT Serif (npm @fontsource/pt-serif, SIL Open Font License, © ParaType), is
copied into assets/fonts/pt-serif/ at every setup (not committed: ``.gitignore``): its woff2 files
for the latin, latin-ext, cyrillic and cyrillic-ext subsets in regular, italic, bold and bold
italic, the licence, and pt-serif.css, Fontsource's own @font-face rules (one per subset, with
its unicode-range, so a browser fetches only the subsets a page uses) with the .woff fallbacks
left out. The site serves the font itself: no request to a font host (theme.font stays false).

The student's notebook (issue 22) matches W3C Web Annotation selectors with the npm packages
dom-anchor-text-quote and dom-anchor-text-position (MIT, © Randall Leeds) and their diff-match-patch
(Apache-2.0, © Google): esbuild (a devDependency) bundles them from
scripts/tools/notebook_anchoring.entry.js into one browser file,
assets/javascripts/notebook-anchoring.js, committed like the shim (their licences allow it, the
notices are in its header) so that a checkout builds without npm; this script rebuilds it and
``--check`` compares it.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.paths import ROOT  # noqa: E402
from scripts.site.publish import build_lock, replace_dir
PACKAGE = ROOT / "node_modules" / "iframe-worker"
TARGET = ROOT / "assets" / "javascripts" / "iframe-worker-shim.js"
FONT_PACKAGE = ROOT / "node_modules" / "@fontsource" / "pt-serif"
FONT_TARGET = ROOT / "assets" / "fonts" / "pt-serif"
VENDOR = {   # target in assets/javascripts/vendor/ -> (npm package, file in it, licence file)
    "lz-string.min.js": ("lz-string", "libs/lz-string.min.js", "LICENSE"),
    "js-yaml.min.js": ("js-yaml", "dist/js-yaml.min.js", "LICENSE"),
}
VENDOR_TARGET = ROOT / "assets" / "javascripts" / "vendor"
FONT_STYLES = ("400.css", "400-italic.css", "700.css", "700-italic.css")
ANCHORING_ENTRY = ROOT / "scripts" / "tools" / "notebook_anchoring.entry.js"
ANCHORING_TARGET = ROOT / "assets" / "javascripts" / "notebook-anchoring.js"
ANCHORING_PACKAGES = ("dom-anchor-text-quote", "dom-anchor-text-position", "diff-match-patch")
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"


def vendored_text() -> str:
    """The shim as shipped: an MIT notice header, then shim/index.js byte for byte."""
    version = json.loads((PACKAGE / "package.json").read_text())["version"]
    licence = (PACKAGE / "LICENSE").read_text().strip()
    header = (f"/*! iframe-worker {version} shim/index.js, vendored by scripts/tools/install_assets.py "
              f"from the npm package iframe-worker.\n" + licence.replace("*/", "* /") + "\n*/\n")
    return header + (PACKAGE / "shim" / "index.js").read_text()


def anchoring_text() -> str:
    """The selector bundle as shipped: a header naming each bundled package, its version and licence,
    then esbuild's minified IIFE of the entry (deterministic for a given esbuild and package set)."""
    lines = []
    for name in ANCHORING_PACKAGES:
        meta = json.loads((ROOT / "node_modules" / name / "package.json").read_text())
        lines.append(f"{name} {meta['version']} ({meta.get('license', 'see its package')})")
    out = subprocess.run([str(ESBUILD), str(ANCHORING_ENTRY), "--bundle", "--format=iife", "--minify",
                          "--target=es2017", "--legal-comments=none", "--log-level=warning"],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    header = ("/*! The notebook's selector matching, bundled by scripts/tools/install_assets.py with esbuild from npm:\n"
              + "".join(f"   {line}\n" for line in lines)
              + "   dom-anchor-*: MIT, (c) Randall Leeds; diff-match-patch: Apache-2.0, (c) Google Inc. */\n")
    return header + out


def install_anchoring() -> bool:
    """Rebuild the committed bundle when esbuild is installed; True if it was (re)written."""
    if not ESBUILD.exists():
        return False
    try:
        text = anchoring_text()
    except (OSError, subprocess.CalledProcessError) as err:   # the committed bundle stays as it is
        print(f"esbuild could not rebuild {ANCHORING_TARGET.relative_to(ROOT)} ({err}); the committed copy is kept.",
              file=sys.stderr)
        return False
    if ANCHORING_TARGET.exists() and ANCHORING_TARGET.read_text() == text:
        return False
    ANCHORING_TARGET.write_text(text)
    print(f"wrote {ANCHORING_TARGET.relative_to(ROOT)}")
    return True


def vendor_texts(node_modules: Path = ROOT / "node_modules") -> dict[str, str]:
    """The builder's libraries as shipped: a header with the package, version and licence, then the file."""
    out = {}
    for name, (package, rel, licence) in VENDOR.items():
        folder = node_modules / package
        version = json.loads((folder / "package.json").read_text())["version"]
        notice = (folder / licence).read_text(encoding="utf-8").strip().replace("*/", "* /")
        out[name] = (f"/*! {package} {version} {rel}, vendored by scripts/tools/install_assets.py from the npm "
                     f"package {package}.\n{notice}\n*/\n" + (folder / rel).read_text(encoding="utf-8"))
    return out


def install_font(package: Path = FONT_PACKAGE, target: Path = FONT_TARGET) -> list[str]:
    """Copy PT Serif's woff2 files and @font-face rules into ``target``; return the files it holds.

    Idempotent: the new copy is made beside ``target`` and only swapped in if it differs, so a
    second run (or a build copying assets/ meanwhile) never sees the folder missing or half-written."""
    scratch = Path(tempfile.mkdtemp(prefix=".pt-serif.", dir=target.parent if target.parent.exists() else None))
    try:
        names = _write_font(package, scratch)
        if _same_tree(scratch, target):
            return names
        replace_dir(scratch, target)
        return names
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _same_tree(a: Path, b: Path) -> bool:
    if not b.is_dir():
        return False
    files = lambda root: {p.relative_to(root): p for p in root.rglob("*") if p.is_file()}  # noqa: E731
    fa, fb = files(a), files(b)
    return fa.keys() == fb.keys() and all(fa[k].read_bytes() == fb[k].read_bytes() for k in fa)


def _write_font(package: Path, target: Path) -> list[str]:
    css = []
    for name in FONT_STYLES:
        text = (package / name).read_text(encoding="utf-8")
        css.append(re.sub(r",\s*url\(\./files/[^)]+\.woff\) format\('woff'\)", "", text))
    files = sorted(set(re.findall(r"url\(\./files/([^)]+\.woff2)\)", "".join(css))))
    (target / "files").mkdir(parents=True, exist_ok=True)
    for name in files:
        shutil.copyfile(package / "files" / name, target / "files" / name)
    version = json.loads((package / "package.json").read_text())["version"]
    header = (f"/* PT Serif from npm @fontsource/pt-serif {version} (SIL Open Font License 1.1, see LICENSE),\n"
              "   copied by scripts/tools/install_assets.py. */\n")
    (target / "pt-serif.css").write_text(header + "\n".join(css), encoding="utf-8")
    shutil.copyfile(package / "LICENSE", target / "LICENSE")
    return ["pt-serif.css", "LICENSE", *files]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="vendor the iframe-worker shim")
    parser.add_argument("--check", action="store_true", help="only compare, do not write")
    args = parser.parse_args(argv)
    if not (PACKAGE / "shim" / "index.js").exists():
        print("node_modules/iframe-worker is missing: run `npm ci` first.", file=sys.stderr)
        return 1
    text = vendored_text()
    if args.check:
        same = TARGET.exists() and TARGET.read_text() == text
        print(f"{TARGET.relative_to(ROOT)} {'matches' if same else 'DIFFERS FROM'} node_modules")
        if ESBUILD.exists():
            bundle = ANCHORING_TARGET.exists() and ANCHORING_TARGET.read_text() == anchoring_text()
            print(f"{ANCHORING_TARGET.relative_to(ROOT)} {'matches' if bundle else 'DIFFERS FROM'} node_modules")
            same = same and bundle
        for name, vendored in vendor_texts().items():
            here = VENDOR_TARGET / name
            ok = here.exists() and here.read_text(encoding="utf-8") == vendored
            print(f"{here.relative_to(ROOT)} {'matches' if ok else 'DIFFERS FROM'} node_modules")
            same = same and ok
        return 0 if same else 1
    with build_lock(ROOT, "asset setup"):     # a build copying assets/ never sees them change underneath
        return _install(text)


def _install(text: str) -> int:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    if not TARGET.exists() or TARGET.read_text() != text:
        TARGET.write_text(text)
        print(f"wrote {TARGET.relative_to(ROOT)}")
    install_anchoring()
    VENDOR_TARGET.mkdir(parents=True, exist_ok=True)
    for name, vendored in vendor_texts().items():
        here = VENDOR_TARGET / name
        if not here.exists() or here.read_text(encoding="utf-8") != vendored:
            here.write_text(vendored, encoding="utf-8")
            print(f"wrote {here.relative_to(ROOT)}")
    if not (FONT_PACKAGE / "package.json").exists():
        print("node_modules/@fontsource/pt-serif is missing: run `npm ci` first.", file=sys.stderr)
        return 1
    FONT_TARGET.parent.mkdir(parents=True, exist_ok=True)
    install_font()
    return 0


if __name__ == "__main__":
    sys.exit(main())
