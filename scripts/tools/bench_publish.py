"""Benchmark (not a test): bytes a reader's browser transfers, published site over nginx vs the dev server.

    python -m scripts.tools.bench_publish                 # build a scratch copy with a site_url, publish, measure
    python -m scripts.tools.bench_publish --site DIR --url URL   # a site already built with that site_url

For the home page and Viola's chapter 2, a fresh Chromium profile (empty cache) opens the page and
waits until the search index has arrived (Material fetches it after the page loads); the bytes
are Chromium's own count of what crossed the network (``encodedDataLength``: headers and body, as
compressed), summed over every request. Then the same page is opened again in the same profile (a
repeat visit: what the cache lifetimes save). Measured over

* **nginx** serving ``./site.sh publish``'s folder with ``deploy/nginx.conf`` (pre-compressed Brotli
  and gzip, fingerprinted assets kept a year, pages revalidated), and
* **Python's development server** (``http.server``, what the tests use) serving the same build's
  ``site/``: no compression, no cache headers.

Then Lighthouse (mobile preset, ``scripts/tools/bench_lighthouse``) on the same two pages over both
servers (``--lighthouse-runs``, median by performance; 0 skips it), so the effect of compression and
caching on the scores is seen beside the bytes.

Writes the ``publish`` key of BENCHMARKS.json and the section between the ``publish`` markers of
BENCHMARKS.md (``scripts/tools/benchmark.py`` rewrites that file whole: rerun this after it).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.paths import ROOT
from scripts.site import publish_folder
from scripts.site.local_server import LocalServer, free_port, serve_folder
from scripts.tools import bench_lighthouse

PAGES = {"home": "index.html", "chapter 2": "readings/viola/chapter-2.html"}
CHROMIUM = os.environ.get("RFA_CHROMIUM", "/usr/bin/chromium")
BEGIN, END = "<!-- BEGIN publish (scripts/tools/bench_publish.py) -->", "<!-- END publish -->"


def build_with_url(work: Path) -> tuple[Path, str, int]:
    """``python -m scripts.build --site`` in a scratch copy whose mkdocs.yml has a loopback site_url."""
    sys.path.insert(0, str(ROOT))
    from tests.project_copy import build_env, copy_project

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    root = copy_project(work / "project")
    yml = root / "mkdocs.yml"
    yml.write_text(re.sub(r"^(site_name:.*\n)", rf"\1site_url: {url}\n", yml.read_text(), count=1, flags=re.M))
    proc = subprocess.run([sys.executable, "-m", "scripts.build", "--site"], cwd=root, env=build_env(),
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"the build failed:\n{proc.stderr[-3000:]}")
    return root / "site", url, port


def measure(browser, base: str) -> dict:
    """Per page: requests and bytes over the network on a first and a repeat visit."""
    out = {}
    for name, rel in PAGES.items():
        context = browser.new_context()
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        seen: dict[str, list] = {"bytes": [0], "requests": [0]}

        def finished(event) -> None:
            seen["bytes"][0] += event.get("encodedDataLength", 0)
            seen["requests"][0] += 1
        cdp.on("Network.loadingFinished", finished)
        urls: list[str] = []
        page.on("requestfinished", lambda request: urls.append(request.url))
        visits = {}
        for visit in ("first", "repeat"):
            seen["bytes"][0] = seen["requests"][0] = 0
            urls.clear()
            page.goto(base + rel, wait_until="networkidle")
            for _ in range(300):          # Material asks for the search index after the page has loaded
                if any("search_index.json" in u for u in urls):
                    break
                page.wait_for_timeout(100)
            page.wait_for_timeout(1000)
            visits[visit] = {"bytes": seen["bytes"][0], "requests": seen["requests"][0]}
        out[name] = visits
        context.close()
    return out


def run(site: Path, url: str, port: int, work: Path, lighthouse_runs: int = 3) -> dict:
    from playwright.sync_api import sync_playwright

    published = work / "serve" / "publish"
    published.parent.mkdir(parents=True)
    published.parent.chmod(0o755)
    result = publish_folder.publish(site, published, url, public=False)
    subprocess.run(["chmod", "-R", "a+rX", str(work)], check=True)
    nginx_name, dev_name = "nginx (./site.sh publish, deploy/nginx.conf)", "python -m http.server (site/)"
    lighthouse: dict = {}
    with serve_folder(site) as dev_url, \
            LocalServer("nginx", published, work / "serve" / "nginx", port=port) as nginx:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            numbers = {nginx_name: measure(browser, nginx.url), dev_name: measure(browser, dev_url + "/")}
            version = browser.version
            browser.close()
        if lighthouse_runs:
            for name, base in ((nginx_name, nginx.url.rstrip("/")), (dev_name, dev_url)):
                print(f"Lighthouse over {name}:", file=sys.stderr)
                lighthouse[name] = bench_lighthouse.measure(base, list(PAGES.values()), lighthouse_runs, work)
    nginx_version = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    return {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "chromium": version,
            "nginx": nginx_version, "published_text_bytes": result["text_bytes"], "published_br_bytes": result["br_bytes"],
            "pages": PAGES, "servers": numbers, "lighthouse": lighthouse, "lighthouse_runs": lighthouse_runs,
            "load": " / ".join(f"{x:.1f}" for x in os.getloadavg())}


def render(r: dict) -> str:
    kb = lambda n: f"{n / 1024:,.0f} KB"  # noqa: E731
    servers = list(r["servers"])
    lines = [BEGIN, "## Publishing: bytes over the network (scripts/tools/bench_publish.py)", "",
             f"Measured {r['date']} with Chromium {r['chromium']} and {r['nginx']}: a fresh profile opens the page "
             "and waits until the search index has arrived too; then the same page again "
             "(repeat visit). Bytes are Chromium's count of what crossed the network (headers and body as sent). "
             f"`./site.sh publish` pre-compressed {r['published_text_bytes'] / 1e6:.1f} MB of text files to "
             f"{r['published_br_bytes'] / 1e6:.1f} MB of Brotli.", "",
             "| Page | Visit | " + " | ".join(servers) + " |", "|---|---|" + "---|" * len(servers)]
    for name in r["pages"]:
        for visit in ("first", "repeat"):
            cells = [f"{kb(r['servers'][s][name][visit]['bytes'])} ({r['servers'][s][name][visit]['requests']} requests)"
                     for s in servers]
            lines.append(f"| {name} | {visit} | " + " | ".join(cells) + " |")
    lines += [""] + render_lighthouse(r) + [END]
    return "\n".join(lines) + "\n"


def render_lighthouse(r: dict) -> list[str]:
    """The Lighthouse table: each page over each server (scores, then the metrics)."""
    runs = r.get("lighthouse") or {}
    if not runs:
        return ["Lighthouse was not run (`--lighthouse-runs 0`)."]
    lines = [f"Lighthouse (mobile preset: simulated slow 4G, 4x CPU; {r['lighthouse_runs']} run(s) per page, "
             f"median by performance; load average {r.get('load', '?')} after the run):", "",
             "| Page | Server | Perf. | Access. | Best pr. | FCP | LCP | TBT | CLS | SI |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, rel in r["pages"].items():
        for server, pages in runs.items():
            m = pages[rel]
            if "error" in m:
                lines.append(f"| {name} | {server} | failed: {m['error']} |" + " |" * 7)
                continue
            lines.append(f"| {name} | {server} | {m['performance']} | {m['accessibility']} | {m['best-practices']} | "
                         + " | ".join(bench_lighthouse.fmt(label, m[label]) for label, _u in bench_lighthouse.METRICS.values())
                         + " |")
    return lines + [""]


def write(results: dict) -> None:
    data_path = ROOT / "BENCHMARKS.json"
    data = json.loads(data_path.read_text(encoding="utf-8")) if data_path.exists() else {}
    data["publish"] = results
    data_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    md_path = ROOT / "BENCHMARKS.md"
    md = md_path.read_text(encoding="utf-8") if md_path.exists() else "# Benchmarks\n"
    section = render(results)
    if BEGIN in md and END in md:
        md = md[:md.index(BEGIN)] + section + md[md.index(END) + len(END) + 1:]
    else:
        md = md.rstrip("\n") + "\n\n" + section
    md_path.write_text(md, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a site built with --url as its site_url")
    parser.add_argument("--url", help="the site_url it was built with (http://127.0.0.1:PORT/)")
    parser.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page and server (0: none)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="rfa-bench-publish-"))
    try:
        if args.site:
            port = int(re.search(r":(\d+)/", args.url).group(1))
            site, url = args.site, args.url
        else:
            site, url, port = build_with_url(work)
        results = run(site, url, port, work, args.lighthouse_runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write(results)
    print(render(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
