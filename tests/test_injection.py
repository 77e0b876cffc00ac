"""No editor-written field can put live markup on a page — proved for every field, not a list.

The fields are not listed here: every data file the build reads registers its schema
(``@schema_for`` in scripts/core/datafile.py: the manifest, glossary, corrections, guides, courses,
timeline, charts, apparatus wording, page settings, book-index repairs, essay and content-page front
matter), and :func:`scripts.core.datafile.free_text_fields` lists every string field of each schema
that is not a :data:`~scripts.core.datafile.Ref` or a pattern (an id, a date, a range). A field added
to a schema is therefore injected without editing this file. BibTeX has no schema: its displayed
fields are the ones the citation styles print (``BIB_FIELDS``).

Into each field (of one file per schema, in the first entry that has it, added where none has it)
goes the payload ``<b id="pw-F7">B-F7</b> <script>alert("s-F7")</script> [jl-F7](javascript:alert("j-F7"))``
with its own marker. A field whose check refuses the payload at validation (a tooltip, a glossary
form) is safe by refusal: the schema says so at ``file:line`` (or the build does), it is recorded,
put back, and the others are built. Then the whole site and one course pack are built, and every
page of both is opened in real Chromium, which checks that

- no injected script ran (no dialog) and no element carries an injected id;
- no ``href``/``src`` holds a ``javascript:``/``vbscript:`` URL;
- every field whose marker reaches a page shows the payload there exactly as typed (text, not markup).
"""
from __future__ import annotations

import copy
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.browser.helpers import page_urls_online
from scripts.site.local_server import serve_folder
from tests.project_copy import build_env, copy_project

#: one worker builds the hostile project once and runs every test on it (xdist --dist loadgroup)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("injection")]

#: BibTeX fields the citation styles print (bib/*.bib has no pydantic schema).
BIB_FIELDS = ("title", "journal", "author", "publisher")


def payload(mark: str) -> str:
    return f'<b id="pw-{mark}">B-{mark}</b> <script>alert("s-{mark}")</script> [jl-{mark}](javascript:alert("j-{mark}"))'


@dataclass
class Field_:
    file: str                      # relative to the project
    loc: tuple                     # keys and list indexes in the file's data
    schema_path: tuple             # the schema's path ('terms', '*', 'role')
    mark: str
    line: int | None = None
    refused: str = ""              # the file:line error that refused the payload

    @property
    def name(self) -> str:
        return f"{self.file} {'.'.join(map(str, self.schema_path))}"


# ---- which fields -----------------------------------------------------------------------------
def schemas() -> dict[str, type]:
    import scripts.pipeline  # noqa: F401 - importing the pipeline registers every schema the build reads
    from scripts.core.datafile import SCHEMAS
    return dict(SCHEMAS)


def _place(data, path: tuple) -> tuple | None:
    """A concrete location for a schema path in ``data``: the first item that has the rest of the
    path; where none has it, the first item (the key is added)."""
    if not path:
        return ()
    head, rest = path[0], path[1:]
    if head == "*":
        items = list(enumerate(data)) if isinstance(data, list) else list(data.items()) if isinstance(data, dict) else []
        if not items:
            return None
        for key, value in items:
            sub = _find(value, rest)
            if sub is not None:
                return (key,) + sub
        sub = _place(items[0][1], rest)
        return None if sub is None else (items[0][0],) + sub
    if not isinstance(data, dict):
        return None
    if head in data:
        sub = _place(data[head], rest)
        return None if sub is None else (head,) + sub
    if rest and rest[0] == "*":          # a missing list: one item
        return (head, 0) + rest[1:] if all(p != "*" for p in rest[1:]) else None
    return (head,) + rest if all(p != "*" for p in rest) else None


