"""No data file can inject markup: every field an editor writes reaches the page as text.

A hostile payload — a <script>, an ``onerror`` image (quoted and unquoted), an <iframe> to another
host, a Markdown ``javascript:`` link and an HTML one — is written into one field of each data file
in the table below, all in one scratch copy of the project, which is then built for real. Every
page is opened in Chromium with every request outside the site aborted and recorded, and the test
checks that no dialog opened, nothing was requested from another host, no element the payload
would create exists, and each payload's marker shows on some page as literal text (so the field
did reach a page, and was escaped rather than dropped).

To cover a new data file, add one line to ``FIELDS``: (file, field) for YAML — the first
``field:`` line in the file gets the payload — or a BibTeX field name for ``.bib`` files.
"""
from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from pathlib import Path

import pytest

from tests.browser.helpers import page_urls_online
from tests.conftest import _QuietHandler
from tests.project_copy import copy_project, run_build

#: (data file, field): the payload goes into the first occurrence of the field in that file.
FIELDS = [
    ("data/glossary.yml", "explanation"),
    ("data/glossary.yml", "russian"),
    ("data/glossary.yml", "viola"),
    ("data/glossary.yml", "viola_headword"),
    ("data/glossary.yml", "viola_completion"),
    ("data/glossary.yml", "source"),
    ("data/glossary.yml", "stands_for"),
    ("data/glossary.yml", "meaning"),
    ("sources/sources.yml", "description"),
    ("sources/sources.yml", "provenance"),
    ("sources/sources.yml", "rights_statement"),
    ("data/corrections/hatch.yml", "reason"),
    ("data/corrections/viola.yml", "replace"),
    ("bib/readings.bib", "title"),
    ("bib/readings.bib", "journal"),
    ("bib/readings.bib", "author"),
    ("bib/readings.bib", "publisher"),
]


def marker(file: str, field: str) -> str:
    """A unique, search-friendly word per (file, field): INJglossaryexplanation."""
    return "INJ" + re.sub(r"[^a-z]", "", (Path(file).stem + field).lower())


def payload(mark: str) -> str:
    return (f"{mark} <script>alert('{mark}')</script> <img src=x onerror=alert('{mark}')> "
            f"<img src=\"x\" onerror=\"alert('{mark}')\"> <iframe src=\"https://example.com/{mark}\"></iframe> "
            f"[x{mark}](javascript:alert('{mark}')) <a href=\"javascript:alert('{mark}')\">click{mark}</a> "
            f"<svg onload=alert('{mark}')></svg> {mark}END")


def inject_yaml(path: Path, field: str, text: str) -> None:
    """Replace the value of the first ``field:`` in a YAML file (block scalars included) by ``text``."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        m = re.match(rf"^(\s*(?:-\s+)?){re.escape(field)}:\s*(.*)$", line)
        if not m:
            continue
        indent = len(m.group(1))
        end = i + 1
        if m.group(2).strip() in ("|", "|-", ">", ">-", "|+", ">+", ""):
            while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
                end += 1
        lines[i:end] = [f"{m.group(1)}{field}: {json.dumps(text, ensure_ascii=False)}"]
        path.write_text("\n".join(lines), encoding="utf-8")
        return
    raise AssertionError(f"no '{field}:' in {path}")


def inject_bib(path: Path, field: str, text: str) -> None:
    """Replace the value of the first ``field = {…}`` in a BibTeX file by ``text``."""
    source = path.read_text(encoding="utf-8")
    new, n = re.subn(rf"(\b{re.escape(field)}\s*=\s*)\{{[^\n]*\}}(,?)$", lambda m: m.group(1) + "{" + text + "}" + m.group(2),
                     source, count=1, flags=re.M)
    assert n, f"no '{field} = {{…}}' in {path}"
    path.write_text(new, encoding="utf-8")


@pytest.fixture(scope="session")
def injected_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("injection") / "proj")
    for file, field in FIELDS:
        inject = inject_bib if file.endswith(".bib") else inject_yaml
        inject(root / file, field, payload(marker(file, field)))
    run = run_build(root)
    assert run.returncode == 0, f"the build with hostile data failed:\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}"
    return root / "site"


@pytest.fixture(scope="session")
def injected_url(injected_site: Path):
    handler = functools.partial(_QuietHandler, directory=str(injected_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


HOSTILE = """() => {
  const found = [];
  for (const el of document.querySelectorAll('iframe, svg[onload], [onerror], [onload], [onmouseover]')) found.push(el.outerHTML.slice(0, 120));
  for (const a of document.querySelectorAll('a[href]')) if (/^\\s*javascript:/i.test(a.getAttribute('href'))) found.push(a.outerHTML.slice(0, 120));
  for (const s of document.querySelectorAll('script')) if (/INJ/.test(s.textContent)) found.push(s.outerHTML.slice(0, 120));
  for (const img of document.querySelectorAll('img')) if (img.getAttribute('src') === 'x') found.push(img.outerHTML.slice(0, 120));
  return found;
}"""


@pytest.mark.slow
def test_no_data_file_can_inject_markup(browser, injected_site: Path, injected_url: str) -> None:
    context = browser.new_context()
    outside: list[str] = []

    def route(route):
        if route.request.url.startswith(injected_url) or route.request.url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    shown: dict[str, list[str]] = {}
    hostile: dict[str, list[str]] = {}
    for url in page_urls_online(injected_site, injected_url):
        page.goto(url, wait_until="load")
        for link in page.locator("article a.gl").all()[:3]:  # glossary tooltips: hover shows the title
            link.hover()
        found = page.evaluate(HOSTILE)
        if found:
            hostile[url] = found
        text = page.evaluate("() => document.body.textContent")  # collapsed apparatus notes included
        # the citation processor sets bibliography fields in its own typography (title case, curly
        # quotes, a name's parts reordered): compare case-blind, with straight quotes
        text = text.replace("’", "'").lower()
        for file, field in FIELDS:
            mark = marker(file, field)
            if f"<script>alert('{mark}')</script>".lower() in text:
                shown.setdefault(mark, []).append(url)
    context.close()
    assert not dialogs, f"a payload ran: {dialogs}"
    assert not outside, f"a payload requested another host: {outside}"
    assert not hostile, f"payload elements in the pages: {hostile}"
    missing = [f"{file}: {field}" for file, field in FIELDS if marker(file, field) not in shown]
    assert not missing, f"these fields never showed their payload as text (dropped, or not shown at all): {missing}"


def test_the_check_sees_a_real_injection(browser, tmp_path: Path) -> None:
    """The detector is not blind: an unescaped payload on a page is found and its alert fires."""
    page_file = tmp_path / "raw.html"
    page_file.write_text("<!doctype html><title>t</title><body>" + payload("INJraw") + "</body>", encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.route("https://**/*", lambda route: route.abort())
    page.goto(page_file.as_uri(), wait_until="load")
    page.wait_for_timeout(200)
    found = page.evaluate(HOSTILE)
    context.close()
    assert dialogs and len(found) >= 4
