"""Every built page is valid HTML by the Nu Html Checker (npm vnu-jar, run with Java).

`java -jar node_modules/vnu-jar/build/dist/vnu.jar --format json --skip-non-html <site>`.
Errors that come from Material's own templates are filtered one by one through
tests/vnu_allowlist.yml (exact message + a fragment of Material's markup + the reason);
anything else (our content, our templates) fails the test. Warnings ("info") do not fail.
Needs Java and `npm ci`: skipped on a developer machine without them, FAILS in CI.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, require_tool

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ALLOWLIST = Path(__file__).with_name("vnu_allowlist.yml")


def load_allowlist() -> list[dict[str, str]]:
    entries = yaml.safe_load(ALLOWLIST.read_text(encoding="utf-8"))
    for entry in entries:
        missing = {"message", "extract_contains", "template", "reason"} - set(entry)
        assert not missing, f"{ALLOWLIST.name}: entry {entry.get('message')!r} lacks {missing}"
    return entries


def run_vnu(site: Path) -> list[dict]:
    """The checker's messages for every HTML file under `site`."""
    require_tool(shutil.which("java") is not None, "Java (for the Nu Html Checker)",
                 "apt-get install default-jre-headless")
    require_tool(VNU_JAR.exists(), f"vnu.jar ({VNU_JAR.relative_to(ROOT)})", "npm ci")
    proc = subprocess.run(["java", "-jar", str(VNU_JAR), "--format", "json", "--skip-non-html",
                           str(site)], capture_output=True, text=True)
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    return json.loads(proc.stderr)["messages"]


def split_errors(messages: list[dict], allowlist: list[dict[str, str]]
                 ) -> tuple[list[dict], dict[int, int]]:
    """(errors not allowed, number of errors each allowlist entry absorbed)."""
    used = {i: 0 for i in range(len(allowlist))}
    bad = []
    for m in messages:
        if m.get("type") == "info":
            continue
        for i, entry in enumerate(allowlist):
            if m.get("message") == entry["message"] and entry["extract_contains"] in m.get("extract", ""):
                used[i] += 1
                break
        else:
            bad.append(m)
    return bad, used


def describe(m: dict) -> str:
    where = m.get("url", "?").split("/site/")[-1].split("/revolution-from-above/")[-1]
    return f"{where}:{m.get('lastLine', '?')}: {m.get('message')}\n    {m.get('extract', '').strip()[:160]!r}"


@pytest.fixture(scope="module")
def allowlist() -> list[dict[str, str]]:
    return load_allowlist()


def test_online_site_is_valid_html(built_site: Path, allowlist: list[dict[str, str]]) -> None:
    bad, used = split_errors(run_vnu(built_site), allowlist)
    assert not bad, f"{len(bad)} HTML errors:\n" + "\n".join(describe(m) for m in bad[:40])
    stale = [allowlist[i]["message"] for i, n in used.items() if n == 0]
    assert not stale, f"allowlist entries that matched nothing (remove them): {stale}"


def test_offline_bundle_is_valid_html(offline_site: Path, allowlist: list[dict[str, str]]) -> None:
    bad, _ = split_errors(run_vnu(offline_site), allowlist)
    assert not bad, f"{len(bad)} HTML errors:\n" + "\n".join(describe(m) for m in bad[:40])


def test_allowlist_only_absorbs_material_markup(allowlist: list[dict[str, str]]) -> None:
    """The filter can fail: the same message on OUR markup is not absorbed."""
    ours = {"type": "error", "message": allowlist[0]["message"],
            "extract": '<input type="checkbox" id="mine" autocomplete="off">'}
    theirs = {"type": "error", "message": allowlist[0]["message"],
              "extract": '<input class="md-toggle" data-md-toggle="search" type="checkbox">'}
    bad, _ = split_errors([ours, theirs], allowlist)
    assert bad == [ours]
