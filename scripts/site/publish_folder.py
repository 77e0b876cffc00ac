"""``./site.sh publish [--public]``: the built site as a folder a web server or static host serves.

    python -m scripts.site.publish_folder            # build the classroom edition, then dist/publish/
    python -m scripts.site.publish_folder --public   # the public-web edition
    python -m scripts.site.publish_folder --no-build # publish the site/ already built

(Not to be confused with ``scripts/site/publish.py``, the atomic swap of docs/ and site/ after a build.)

What the folder gets, beyond site/:

* **``site_url`` required and checked** — the address goes into every citation, canonical link and the
  sitemap at build time, so a folder for the web cannot be made without it: a missing, relative or
  slash-less ``site_url``, or a site/ built before it was set, stops with what to do.
* **Fingerprinted assets** — our stylesheets, scripts and fonts get the first 8 hex digits of their
  sha256 in their names (``reader.3f2a1b9c.js``, as Material names its own bundle) and every
  reference to them is rewritten, so a server may let browsers keep them for a year
  (``deploy/nginx.conf``: ``\\.[0-9a-f]{8}(\\.min)?\\.(js|css|woff2)$``). Pages, the search index and
  everything else keep their names and are revalidated on every visit, so a new edition is seen at once.
* **Pre-compressed copies** — ``x.gz`` (gzip -9) and ``x.br`` (Brotli, quality 11) beside every text
  file of 512 bytes or more, for ``gzip_static``/``brotli_static`` (nginx) or ``precompressed``
  (Caddy): the server sends them without compressing on each request.
* **``sitemap.xml`` and ``robots.txt`` for the edition** — the sitemap lists the pages this folder
  holds, each as ``site_url`` + path (never 404.html; in the public-web edition, not the pages of a
  text it withholds, which hold only a notice and the citation). The public edition's robots.txt invites crawlers and names the sitemap; the classroom
  edition (texts reproduced for a class, not for the open web) asks them to stay out.
* **The Content-Security-Policy the pages need** — every inline ``<script>`` Material writes and every
  ``style=""`` attribute (citeproc's) is hashed; the policy in ``deploy/csp.txt`` (used by
  ``deploy/nginx.conf``, ``deploy/Caddyfile`` and ``deploy/_headers``) must allow each hash, or the
  publish stops and prints the policy the pages need. The folder gets a ``_headers`` file (Netlify,
  Cloudflare Pages) with the same policy.

The folder is written beside the target and swapped in by renames, so a server never serves half of
an edition, and the previous one is removed.
"""
from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from scripts.paths import ROOT
from scripts.site import offline_save
from scripts.site.publish import replace_dir

DEPLOY = ROOT / "deploy"
CSP_FILE = DEPLOY / "csp.txt"
HEADERS_FILE = DEPLOY / "_headers"
OUT = ROOT / "dist" / "publish"
#: Text files that get pre-compressed copies (source maps, read only by developer tools, do not).
TEXT_SUFFIXES = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".bib", ".ris", ".webmanifest", ".ico"}
BROTLI_QUALITY = 11   # the best ratio: done once per edition (about 2 % smaller than 10, 9 % than 9)
MIN_COMPRESS = 512
FINGERPRINT_SUFFIXES = {".js", ".css", ".woff2", ".woff", ".ttf"}
HASHED_NAME = re.compile(r"\.[0-9a-f]{8}(?:\.min)?\.(?:js|css|woff2?|ttf)$")
#: Left as they are: Material's lunr and worker folders (already fingerprinted or loaded by computed names).
NOT_FINGERPRINTED = ("assets/javascripts/lunr/", "assets/javascripts/workers/")


class PublishError(Exception):
    """A problem a deployer can act on (the message says what to do)."""


# ---- site_url ----------------------------------------------------------------------------------

def site_url_of(mkdocs_yml: Path) -> str | None:
    m = re.search(r"^site_url:\s*['\"]?([^'\"#\s]+)", mkdocs_yml.read_text(encoding="utf-8"), re.M)
    return m.group(1) if m else None


