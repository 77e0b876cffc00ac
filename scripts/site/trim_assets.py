"""What a page downloads before it is shown, trimmed after the build (issue 19: Lighthouse on a phone).

Every page links three stylesheets before its first paint: Material's ``main.<hash>.min.css``
(137 KB: the styles of every Material feature, most of which this site never uses), its palette, and
ours (``assets/stylesheets/site.css``, written by scripts/site/stylesheet.py with its comments); and a
dozen of our scripts, written to be read, comments and all. On a slow phone connection each kilobyte
is paid before the page is complete. After MkDocs, :func:`trim_assets` (run by
``mkdocs_run.post_build``, so every site, bundle and course pack gets it) hands them to
``scripts/site/trim_assets.js``:

* Material's stylesheet loses the rules that no page and no script of this site can use (npm
  ``purgecss``, whose extractor reads every word of every page and every shipped script, Material's
  bundle among them, so classes added by scripts are kept). The result gets a new name with its own
  hash (``main.<sha256:8>.min.css``, as Material names it) and every page is pointed at it: a server
  that lets browsers keep hashed files for a year (deploy/nginx.conf) never serves an old trim.
* Our stylesheets and scripts are minified (npm ``lightningcss`` and ``esbuild``; licence comments are
  kept). The files a developer edits, in ``assets/``, keep their comments.

What a page looks like and does is unchanged: the browser suite (axe in both schemes, print,
popovers, search, the notebook) runs on the trimmed site.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from scripts.core.node_job import NodeJobFailed, NodeMissing, run_node_job

SCRIPT = Path(__file__).with_name("trim_assets.js")
OURS_CSS = "assets/stylesheets/site.css"
MATERIAL_RE = re.compile(r"^main\.[0-9a-f]{8}\.min\.css$")
#: Files left as they are: Material's (its bundle, stylesheets, search worker, lunr) and files that
#: come minified.
NOT_OURS = re.compile(r"(^|/)(lunr|workers)/|\.min\.(js|css)$")
#: Selectors kept whatever the pages hold (a regular expression per entry, matched against each
#: selector): none needed so far.
SAFELIST: list[str] = []


class TrimError(Exception):
    """The trim could not run (message says what to do)."""


def material_stylesheet(site: Path) -> Path | None:
    folder = site / "assets" / "stylesheets"
    found = sorted(p for p in folder.glob("main.*.min.css") if MATERIAL_RE.match(p.name)) if folder.is_dir() else []
    return found[0] if len(found) == 1 else None


def ours(site: Path, suffix: str) -> list[Path]:
    """Our stylesheets or scripts (``suffix`` ".css" or ".js") under ``site``/assets."""
    assets = site / "assets"
    return sorted(p for p in assets.rglob(f"*{suffix}") if p.is_file()
                  and not NOT_OURS.search(p.relative_to(assets).as_posix()))


def run_trim(job: dict) -> dict:
    try:
        return run_node_job(SCRIPT, job, SCRIPT.parents[2])
    except NodeMissing:
        raise TrimError("Node.js is not installed (it trims the stylesheets and scripts after the build)\n"
                        "  what to do: install Node.js and npm, then run ./site.sh build") from None
    except NodeJobFailed as err:
        raise TrimError(f"{SCRIPT.name}: the stylesheets and scripts could not be trimmed: {err.detail}\n"
                        "  what to do: run `npm ci` (./site.sh build does it) so that purgecss, lightningcss and "
                        "esbuild are installed, and build again") from None


def trim_assets(site: Path) -> dict | None:
    """Trim Material's stylesheet and minify ours and our scripts in ``site``; returns
    {path: [bytes before, after]} (None when the site has no Material stylesheet or no site.css: a
    test's partial site)."""
    material = material_stylesheet(site)
    if material is None or not (site / OURS_CSS).exists():
        return None
    trimmed = material.with_name("main.trimmed.css")
    answer = run_trim({"material": str(material), "material_out": str(trimmed),
                       "content": [str(site / "**" / "*.html"), str(site / "assets" / "**" / "*.js")],
                       "safelist": SAFELIST, "css": [str(p) for p in ours(site, ".css")],
                       "js": [str(p) for p in ours(site, ".js")]})
    refused = answer.get("refused")
    if refused:
        trimmed.unlink(missing_ok=True)
        where = Path(refused["file"])
        where = where.relative_to(site) if where.is_relative_to(site) else where
        line = f":{refused['line']}" if refused.get("line") else ""
        raise TrimError(f"{where.as_posix()}{line}: error: {refused['message']}\n  what to do: fix that file where "
                        "it is written (the same path under the project, or the script that generates it) and "
                        "build again")
    new_name = f"main.{hashlib.sha256(trimmed.read_bytes()).hexdigest()[:8]}.min.css"
    trimmed.replace(material.with_name(new_name))
    if new_name != material.name:
        material.unlink()
    material.with_name(material.name + ".map").unlink(missing_ok=True)   # it maps the untrimmed file
    old, new = f"assets/stylesheets/{material.name}", f"assets/stylesheets/{new_name}"
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if old in html:
            page.write_text(html.replace(old, new), encoding="utf-8")
    return answer["bytes"]
