"""The build's own speed goals, measured (a script, not a timed test): ``python -m scripts.tools.bench_architecture``.

Writes ``build/bench-architecture.json`` and prints a Markdown section for BENCHMARKS.md with:

- **clean build**: ``python -m scripts.build --site`` (what ``./site.sh build`` runs after set-up:
  pipeline, MkDocs for the site and the offline bundle, zip) in a fresh scratch copy, beside a plain
  ``mkdocs build`` of the docs/ that build generated (goal: within 2x);
- **edit loop**: while ``python -m scripts.build --serve`` runs in a scratch copy, the seconds from
  saving an essay, a glossary entry, a guide and a course file to the changed words being served
  (goal: under 2 s);
- **growth**: the same clean build with the readings copied 5x and 10x under new ids (every copy a
  full reading: source, corrections, printed pages, book index), with the build's peak memory and
  the search index's size, so that the point where a reading list outgrows this design is measured.

Every run happens in scratch copies (tests/project_copy.py's list of build inputs): the checkout's
docs/, site/ and build/ are not touched. Timings are wall-clock medians; the load average is
recorded beside them because the machine may be shared.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from scripts.paths import Paths, copy_inputs

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")
ENV.pop("OFFLINE", None)


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB, of the largest child) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env or ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"bench: `{' '.join(cmd)}` failed in {cwd}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def clean_build(root: Path) -> dict:
    for name in ("docs", "site", "build", "dist"):
        shutil.rmtree(root / name, ignore_errors=True)
    build_s, peak = run([sys.executable, "-m", "scripts.build", "--site"], root)
    plain = root / "plain-site"
    shutil.rmtree(plain, ignore_errors=True)
    plain_s, _ = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(plain)], root,
                     dict(ENV, OFFLINE="false"))
    index = root / "site" / "search" / "search_docs.json"    # the search's texts (search_paragraphs.py)
    return {"build_s": round(build_s, 2), "plain_mkdocs_s": round(plain_s, 2),
            "ratio": round(build_s / plain_s, 2), "peak_rss_mb": round(peak / 1024),
            "search_index_kb": round(index.stat().st_size / 1024) if index.exists() else None,
            "pages": len(list((root / "site").rglob("*.html")))}


def multiply_readings(root: Path, factor: int) -> None:
    """Add ``factor - 1`` copies of every reading under new ids (``viola-copy2`` …), each with its own
    corrections, printed pages and book index: a reading list ``factor`` times as long."""
    manifest = root / "sources" / "sources.yml"
    text = manifest.read_text(encoding="utf-8")
    entries = ["  - id:" + e for e in text.split("\n  - id:")[1:]]
    extra = []
    for n in range(2, factor + 1):
        for entry in entries:
            old = entry.split("\n", 1)[0].split("id:", 1)[1].strip()
            new = f"{old}-copy{n}"
            extra.append(entry.replace(f"id: {old}", f"id: {new}", 1).rstrip("\n"))
            for folder in ("corrections", "pages", "book_index"):
                src = root / "data" / folder / f"{old}.yml"
                if src.exists():
                    shutil.copy2(src, root / "data" / folder / f"{new}.yml")
    manifest.write_text(text.rstrip("\n") + "\n" + "\n".join(extra) + "\n", encoding="utf-8")


def served_after_edit(root: Path, edits: dict[str, tuple[Path, str, str]], port: int, runs: int) -> dict:
    """Seconds from saving each file to its page showing the new words, while serving."""
    server = subprocess.Popen([sys.executable, "-m", "scripts.build", "--serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=root, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)

    def fetch(page: str) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{page}", timeout=5) as response:
                return response.read().decode("utf-8", "replace")
        except OSError:
            return ""
    out = {}
    try:
        deadline = time.time() + 300
        while not fetch("index.html") and time.time() < deadline:
            time.sleep(0.5)
        time.sleep(3)
        for name, (path, page, anchor) in edits.items():
            original = path.read_bytes()
            times = []
            try:
                for i in range(runs):
                    marker = f"benchmarkword{i}x{time.time_ns() % 10**9}"
                    changed = original.decode("utf-8").replace(anchor, f"{anchor} {marker}", 1)
                    start = time.perf_counter()
                    path.write_text(changed, encoding="utf-8")
                    while marker not in fetch(page):
                        if time.perf_counter() - start > 60:
                            break
                        time.sleep(0.05)
                    times.append(round(time.perf_counter() - start, 2))
                    time.sleep(2)
            finally:
                path.write_bytes(original)
                time.sleep(3)
            out[name] = {"file": path.relative_to(root).as_posix(), "page": page,
                         "median_s": statistics.median(times), "runs_s": times}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    return out


def edit_targets(root: Path) -> dict[str, tuple[Path, str, str]]:
    """What to edit and where it shows: (file, served page, words in the file to add a word after)."""
    essay = sorted((root / "content" / "essays").glob("*.md"))[0]
    body = essay.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    sentence = next(line for line in body.split("\n") if line and line[0].isalpha() and len(line) > 80)
    glossary = (root / "data" / "glossary.yml").read_text(encoding="utf-8")
    definition = re.search(r"^  explanation: >-\n\s+(\S+ \S+)", glossary, re.M)
    guide = (root / "data" / "guides" / "goldman.yml").read_text(encoding="utf-8")
    context = re.search(r"context: [>|]-?\n\s+(\S+ \S+)", guide)
    # each anchor is unique in its file (the key line included): the first two words of a definition
    # may also stand in a comment at the top, where an edit changes no page
    targets = {"essay": (essay, f"essays/{essay.stem}.html", " ".join(sentence.split()[:2])),
               "glossary entry": (root / "data" / "glossary.yml", "glossary.html", definition.group(0)),
               "reading guide": (root / "data" / "guides" / "goldman.yml", "readings/goldman/index.html", context.group(0))}
    course = sorted((root / "courses").glob("*.yml"))
    if course:
        text = course[0].read_text(encoding="utf-8")
        m = re.search(r"^title: \"?([^\"\n]+)", text, re.M)
        if m:
            targets["course file"] = (course[0], f"courses/{course[0].stem}.html", m.group(0).split()[0] + " " + m.group(0).split()[1])
    return targets


def render(r: dict) -> str:
    lines = ["## The build's own speed (issue 17)", "",
             f"Measured {r['date']} by `python -m scripts.tools.bench_architecture` on {r['cpus']} cores "
             f"(load average {r['load_start']} at the start, {r['load_end']} at the end); wall-clock times, "
             "each in a fresh scratch copy.", "",
             "| what | measured | goal |", "|---|---|---|"]
    c = r.get("clean")
    if c:
        lines.append(f"| clean `./site.sh build` (pipeline + site + offline bundle + EPUBs and PDFs from an empty "
                     f"cache) | {c['build_s']:.2f} s, {c['ratio']:.2f}x a plain `mkdocs build` of the same docs "
                     f"({c['plain_mkdocs_s']:.2f} s) | ≤ 2x |")
    for name, s in r.get("serve", {}).items():
        article = "an" if name[:1] in "aeiou" else "a"
        lines.append(f"| serve: edit {article} {name} → page served | {s['median_s']:.2f} s "
                     f"(runs: {', '.join(f'{x:.2f}' for x in s['runs_s'])}) | < 2 s |")
    if r.get("growth"):
        lines += ["", "How the cost grows with the reading list (each copy a full reading):", "",
                  "| texts | pages | clean build | vs plain mkdocs | peak memory | search index |", "|---|---|---|---|---|---|"]
        for g in r["growth"]:
            lines.append(f"| {g['factor']}x ({g['texts']}) | {g['pages']} | {g['build_s']} s | {g['ratio']}x | "
                         f"{g['peak_rss_mb']} MB | {g['search_index_kb']} KB |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--growth", default="1,5,10", help="reading-list factors to build (\"\" to skip)")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--serve-only", action="store_true",
                        help="only the edit loop (no clean builds, no growth): for checking a change to it")
    args = parser.parse_args(argv)
    results: dict = {"date": time.strftime("%Y-%m-%d"), "cpus": os.cpu_count(),
                     "load_start": round(os.getloadavg()[0], 1)}
    with tempfile.TemporaryDirectory(prefix="rfa-bench-arch-") as tmp:
        root = copy_inputs(Path(tmp) / "one")
        if not args.serve_only:
            print("clean build …", flush=True)
            runs = [clean_build(root) for _ in range(args.runs)]
            results["clean"] = min(runs, key=lambda x: x["build_s"]) | {
                "build_s": statistics.median(x["build_s"] for x in runs),
                "plain_mkdocs_s": statistics.median(x["plain_mkdocs_s"] for x in runs)}
            results["clean"]["ratio"] = round(results["clean"]["build_s"] / results["clean"]["plain_mkdocs_s"], 2)
        if not args.no_serve:
            print("edit while serving …", flush=True)
            results["serve"] = served_after_edit(root, edit_targets(root), 8791, args.runs)
        growth = []
        for factor in [int(f) for f in args.growth.split(",") if f.strip() and not args.serve_only]:
            print(f"growth {factor}x …", flush=True)
            big = copy_inputs(Path(tmp) / f"x{factor}")
            multiply_readings(big, factor)
            g = clean_build(big)
            g.update(factor=factor, texts=len(re.findall(r"^  - id:", (big / "sources" / "sources.yml").read_text(), re.M)))
            growth.append(g)
            shutil.rmtree(big, ignore_errors=True)
        results["growth"] = growth
    results["load_end"] = round(os.getloadavg()[0], 1)
    out = Paths().report / "bench-architecture.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(render(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