def check_site_url(url: str | None, site: Path) -> str:
    """The edition's address: present, absolute http(s), ending in "/", and the one site/ was built with."""
    where = "mkdocs.yml"
    if not url:
        raise PublishError(
            f"{where}: error: site_url is not set, and a published edition needs its address\n"
            "  what to do: add the address the site will be served at, with its trailing slash, near the top of "
            "mkdocs.yml (outside the GENERATED NAV block), e.g. `site_url: https://reader.example.edu/revolution/`, "
            "then run ./site.sh publish again (citations, canonical links and the sitemap carry it)")
    if not re.match(r"^https?://[^/\s]+/(?:[^\s]*/)?$", url):
        raise PublishError(
            f"{where}: error: site_url {url!r} is not a full http(s) address ending in '/'\n"
            "  what to do: write it as https://host/path/ (scheme, host, and a trailing slash)")
    index = site / "index.html"
    if not index.is_file():
        raise PublishError(f"{site}: error: no index.html: the site is not built\n  what to do: run ./site.sh publish "
                           "without --no-build")
    canonical = re.search(r'<link rel="canonical" href="([^"]*)"', index.read_text(encoding="utf-8"))
    if not canonical or canonical.group(1) not in (url, url + "index.html"):
        raise PublishError(
            f"{site}: error: this site was built without site_url {url!r} (its canonical link is "
            f"{canonical.group(1) if canonical else 'missing'})\n  what to do: rebuild it (./site.sh publish "
            "without --no-build) so that every citation carries the address")
    return url


# ---- fingerprints ------------------------------------------------------------------------------

def _references(names) -> re.Pattern:
    """A reference to any file called one of ``names``, in an attribute, a string literal, url(…) or JSON
    (``"../assets/javascripts/reader.js"``, ``url(./files/f.woff2)``); never a word of prose."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(r"""(?P<pre>["'(=])(?P<dir>[^"'()\s<>=]*?/)?(?P<name>""" + alternatives + r""")(?=[?#"')])""")


def _rewrite(path: Path, pattern: re.Pattern, new_names: dict[str, str]) -> None:
    """Point every reference in ``path`` to a renamed file at its new name. A name not (yet) renamed
    stands in a comment (``_code`` leaves comments out when it orders the renaming), and is left
    as written: the combined site.css carries its sources' comments, "(assets/javascripts/reader.js)"."""
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    updated = pattern.sub(lambda m: m.group("pre") + (m.group("dir") or "") + new_names[m.group("name")]
                          if m.group("name") in new_names else m.group(0), text)
    if updated != text:
        path.write_text(updated, encoding="utf-8", errors="surrogateescape")


def _code(path: Path) -> str:
    """A stylesheet's or script's text without its comments: a file named in a comment ("see
    reader.css") is not a reference that its hash must cover."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8", errors="replace"), flags=re.S)
    return re.sub(r"(?m)^\s*//.*$", "", text)


def fingerprint(site: Path) -> dict[str, str]:
    """Rename our unhashed assets to ``name.<sha256:8>.ext`` and rewrite every reference; returns
    {old relative path: new relative path}. A file referenced by another is renamed first, so the
    referring file's hash covers the new name."""
    candidates = sorted(p for p in (site / "assets").rglob("*")
                        if p.is_file() and p.suffix in FINGERPRINT_SUFFIXES and not HASHED_NAME.search(p.name)
                        and not any(p.relative_to(site).as_posix().startswith(d) for d in NOT_FINGERPRINTED))
    names = [p.name for p in candidates]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise PublishError(f"assets/: error: two assets share the name {dupes[0]}: references could not be told "
                           "apart\n  what to do: rename one of them in assets/")
    if not candidates:
        return {}
    pattern = _references(names)
    pending = {p.name: p for p in candidates}
    refers = {n: ({m.group("name") for m in pattern.finditer(_code(p))} - {n}
                  if p.suffix in {".css", ".js"} else set()) for n, p in pending.items()}
    new_names: dict[str, str] = {}
    renamed: dict[str, str] = {}
    while pending:
        ready = sorted(n for n in pending if not refers[n] & set(pending))
        if not ready:
            raise PublishError(f"assets/: error: {sorted(pending)} refer to each other in a cycle\n  what to do: "
                               "break the cycle (one of them must not name the other)")
        for name in ready:
            path = pending.pop(name)
            if refers[name]:
                _rewrite(path, pattern, new_names)
            new_name = f"{path.stem}.{hashlib.sha256(path.read_bytes()).hexdigest()[:8]}{path.suffix}"
            path.rename(path.with_name(new_name))
            new_names[name] = new_name
            renamed[path.relative_to(site).as_posix()] = path.with_name(new_name).relative_to(site).as_posix()
    done = {site / new for new in renamed.values()}
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".css", ".js", ".json", ".webmanifest"} and path not in done:
            _rewrite(path, pattern, new_names)
    return renamed