def _find(data, path: tuple) -> tuple | None:
    """Like _place, but only where the value already exists."""
    if not path:
        return () if isinstance(data, str) else None
    head, rest = path[0], path[1:]
    if head == "*":
        items = list(enumerate(data)) if isinstance(data, list) else list(data.items()) if isinstance(data, dict) else []
        for key, value in items:
            sub = _find(value, rest)
            if sub is not None:
                return (key,) + sub
        return None
    if isinstance(data, dict) and head in data:
        sub = _find(data[head], rest)
        return None if sub is None else (head,) + sub
    return None


def _get(data, loc: tuple):
    for part in loc:
        data = data[part]
    return data


def _set(data, loc: tuple, value) -> None:
    for i, part in enumerate(loc[:-1]):
        if isinstance(data, dict) and part not in data:
            data[part] = [] if isinstance(loc[i + 1], int) else {}
        if isinstance(data, list) and part >= len(data):
            data.append([] if isinstance(loc[i + 1], int) else {})
        data = data[part]
    if isinstance(data, list) and loc[-1] >= len(data):
        data.append(value)
    else:
        data[loc[-1]] = value


# ---- reading and writing the files ------------------------------------------------------------
def read(path: Path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        end = text.index("\n---", 4)
        return yaml.safe_load(text[4:end]) or {}, text[end + 4:]
    return yaml.safe_load(text), None


def write(path: Path, data, body: str | None) -> None:
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10 ** 6)
    path.write_text(f"---\n{dumped}---{body}" if body is not None else dumped, encoding="utf-8")


def value_lines(path: Path, fields: list[Field_]) -> None:
    """The line of each injected value, as the build's reader sees it."""
    from scripts.core.datafile import Lines, parse_yaml
    text = path.read_text(encoding="utf-8")
    offset = 0
    if path.suffix == ".md":
        text, offset = text[4:text.index("\n---", 4) + 1], 1
    data, key_lines = parse_yaml(path, text)
    for f in fields:
        f.line = (Lines(data, key_lines).of(*f.loc) or 0) + offset


def schema_check(path: Path, model) -> None:
    """The file through its schema, as the build reads it (BuildError at file:line if refused)."""
    from scripts.core.datafile import load_yaml
    from scripts.core.front_matter import front_matter_of
    if path.suffix == ".md":
        front_matter_of(path, path.read_text(encoding="utf-8"), model)
    else:
        load_yaml(path, model)


@dataclass
class Injection:
    root: Path
    fields: list[Field_] = field(default_factory=list)
    originals: dict = field(default_factory=dict)      # file -> (data, body) before injection

    def by_file(self, rel: str) -> list[Field_]:
        return [f for f in self.fields if f.file == rel and not f.refused]

    def rewrite(self, rel: str) -> None:
        data, body = copy.deepcopy(self.originals[rel])
        for f in self.by_file(rel):
            _set(data, f.loc, payload(f.mark))
        write(self.root / rel, data, body)
        value_lines(self.root / rel, self.by_file(rel))

    def refuse(self, rel: str, line: int | None, message: str) -> bool:
        """Put back the field the error points at (its payload quoted in the message, else the value
        at or just above the line); False if it points at none of ours."""
        ours = self.by_file(rel)
        candidates = [f for f in ours if f'pw-{f.mark}"' in message] or [f for f in ours if line is not None and f.line == line]
        if len(candidates) != 1:     # an error about something else (or ambiguous) is not a refusal of a payload
            return False
        hit = candidates[0]
        hit.refused = message
        self.rewrite(rel)
        return True


