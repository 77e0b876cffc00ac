"""Measure what the EPUBs and PDFs add to ``./site.sh build`` (issue 20): a script, not a timed test.

    python -m scripts.tools.bench_formats [--rounds 1]

Runs ``python -m scripts.build --site`` (what ``./site.sh build`` runs) in child processes, in this order:

* **without formats**: the same build with ``scripts.build.build_formats`` replaced by an empty
  listing (the baseline; this script's child alone does that, the build itself has no such switch);
* **cold**: the formats cache (``$RFA_FORMATS_CACHE``) an empty scratch folder, so every EPUB goes
  through ebooklib and EPUBCheck and every PDF through WeasyPrint;
* **warm**: the same cache again (every input unchanged: the cache answers);
* **without formats** again, so that a drift of the machine's load shows.

For each: wall seconds, CPU seconds of the build and all its children, the wall seconds of the
formats stage itself (it runs in a thread beside MkDocs, so it adds less than its own time), and
the 1-minute load average before and after. The machine's load changes every figure: compare only
figures of one run. The project's ``build/formats-cache/`` is never touched.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.paths import ROOT


def child(mode: str, result_file: str) -> int:
    """One build in this process, ``mode`` "none" (formats replaced by nothing) or "formats"."""
    from scripts import build
    from scripts.core import downloads

    real = build.build_formats
    seconds: list[float] = []

    def timed(paths, public, docs_dir, out, *args, **kwargs):
        start = time.perf_counter()
        if mode == "none":
            (out / downloads.FOLDER).mkdir(parents=True, exist_ok=True)
            (out / downloads.FOLDER / "formats.json").write_text("[]", encoding="utf-8")
            listing: list = []
        else:
            listing = real(paths, public, docs_dir, out, *args, **kwargs)
        seconds.append(time.perf_counter() - start)
        return listing

    build.build_formats = timed
    code = build.main(["--site"])
    Path(result_file).write_text(json.dumps({"code": code, "formats_s": seconds[0] if seconds else None}))
    return code


def run(mode: str, cache: Path) -> dict:
    """One child build; its wall and CPU seconds (children included) and the load around it."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        result = Path(f.name)
    env = dict(os.environ, RFA_FORMATS_CACHE=str(cache))
    load_before = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "scripts.tools.bench_formats", "--child", mode, str(result)],
                          cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    data = json.loads(result.read_text() or "{}")
    result.unlink()
    if proc.returncode != 0 or data.get("code") != 0:
        raise SystemExit(f"the {mode} build failed (exit {proc.returncode})")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "formats_stage_s": round(data["formats_s"], 1),
            "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2),
            "cached_files": len(list(cache.glob("*.*")))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "RESULT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(*args.child)
    with tempfile.TemporaryDirectory(prefix="formats-cache.") as tmp:
        cache = Path(tmp)
        for _ in range(args.rounds):
            for f in cache.glob("*"):
                f.unlink()
            for label, mode in (("without formats", "none"), ("cold", "formats"), ("warm", "formats"),
                                ("without formats (again)", "none")):
                figures = run(mode, cache)
                print(json.dumps({"build": label, **figures, "at": time.strftime("%H:%M:%S", time.gmtime())}),
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
