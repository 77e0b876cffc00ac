"""The edition's URL in "Cite this": with ``site_url`` unset (the repository's mkdocs.yml) a citation
carries the page's path, marked for cite.js; once a deployer sets ``site_url`` (README, "The edition's
URL in citations") every form, the print line, the page's .bib and .ris and the Zotero tag carry the
full URL at build time. Built on a scratch copy whose mkdocs.yml gains a ``site_url``."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts.paths import Paths
from scripts.pipeline import generate
from tests.project_copy import scratch_paths

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://reader.example.edu/revolution/"      # a test address, not the edition's


def test_repository_leaves_site_url_unset() -> None:
    """No address is invented: the deployer sets it (README)."""
    assert not re.search(r"^site_url:", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert "site_url: https://" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def deployed(tmp_path_factory) -> Paths:
    root = tmp_path_factory.mktemp("site-url")
    paths = scratch_paths(root)
    yml = root / "mkdocs.yml"
    text = yml.read_text(encoding="utf-8")
    yml.write_text(re.sub(r"^(site_name:.*\n)", rf"\1site_url: {BASE}\n", text, count=1, flags=re.M), encoding="utf-8")
    generate(paths)
    return paths


def test_every_form_carries_the_full_url(deployed: Paths) -> None:
    md = (deployed.docs / "readings" / "viola" / "chapter-4.md").read_text(encoding="utf-8")
    url = BASE + "readings/viola/chapter-4.html"
    box = md[md.index('<details class="cite-this"'):md.index("</details>")]
    for form in ("chicago-note", "chicago-bib", "mla", "apa"):
        line = next(l for l in box.split("\n") if f'id="cite-{form}"' in l)
        assert url in line, form
    assert 'class="cite-url"' not in box                     # nothing left for cite.js to fill
    assert f"{url}#p999999" in box                           # "cite this paragraph" templates
    print_line = next(l for l in md.split("\n") if l.startswith('<p class="cite-print"'))
    assert print_line.rstrip().endswith(f"{url}.</p>")
    assert f'citation_public_url: "{url}"' in md
    bib = (deployed.docs / "cite" / "viola-chapter-4.bib").read_text(encoding="utf-8")
    assert re.search(r"^\s*url\s*= \{" + re.escape(url) + r"\},?$", bib, re.M), bib
    assert f"UR  - {url}" in (deployed.docs / "cite" / "viola-chapter-4.ris").read_text(encoding="utf-8")


def test_without_site_url_the_path_is_marked_for_the_browser(generated_docs: Path) -> None:
    md = (generated_docs / "readings" / "viola" / "chapter-4.md").read_text(encoding="utf-8")
    assert "https://" not in md[md.index('<details class="cite-this"'):md.index("</details>")]
    print_line = next(l for l in md.split("\n") if l.startswith('<p class="cite-print"'))
    assert '<span class="cite-url" data-path="readings/viola/chapter-4.html" data-root="../..">' in print_line