def inject_everything(root: Path) -> Injection:
    inj = Injection(root)
    n = 0
    from scripts.core.datafile import free_text_fields
    for pattern, model in schemas().items():
        files = sorted(p for p in root.glob(pattern) if p.is_file())
        if not files:
            continue
        for path in files:
            rel = path.relative_to(root).as_posix()
            inj.originals[rel] = read(path)
        touched = set()
        for schema_path in free_text_fields(model):
            # the first file where the field is written already, else the first file (the key is added)
            found = [(p, _find(inj.originals[p.relative_to(root).as_posix()][0], schema_path)) for p in files]
            path, loc = next(((p, loc) for p, loc in found if loc is not None), (files[0], None))
            rel = path.relative_to(root).as_posix()
            loc = loc if loc is not None else _place(inj.originals[rel][0], schema_path)
            assert loc is not None, f"{rel}: cannot place {schema_path} (the test's walker needs a fix)"
            n += 1
            inj.fields.append(Field_(rel, loc, schema_path, f"F{n}"))
            touched.add(path)
        for path in sorted(touched):
            rel = path.relative_to(root).as_posix()
            inj.rewrite(rel)
            while True:                       # fields the schema refuses are safe: recorded, put back
                try:
                    schema_check(path, model)
                    break
                except Exception as exc:      # BuildError
                    line = getattr(exc, "line", None)
                    assert inj.refuse(rel, line, str(exc).split("\n")[0]), f"the schema refused {rel} elsewhere: {exc}"
    for bib_field in BIB_FIELDS:
        n += 1
        mark = f"F{n}"
        bib = root / "bib" / "readings.bib"
        text = bib.read_text(encoding="utf-8")
        new, count = re.subn(rf"(\b{bib_field}\s*=\s*)\{{[^\n]*\}}(,?)$",
                             lambda m: m.group(1) + "{" + payload(mark).replace("{", "").replace("}", "") + "}" + m.group(2),
                             text, count=1, flags=re.M)
        assert count, f"no '{bib_field} = {{…}}' in bib/readings.bib"
        bib.write_text(new, encoding="utf-8")
        inj.fields.append(Field_("bib/readings.bib", (bib_field,), (bib_field,), mark))
    return inj


ERROR = re.compile(r"^(?P<file>[^\s:]+):(?P<line>\d+): error: (?P<message>.*)$", re.M)


#: A build of the whole site on a shared, loaded machine can take far longer than the usual 10 minutes.
BUILD_TIMEOUT = 3600


def build(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=root, env=build_env(), capture_output=True, text=True,
                          timeout=BUILD_TIMEOUT)


@pytest.fixture(scope="session")
def injected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Injection, Path]:
    """The project with the payload in every free-text field, and its site built."""
    root = copy_project(tmp_path_factory.mktemp("injection") / "proj")
    inj = inject_everything(root)
    for _attempt in range(8):   # the build's own checks may refuse a payload too (at file:line): put it back
        run = build(root, "-m", "scripts.build", "--site")
        if run.returncode == 0:
            break
        m = ERROR.search(run.stderr)
        assert run.returncode == 1 and m and m.group("file") in inj.originals and "Traceback" not in run.stderr, \
            f"the build with hostile data failed, not at an injected field:\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}"
        assert inj.refuse(m.group("file"), int(m.group("line")), m.group(0)), run.stderr[-3000:]
    else:
        pytest.fail("the build kept refusing payloads")
    return inj, root / "site"


@pytest.fixture(scope="session")
def injected_pack(injected) -> Path:
    """One course pack of the injected project (its offline zip, unzipped)."""
    root = injected[1].parent
    course = sorted((root / "courses").glob("*.yml"))[0]
    pack = build(root, "-m", "scripts.site.course_pack", f"courses/{course.name}", "--no-pipeline",
                 "--site-url", "https://reader.example.edu/")      # the cartridge too, from the hostile data
    assert pack.returncode == 0, f"the course pack with hostile data failed:\n{pack.stdout[-2000:]}\n{pack.stderr[-3000:]}"
    unzipped = root / "unzipped"
    with zipfile.ZipFile(root / "dist" / f"{course.stem}-offline.zip") as zf:
        zf.extractall(unzipped)
    return unzipped


@pytest.fixture(scope="session")
def injected_url(injected):
    with serve_folder(injected[1]) as url:
        yield url


