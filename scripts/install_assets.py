"""Vendor the iframe-worker shim from node_modules into assets/javascripts/.

    npm ci && python -m scripts.install_assets          # refresh the vendored copy
    python -m scripts.install_assets --check             # exit 1 if it differs from node_modules

Why: Material's offline plugin adds https://unpkg.com/iframe-worker/shim to the page
polyfills unless a polyfill path already contains "iframe-worker". The bundle must make no
outside requests, so the shim (npm package iframe-worker, file shim/index.js, MIT licence,
© Martin Donath) is shipped as assets/javascripts/iframe-worker-shim.js. The file is
committed (MIT allows redistribution with the notice, which is kept in its header), so a
checkout builds without npm; this script is how it is refreshed when package.json changes.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "node_modules" / "iframe-worker"
TARGET = ROOT / "assets" / "javascripts" / "iframe-worker-shim.js"


def vendored_text() -> str:
    """The shim as shipped: an MIT notice header, then shim/index.js byte for byte."""
    version = json.loads((PACKAGE / "package.json").read_text())["version"]
    licence = (PACKAGE / "LICENSE").read_text().strip()
    header = (f"/*! iframe-worker {version} shim/index.js, vendored by scripts/install_assets.py "
              f"from the npm package iframe-worker.\n" + licence.replace("*/", "* /") + "\n*/\n")
    return header + (PACKAGE / "shim" / "index.js").read_text()


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
        return 0 if same else 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
