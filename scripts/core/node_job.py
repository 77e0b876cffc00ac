"""Running one of our Node.js scripts on a JSON job.

The build hands three jobs to npm packages through a small script of ours each: citeproc-js
(scripts/citations/csl_format.js), Workbox (scripts/site/offline_sw.js) and the asset trim
(scripts/site/trim_assets.js). Each reads one JSON job on stdin and writes one JSON answer on stdout;
this module runs them alike, and each caller says in its own words what failed and what to do."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path


class NodeMissing(Exception):
    """Node.js is not on the PATH."""


class NodeJobFailed(Exception):
    """The script ended with an error; ``detail`` is its error line."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def run_node_job(script: Path, job: dict, cwd: Path) -> dict:
    """Run ``node script`` in ``cwd`` (where node_modules/ is) with ``job`` on stdin; return its answer."""
    node = shutil.which("node")
    if node is None:
        raise NodeMissing(str(script))
    proc = subprocess.run([node, str(script)], input=json.dumps(job), capture_output=True, text=True,
                          cwd=cwd, check=False)
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        raise NodeJobFailed(next((l for l in lines if re.search(r"\w*Error\b", l)), lines[-1] if lines else "no output"))
    return json.loads(proc.stdout)
