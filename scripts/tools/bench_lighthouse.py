"""Lighthouse benchmark (a script, not a timed test): this site beside a plain Material build of the
same docs, in one run, written into BENCHMARKS.md (its own section) and BENCHMARKS.json ("lighthouse").

    python -m scripts.tools.bench_lighthouse [--runs N] [--site DIR] [--pages a.html b.html …]

* **Ours** is the built site (``site/``, as ``./site.sh build`` leaves it; built first if missing).
* **Plain Material** is ``mkdocs build`` of the same ``docs/`` with our ``mkdocs.yml`` minus
  ``extra_css``, ``extra_javascript`` and the template overrides (``theme.custom_dir``): Material's
  own look and scripts over the same pages.
* Lighthouse is npm ``lighthouse`` (pinned in package.json) run by node with Debian's Chromium
  (``CHROME_PATH=/usr/bin/chromium``, never a downloaded browser), its default mobile preset
  (Moto G Power viewport, simulated slow 4G and 4x CPU), categories performance, accessibility and
  best practices. Both sites are served on 127.0.0.1 by Python's http.server, so nothing is fetched
  from outside. With ``--runs N`` each page is measured N times and the median run (by performance
  score) is kept.

The scores depend on the machine's load (other builds on the same cores slow the simulated CPU
figures less than real timings, but not zero): compare ours with plain Material from the same run.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.paths import ROOT  # noqa: E402
from scripts.site.local_server import serve_folder as serve
CHROMIUM = os.environ.get("RFA_CHROMIUM", "/usr/bin/chromium")
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = ["index.html", "readings/viola/chapter-2.html", "glossary.html", "essays/who-was-a-kulak.html"]
CATEGORIES = ["performance", "accessibility", "best-practices"]
METRICS = {  # audit id -> (label, unit)
    "first-contentful-paint": ("FCP", "ms"),
    "largest-contentful-paint": ("LCP", "ms"),
    "total-blocking-time": ("TBT", "ms"),
    "cumulative-layout-shift": ("CLS", ""),
    "speed-index": ("SI", "ms"),
}
BEGIN = "<!-- BEGIN LIGHTHOUSE (written by python -m scripts.tools.bench_lighthouse; the rest of this file by scripts/tools/benchmark.py) -->"
END = "<!-- END LIGHTHOUSE -->"


class BenchError(RuntimeError):
    """A tool is missing or a run failed: the message says what to do."""


# ---- the two sites -----------------------------------------------------------------------------
def plain_config(config_text: str, docs: Path, site: Path) -> str:
    """Our mkdocs.yml without extra_css, extra_javascript and custom_dir, reading ``docs`` and
    writing ``site`` (text edits: the file has a !ENV tag that a plain YAML load refuses)."""
    text = re.sub(r"(?m)^(extra_css|extra_javascript):[^\n]*\n(?:[ \t]+[^\n]*\n|[ \t]*\n)*", "", config_text)
    text = re.sub(r"(?m)^[ \t]+custom_dir:[^\n]*\n", "", text)
    text = re.sub(r"(?m)^docs_dir:[^\n]*$", f"docs_dir: {json.dumps(str(docs))}", text)
    text = re.sub(r"(?m)^site_dir:[^\n]*$", f"site_dir: {json.dumps(str(site))}", text)
    # INHERIT is relative to the configuration file, which the plain build writes elsewhere
    text = re.sub(r"(?m)^INHERIT:[ \t]*(\S+)[ \t]*$",
                  lambda m: f"INHERIT: {json.dumps(str(ROOT / m.group(1)))}", text)
    for key in ("extra_css:", "extra_javascript:", "custom_dir:"):
        if re.search(rf"(?m)^\s*{key}", text):
            raise BenchError(f"could not remove {key} from mkdocs.yml for the plain build")
    return text


def build_plain(out: Path) -> Path:
    """``mkdocs build`` of docs/ with the plain configuration into ``out/site``."""
    if not (ROOT / "docs" / "index.md").exists():
        raise BenchError("docs/ is empty: run ./site.sh build first")
    site = out / "site"
    config = out / "mkdocs.yml"
    config.write_text(plain_config((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), ROOT / "docs", site),
                      encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("OFFLINE", None)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BenchError(f"the plain Material build failed:\n{proc.stderr[-3000:]}")
    return site


def our_site(path: Path | None) -> Path:
    site = path or ROOT / "site"
    if not (site / "index.html").exists():
        print("building the site (python -m scripts.build --site) …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "scripts.build", "--site"], cwd=ROOT, check=True)
    return site




# ---- Lighthouse ---------------------------------------------------------------------------------
def lighthouse(url: str, work: Path) -> dict:
    """One Lighthouse run (mobile preset) of ``url``: the scores and metrics we report."""
    if not LIGHTHOUSE.exists():
        raise BenchError("npm lighthouse is not installed: run npm ci")
    if not Path(CHROMIUM).exists():
        raise BenchError(f"Chromium ({CHROMIUM}) is missing: apt-get install chromium")
    out = work / f"lh-{time.monotonic_ns()}.json"
    cmd = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
           "--only-categories=" + ",".join(CATEGORIES), "--max-wait-for-load=90000",
           "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"]
    proc = subprocess.run(cmd, env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True, text=True,
                          timeout=300)
    if proc.returncode != 0 or not out.exists():
        raise BenchError(f"lighthouse failed on {url}:\n{proc.stderr[-3000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    result = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    for audit, (label, _unit) in METRICS.items():
        result[label] = report["audits"][audit].get("numericValue")
    failed = []
    for c in ("accessibility", "best-practices"):
        for ref in report["categories"][c]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                failed.append(f"{c}: {ref['id']}")
    result["failed"] = failed
    result["lighthouse"] = report.get("lighthouseVersion")
    result["chrome"] = report.get("environment", {}).get("hostUserAgent", "")
    return result


def attempt(url: str, work: Path, tries: int = 3) -> dict:
    """A run, tried again when Lighthouse gives up (on a loaded machine Chromium can miss its
    DevTools protocol deadline); after ``tries`` failures the last error is raised."""
    for i in range(tries):
        try:
            return lighthouse(url, work)
        except (BenchError, subprocess.TimeoutExpired) as err:
            if i == tries - 1:
                raise BenchError(str(err)) from err
            print(f"  (retrying {url}: {str(err).strip().splitlines()[-1][:160]})", file=sys.stderr)
    raise AssertionError("unreachable")


def measure(base: str, pages: list[str], runs: int, work: Path) -> dict:
    out = {}
    for page in pages:
        try:
            results = [attempt(f"{base}/{page}", work) for _ in range(runs)]
        except BenchError as err:   # reported in the table; the other pages are still measured
            out[page] = {"error": str(err).strip().splitlines()[-1][:200]}
            print(f"  {page}: FAILED ({out[page]['error']})", file=sys.stderr)
            continue
        results.sort(key=lambda r: r["performance"])
        out[page] = results[len(results) // 2]
        print(f"  {page}: performance {out[page]['performance']}, accessibility {out[page]['accessibility']}, "
              f"best practices {out[page]['best-practices']}", file=sys.stderr)
    return out


# ---- report ---------------------------------------------------------------------------------------
def fmt(label: str, value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if label == "CLS" else f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def render(r: dict) -> str:
    lines = [BEGIN, "", "## Lighthouse: this site beside plain Material (mobile preset)", "",
             f"Lighthouse {r['lighthouse']} with Debian's Chromium, mobile preset (simulated slow 4G, 4x CPU), "
             f"{r['runs']} run(s) per page (median by performance), both sites served on 127.0.0.1 in the same run "
             f"({r['date']}, load average {r['load']}). *Plain* is `mkdocs build` of the same docs/ without our "
             "extra_css, extra_javascript and overrides. `python -m scripts.tools.bench_lighthouse` rewrites this section.", "",
             "| Page | Build | Perf. | Access. | Best pr. | FCP | LCP | TBT | CLS | SI |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for page in r["pages"]:
        for build in ("ours", "plain"):
            m = r[build][page]
            if "error" in m:
                lines.append(f"| `{page}` | {'ours' if build == 'ours' else 'plain Material'} | "
                             f"failed: {m['error']} |" + " |" * 7)
                continue
            lines.append(f"| `{page}` | {'ours' if build == 'ours' else 'plain Material'} | {m['performance']} | "
                         f"{m['accessibility']} | {m['best-practices']} | "
                         + " | ".join(fmt(label, m[label]) for label, _u in METRICS.values()) + " |")
    lines.append("")
    failing = [f"`{page}` ({build}): " + ", ".join(r[build][page]["failed"])
               for build in ("ours", "plain") for page in r["pages"] if r[build][page].get("failed")]
    lines += (["Audits that did not pass (accessibility, best practices):", ""] + [f"- {f}" for f in failing]
              if failing else ["Every weighted accessibility and best-practices audit passes on every page of both builds."])
    both = [p for p in r["pages"] if "error" not in r["ours"][p] and "error" not in r["plain"][p]]
    ours_ok = all("error" not in r["ours"][p] and r["ours"][p]["accessibility"] == 100
                  and r["ours"][p]["best-practices"] == 100 for p in r["pages"])
    ahead = [p for p in both if r["ours"][p]["performance"] >= r["plain"][p]["performance"]]
    lines += ["", f"Ours: accessibility and best practices 100 on every page: {'yes' if ours_ok else 'NO'}; "
              f"performance at least plain Material's on {len(ahead)} of the {len(both)} pages measured in both builds.",
              "", END, ""]
    return "\n".join(lines)


def write(r: dict) -> None:
    md_path, json_path = ROOT / "BENCHMARKS.md", ROOT / "BENCHMARKS.json"
    section = render(r)
    text = md_path.read_text(encoding="utf-8") if md_path.exists() else "# Benchmarks\n\n"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    md_path.write_text(text, encoding="utf-8")
    data = json.loads(json_path.read_text(encoding="utf-8")) if json_path.exists() else {}
    data["lighthouse"] = r
    json_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page and build (median kept)")
    parser.add_argument("--site", type=Path, default=None, help="our built site (default: site/)")
    parser.add_argument("--pages", nargs="+", default=PAGES, help="pages to measure, relative to the site root")
    parser.add_argument("--no-write", action="store_true", help="print the table, do not write BENCHMARKS.*")
    args = parser.parse_args(argv)
    try:
        ours = our_site(args.site)
        with tempfile.TemporaryDirectory(prefix="rfa-lighthouse-") as tmp:
            work = Path(tmp)
            print("building plain Material …", file=sys.stderr)
            plain = build_plain(work)
            result: dict = {"pages": args.pages, "runs": args.runs,
                            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                            "load": f"{os.getloadavg()[0]:.1f}"}
            for name, site in (("ours", ours), ("plain", plain)):
                print(f"{name}:", file=sys.stderr)
                with serve(site) as base:
                    result[name] = measure(base, args.pages, args.runs, work)
            versions = [m["lighthouse"] for b in ("ours", "plain") for m in result[b].values() if "lighthouse" in m]
            result["lighthouse"] = versions[0] if versions else "?"
    except BenchError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(render(result))
    if not args.no_write:
        write(result)
        print("wrote BENCHMARKS.md (Lighthouse section) and BENCHMARKS.json (\"lighthouse\")", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
