"""Measure the offline save of the online site (issue 20): a script, not a timed test.

    python -m scripts.tools.bench_offline_save [--site DIR] [--runs N] [--page readings/viola/chapter-4.html] [--write]

``--write`` puts the figures into their own section of BENCHMARKS.md (between its markers).

* **Save**: the built site (``site/``, as ``./site.sh build`` leaves it) is served on 127.0.0.1 by
  Python's http.server; Debian's Chromium (Playwright, never a downloaded browser) opens the home
  page and presses "Save this edition for offline reading". Measured: the seconds from the press
  until the control says the edition is saved (the service worker installed and activated), the
  files and bytes the worker precached (``offline-edition.json``) and the storage the browser reports
  (``navigator.storage.estimate()``). Local loopback: this is the CPU and disk cost, not a phone's
  network; over a real connection add the download of the bytes.
* **Build cost**: the post-build step (``offline_save.write_worker``: Workbox's generateSW in one Node
  process) timed on a scratch copy of the site, wall and CPU seconds (its child processes included).
* **First paint offline**: with the network off (Playwright's offline mode) and the CPU slowed 4x
  (CDP ``Emulation.setCPUThrottlingRate``), a chapter is opened N times from the service worker;
  first paint and first contentful paint (``performance.getEntriesByType('paint')``), median of N.
  For comparison, the same chapter at 4x CPU online from the local server, with no service worker.

The load average is printed with the figures: other work on the same cores slows every number.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from scripts.paths import ROOT
from scripts.site.local_server import serve_folder as serve

CHROMIUM = os.environ.get("RFA_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
BEGIN, END = "<!-- BEGIN offline-save (scripts/tools/bench_offline_save.py) -->", "<!-- END offline-save -->"
SAVE = ".md-footer button:has-text('Save this edition for offline reading')"
PAINTS = ("() => Object.fromEntries(performance.getEntriesByType('paint')"
          ".map(e => [e.name, Math.round(e.startTime)]))")




def paint(page, url: str) -> dict:
    """Open ``url`` at 4x CPU and return its paint timings (ms from navigation start)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.goto(url, wait_until="load")
    page.wait_for_function("performance.getEntriesByType('paint').length >= 2", timeout=30000)
    timings = page.evaluate(PAINTS)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    cdp.detach()
    return timings


def median_paints(runs: list[dict]) -> dict:
    return {name: statistics.median(r[name] for r in runs) for name in ("first-paint", "first-contentful-paint")}


def build_cost(site: Path) -> dict:
    """Seconds of the post-build step on a scratch copy of ``site`` (wall, and CPU of this process and
    its children: the Node process running Workbox)."""
    import resource
    import shutil
    import tempfile

    from scripts.site.offline_save import write_worker

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "site"
        shutil.copytree(site, copy, ignore=shutil.ignore_patterns("*.zip"))
        cpu = lambda: sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)  # noqa: E731
                          for f in ("ru_utime", "ru_stime"))
        wall, used = time.perf_counter(), cpu()
        write_worker(copy)
        return {"wall": round(time.perf_counter() - wall, 1), "cpu": round(cpu() - used, 1)}


def measure(site: Path, page_path: str, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    record = json.loads((site / "offline-edition.json").read_text(encoding="utf-8"))
    result: dict = {"edition": record, "load_before": os.getloadavg(), "build": build_cost(site)}
    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        online = browser.new_context(viewport={"width": 390, "height": 844})
        page = online.new_page()
        result["online_no_sw"] = median_paints([paint(page, f"{url}/{page_path}") for _ in range(runs)])
        online.close()

        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(f"{url}/index.html", wait_until="load")
        page.locator(SAVE).wait_for(timeout=30000)
        start = time.perf_counter()
        page.locator(SAVE).click()
        page.wait_for_selector(".md-footer .rd-offline[data-state='saved']", timeout=300000)
        result["save_seconds"] = round(time.perf_counter() - start, 2)
        result["storage_bytes"] = page.evaluate("async () => (await navigator.storage.estimate()).usage")
        context.set_offline(True)
        result["offline_sw"] = median_paints([paint(page, f"{url}/{page_path}") for _ in range(runs)])
        context.close()
        browser.close()
    result["load_after"] = os.getloadavg()
    return result


def report(result: dict, page_path: str, runs: int) -> str:
    e = result["edition"]
    load = lambda t: " / ".join(f"{x:.2f}" for x in t)  # noqa: E731
    return "\n".join([
        f"Offline save of the online site (edition {e['build']}, built {e['date']}):",
        f"  saved: {e['files']} files, {e['bytes'] / 1e6:.1f} MB precached in {result['save_seconds']} s "
        f"(loopback server); the browser reports {result['storage_bytes'] / 1e6:.1f} MB of storage used",
        f"  build: the post-build step (Workbox generateSW) took {result['build']['wall']} s wall, "
        f"{result['build']['cpu']} s CPU",
        f"  {page_path} at 4x CPU, median of {runs}:",
        f"    from the service worker, network off: first paint {result['offline_sw']['first-paint']:.0f} ms, "
        f"first contentful paint {result['offline_sw']['first-contentful-paint']:.0f} ms",
        f"    online, no service worker (loopback): first paint {result['online_no_sw']['first-paint']:.0f} ms, "
        f"first contentful paint {result['online_no_sw']['first-contentful-paint']:.0f} ms",
        f"  load average (1/5/15 min) before {load(result['load_before'])}, after {load(result['load_after'])}",
    ])


def write(text: str) -> None:
    """The report as BENCHMARKS.md's offline-save section (replaced in place, else appended)."""
    import datetime as dt
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = "\n".join([BEGIN, "## Offline save of the online site (scripts/tools/bench_offline_save.py)", "",
                          f"Measured {when}, one run, Debian's Chromium, the site served on 127.0.0.1:", "",
                          "```", text, "```", END]) + "\n"
    path = ROOT / "BENCHMARKS.md"
    md = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if BEGIN in md and END in md:
        md = md[:md.index(BEGIN)] + section + md[md.index(END) + len(END) + 1:]
    else:
        md = md.rstrip("\n") + "\n\n" + section
    path.write_text(md, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built online site (default site/)")
    parser.add_argument("--runs", type=int, default=5, help="paint measurements per case (median kept)")
    parser.add_argument("--page", default="readings/viola/chapter-4.html", help="the chapter to open")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON as well")
    parser.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")
    args = parser.parse_args(argv)
    if not (args.site / "sw.js").is_file():
        print(f"error: {args.site}/sw.js is missing\n  what to do: build the online site first (./site.sh build)",
              file=sys.stderr)
        return 1
    if not Path(CHROMIUM).exists():
        print(f"error: Chromium ({CHROMIUM}) is missing\n  what to do: apt-get install chromium", file=sys.stderr)
        return 1
    result = measure(args.site, args.page, args.runs)
    text = report(result, args.page, args.runs)
    print(text)
    if args.write:
        write(text)
    if args.json:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