# ---- sitemap and robots --------------------------------------------------------------------------

#: The notice of a page whose text the public-web edition withholds (scripts/render/document.py).
WITHHELD = "Not in the public-web edition"


def pages(site: Path) -> list[str]:
    """The pages a reader can land on: every .html but 404.html, site-relative, sorted."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")


def write_sitemap(site: Path, url: str, public: bool = False) -> list[str]:
    """sitemap.xml of the folder's pages; the public-web edition leaves out the pages of texts it
    withholds (they hold only the notice and the citation, not the text)."""
    listed = [rel for rel in pages(site)
              if not (public and WITHHELD in (site / rel).read_text(encoding="utf-8"))]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for rel in listed:
        loc = url + ("" if rel == "index.html" else rel)
        lines.append(f"  <url><loc>{escape(loc)}</loc></url>")
    lines.append("</urlset>")
    (site / "sitemap.xml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (site / "sitemap.xml.gz").unlink(missing_ok=True)   # MkDocs' copy lists every page it built; ours replaces it
    return listed


def write_robots(site: Path, url: str, public: bool) -> None:
    if public:
        text = ("# The public-web edition: texts licensed for republication in full, the others as\n"
                "# landing page and extract. Every page listed in the sitemap may be indexed.\n"
                f"User-agent: *\nAllow: /\n\nSitemap: {url}sitemap.xml\n")
    else:
        text = ("# The classroom edition reproduces texts for a class, not for the open web:\n"
                "# search engines are asked to stay out (publish the public-web edition for the web).\n"
                "User-agent: *\nDisallow: /\n")
    (site / "robots.txt").write_text(text, encoding="utf-8")


# ---- the Content-Security-Policy -----------------------------------------------------------------

def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def inline_hashes(site: Path) -> tuple[set[str], set[str]]:
    """The CSP hashes of every inline script (not JSON data) and every style="" attribute of the pages."""
    scripts: set[str] = set()
    styles: set[str] = set()
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for m in re.finditer(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, re.S):
            if "application/json" not in m.group(1) and "application/ld+json" not in m.group(1):
                scripts.add(_sha256(m.group(2)))
        for m in re.finditer(r'\sstyle="([^"]*)"', html):
            styles.add(_sha256(m.group(1).replace("&quot;", '"').replace("&amp;", "&")))
    return scripts, styles


def policy() -> str:
    """deploy/csp.txt as one header value (comment lines dropped, one directive a line)."""
    lines = [l.strip() for l in CSP_FILE.read_text(encoding="utf-8").splitlines()]
    return " ".join(l for l in lines if l and not l.startswith("#"))


def directive(csp: str, name: str) -> list[str]:
    for part in csp.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    return []


def check_policy(site: Path, csp: str) -> None:
    """Stop if a page holds an inline script or style attribute the policy would block."""
    scripts, styles = inline_hashes(site)
    missing_scripts = sorted(scripts - set(directive(csp, "script-src")))
    missing_styles = sorted(styles - set(directive(csp, "style-src")))
    if missing_scripts or missing_styles:
        raise PublishError(
            f"{CSP_FILE.relative_to(ROOT)}: error: the pages hold inline code the Content-Security-Policy would block "
            f"(a Material or template update?): script-src lacks {' '.join(missing_scripts) or 'nothing'}; style-src "
            f"lacks {' '.join(missing_styles) or 'nothing'}\n  what to do: check that the new inline code is expected, "
            "add these hashes to deploy/csp.txt, then copy the policy into deploy/nginx.conf, deploy/Caddyfile and "
            "deploy/_headers (tests/test_publish.py checks they agree)")


# ---- compression -------------------------------------------------------------------------------

def _brotli(data: bytes, quality: int) -> bytes:
    try:
        import brotli  # PyPI brotli
    except ImportError:                # Debian's brotli command
        proc = subprocess.run(["brotli", "-c", "-q", str(quality), "-"], input=data, capture_output=True, check=True)
        return proc.stdout
    return brotli.compress(data, quality=quality)


def precompress(site: Path, quality: int = BROTLI_QUALITY) -> tuple[int, int, int]:
    """x.gz and x.br beside every text file of MIN_COMPRESS bytes or more; returns (files, bytes, br bytes)."""
    files = raw = br_total = 0
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in TEXT_SUFFIXES:
            continue
        data = path.read_bytes()
        if len(data) < MIN_COMPRESS:
            continue
        stat = path.stat()
        gz = gzip.compress(data, compresslevel=9, mtime=0)
        br = _brotli(data, quality)
        for suffix, blob in ((".gz", gz), (".br", br)):
            out = path.with_name(path.name + suffix)
            out.write_bytes(blob)
            os.utime(out, ns=(stat.st_atime_ns, stat.st_mtime_ns))   # nginx compares nothing, but keep them paired
        files += 1
        raw += len(data)
        br_total += len(br)
    return files, raw, br_total


# ---- the folder ----------------------------------------------------------------------------------

def publish(site: Path, out: Path, url: str | None, public: bool, brotli_quality: int = BROTLI_QUALITY) -> dict:
    """Make the publishable folder ``out`` from the built ``site``; returns what was done."""
    url = check_site_url(url, site)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        folder = work / "site"
        shutil.copytree(site, folder, ignore=shutil.ignore_patterns(".*"))
        renamed = fingerprint(folder)
        if (folder / offline_save.SW).exists():   # its precache names the files as they are now called
            offline_save.write_worker(folder)
        listed = write_sitemap(folder, url, public)
        write_robots(folder, url, public)
        csp = policy()
        check_policy(folder, csp)
        shutil.copy2(HEADERS_FILE, folder / "_headers")
        files, raw, br = precompress(folder, brotli_quality)
        replace_dir(folder, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"url": url, "fingerprinted": renamed, "sitemap": listed, "compressed": files, "text_bytes": raw,
            "br_bytes": br, "edition": "public-web" if public else "classroom"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--public", action="store_true", help="the public-web edition")
    parser.add_argument("--no-build", action="store_true", help="publish the site/ already built")
    parser.add_argument("--out", type=Path, default=OUT, help="the folder to write (default dist/publish)")
    args = parser.parse_args(argv)
    url = site_url_of(ROOT / "mkdocs.yml")
    try:
        if not url:
            check_site_url(url, ROOT / "site")       # the clear error before a long build
        if not args.no_build:
            code = subprocess.run([sys.executable, "-m", "scripts.build", "--site", *(["--public"] if args.public else [])],
                                  cwd=ROOT).returncode
            if code != 0:
                return code
        result = publish(ROOT / "site", args.out, url, args.public)
    except (PublishError, offline_save.OfflineSaveError) as err:
        print(err, file=sys.stderr)
        print("publish stopped: nothing was written", file=sys.stderr)
        return 1
    print(f"{args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out} written: the "
          f"{result['edition']} edition for {result['url']} ({len(result['sitemap'])} pages in sitemap.xml, "
          f"{len(result['fingerprinted'])} assets fingerprinted, {result['compressed']} text files pre-compressed: "
          f"{result['text_bytes'] / 1e6:.1f} MB, {result['br_bytes'] / 1e6:.1f} MB as Brotli)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