#: What Chromium reports for one page: injected elements, script URLs, and the text a reader sees
#: (title, meta description and body, tooltips' title attributes included).
INSPECT = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('[id^="pw-"]')) bad.push('injected element: ' + el.outerHTML.slice(0, 100));
  for (const el of document.querySelectorAll('[href], [src], [action], [formaction]'))
    for (const name of ['href', 'src', 'action', 'formaction']) {
      const v = el.getAttribute(name);
      if (v && /^\\s*(javascript|vbscript):/i.test(v.replace(/[\\u0000-\\u0020]/g, ''))) bad.push('script URL: ' + el.outerHTML.slice(0, 100));
    }
  for (const s of document.querySelectorAll('script')) if (/alert\\("s-F/.test(s.textContent)) bad.push('injected script: ' + s.outerHTML.slice(0, 100));
  const meta = document.querySelector('meta[name=description]');
  const titles = Array.from(document.querySelectorAll('[title]')).map(e => e.getAttribute('title'));
  const text = [document.title, meta ? meta.content : '', document.body.textContent, ...titles].join(' \\n ');
  return {bad, text};
}"""


def _normal(text: str) -> str:
    """Whitespace collapsed; the citation processor's typography (curly quotes, case) set aside."""
    return re.sub(r"\s+", " ", text.replace("“", '"').replace("”", '"').replace("’", "'")).lower()


def visit(browser, urls: list[str], base: str | None) -> tuple[list[str], dict[str, list[str]], str]:
    context = browser.new_context()
    dialogs: list[str] = []

    def route(r):
        if (base and r.request.url.startswith(base)) or r.request.url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    bad: dict[str, list[str]] = {}
    texts = []
    for url in urls:
        page.goto(url, wait_until="load")
        found = page.evaluate(INSPECT)
        if found["bad"]:
            bad[url] = found["bad"]
        texts.append(_normal(found["text"]))
    context.close()
    return dialogs, bad, "\n".join(texts)


def check_shown(inj: Injection, text: str) -> tuple[list[str], list[str]]:
    """(fields whose marker shows but not the payload as typed, fields never shown)."""
    mangled, unseen = [], []
    for f in inj.fields:
        if f.refused:
            continue
        typed = payload(f.mark)
        if f.file.endswith(".bib"):   # the citation processor reorders names and sets titles in its case
            typed = f'<script>alert("s-{f.mark}")</script>'
        if _normal(typed) in text:
            continue
        if re.search(rf"\b(?:b|jl|s)-{f.mark.lower()}(?!\d)", text):     # F4 is not F47
            mangled.append(f.name)
        else:
            unseen.append(f.name)
    return mangled, unseen


def test_every_field_is_covered(injected) -> None:
    """The field list comes from the schemas: every registered data file has a free-text field injected
    or is all ids, and a refusal names the file and the line."""
    inj = injected[0]
    from scripts.core.datafile import free_text_fields
    for pattern, model in schemas().items():
        assert not free_text_fields(model) or any(f.file.startswith(pattern.split("*")[0]) for f in inj.fields), pattern
    for f in inj.fields:
        if f.refused:
            assert re.match(rf"^{re.escape(f.file)}:\d+: error: ", f.refused) or ": error: " in f.refused, f.refused
    print(f"\n{len(inj.fields)} fields injected; refused at validation: "
          + "; ".join(f"{f.name} ({f.refused})" for f in inj.fields if f.refused))


def test_site_shows_every_payload_as_text(browser, injected, injected_url: str) -> None:
    inj, site = injected
    dialogs, bad, text = visit(browser, page_urls_online(site, injected_url), injected_url)
    fields = {f.mark: f"{f.file}:{'/'.join(map(str, f.schema_path))}" for f in inj.fields}
    ran = sorted({d.removeprefix("s-") for d in dialogs})
    assert not dialogs, f"an injected script ran: {dialogs} — fields {[fields.get(m, m) for m in ran]}"
    assert not bad, f"injected markup is live in the site: {bad}"
    mangled, unseen = check_shown(inj, text)
    assert not mangled, f"these fields reach a page but not as typed (their markup was interpreted): {mangled}"
    print(f"\nnot shown on any page of the site (no page displays them): {unseen}")


def test_course_pack_shows_every_payload_as_text(browser, injected, injected_pack: Path) -> None:
    inj, pack = injected[0], injected_pack
    urls = [p.as_uri() for p in sorted(pack.rglob("*.html")) if p.name != "404.html"]
    dialogs, bad, text = visit(browser, urls, None)
    assert not dialogs, f"an injected script ran in the course pack: {dialogs}"
    assert not bad, f"injected markup is live in the course pack: {bad}"
    mangled, _unseen = check_shown(inj, text)
    assert not mangled, f"these fields reach the course pack but not as typed: {mangled}"


def epub_findings(path: Path) -> tuple[list[str], str]:
    """What an e-reader would be given by one EPUB: its injected elements, scripts and script URLs
    (INSPECT's checks, read from the XHTML, the package file and the navigation), and its text."""
    from bs4 import BeautifulSoup

    bad, texts = [], []
    with zipfile.ZipFile(path) as epub:
        for name in epub.namelist():
            if not name.endswith((".xhtml", ".opf", ".ncx")):
                continue
            soup = BeautifulSoup(epub.read(name), "xml")
            where = f"{path.name}/{name}"
            bad += [f"{where}: injected element: {str(el)[:100]}" for el in soup.find_all(id=re.compile(r"^pw-"))]
            for el in soup.find_all(True):
                for attr, value in el.attrs.items():
                    if attr.split(":")[-1] in ("href", "src", "action", "formaction") and re.match(
                            r"^(javascript|vbscript):", re.sub(r"[\x00-\x20]", "", str(value)), re.I):
                        bad.append(f"{where}: script URL: {str(el)[:100]}")
            bad += [f"{where}: injected script: {str(el)[:100]}" for el in soup.find_all("script")
                    if 'alert("s-F' in el.get_text()]
            texts.append(_normal(" ".join([soup.get_text(" ")] + [str(v) for el in soup.find_all(title=True)
                                                                  for v in [el["title"]]])))
    return bad, "\n".join(texts)


def test_epubs_show_every_payload_as_text(injected) -> None:
    """The EPUBs of the hostile build (the edition's, each reading's and each course's, made from the
    same fields): an e-reader renders their XHTML, so no injected element, script or script URL may
    be in them, and every field that reaches them shows as typed."""
    inj, site = injected
    epubs = sorted((site / "downloads").glob("*.epub"))
    assert epubs, "the hostile build made no EPUB"
    bad, texts = [], []
    for path in epubs:
        found, text = epub_findings(path)
        bad += found
        texts.append(text)
    assert not bad, "injected markup is live in an EPUB:\n" + "\n".join(bad[:20])
    mangled, unseen = check_shown(inj, "\n".join(texts))
    assert not mangled, f"these fields reach an EPUB but not as typed (their markup was interpreted): {mangled}"
    print(f"\nnot in any EPUB: {unseen}")


def test_the_epub_check_sees_a_real_injection(tmp_path: Path) -> None:
    """The EPUB check is not blind: a chapter with the payload unescaped is reported."""
    path = tmp_path / "raw.epub"
    with zipfile.ZipFile(path, "w") as epub:
        epub.writestr("EPUB/text.xhtml", '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head>'
                      "<title>t</title></head><body><p>" + payload("F0") + ' <a href=" javascript:alert(1)">x</a>'
                      "</p></body></html>")
    bad, _text = epub_findings(path)
    assert any("injected element" in b for b in bad) and any("injected script" in b for b in bad)
    assert any("script URL" in b for b in bad)


def test_the_check_sees_a_real_injection(browser, tmp_path: Path) -> None:
    """The detector is not blind: an unescaped payload on a page runs, and is found."""
    page_file = tmp_path / "raw.html"
    page_file.write_text("<!doctype html><title>t</title><body>" + payload("F0").replace(
        '[jl-F0](javascript:alert("j-F0"))', '<a href="javascript:alert(1)">jl-F0</a>') + "</body>", encoding="utf-8")
    dialogs, bad, text = visit(browser, [page_file.as_uri()], None)
    assert dialogs and len(bad[page_file.as_uri()]) >= 2
