"""The stylesheets and scripts a page downloads, trimmed after the build (scripts/site/trim_assets.py).

A tiny site in a scratch folder, trimmed by the real tools (purgecss, lightningcss, esbuild under
node); the real site's pages are checked in the browser suite, which runs on the trimmed build."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scripts.site.trim_assets import TrimError, trim_assets

MATERIAL = "main.0123abcd.min.css"


def tiny_site(root: Path) -> Path:
    site = root / "site"
    (site / "assets" / "stylesheets").mkdir(parents=True)
    (site / "assets" / "javascripts" / "workers").mkdir(parents=True)
    (site / "assets" / "stylesheets" / MATERIAL).write_text(
        ".md-used{color:red}.md-never-used{color:blue}.md-added-by-script{color:green}"
        "@keyframes md-spin{to{transform:rotate(1turn)}}")
    (site / "assets" / "stylesheets" / (MATERIAL + ".map")).write_text("{}")
    (site / "assets" / "stylesheets" / "site.css").write_text(
        "/* a comment a developer wrote */\n.ours  {\n  color: black;\n}\n")
    (site / "assets" / "javascripts" / "reader.js").write_text(
        "/*! licence: kept */\n/* a long explanation */\n(function () {\n  var answer = 40 + 2;  // the answer\n"
        "  var el = document.createElement('div'); el.className = 'md-added-by-script';\n"
        "  window.answer = answer;\n})();\n")
    (site / "assets" / "javascripts" / "workers" / "search.js").write_text("/* Material's */ var x = 1;\n")
    (site / "index.html").write_text(
        f'<link rel="stylesheet" href="assets/stylesheets/{MATERIAL}"><p class="md-used">text</p>')
    (site / "sub").mkdir()
    (site / "sub" / "page.html").write_text(f'<link rel="stylesheet" href="../assets/stylesheets/{MATERIAL}">')
    return site


def test_trim_drops_unused_material_rules_and_minifies_ours(tmp_path: Path) -> None:
    site = tiny_site(tmp_path)
    sizes = trim_assets(site)
    sheets = site / "assets" / "stylesheets"
    trimmed = [p for p in sheets.glob("main.*.min.css")]
    assert len(trimmed) == 1 and trimmed[0].name != MATERIAL and re.fullmatch(r"main\.[0-9a-f]{8}\.min\.css", trimmed[0].name)
    assert not (sheets / MATERIAL).exists() and not (sheets / (MATERIAL + ".map")).exists()
    css = trimmed[0].read_text()
    assert ".md-used" in css and ".md-added-by-script" in css and "md-spin" in css
    assert ".md-never-used" not in css, "a rule no page or script uses was kept"
    for page, prefix in ((site / "index.html", ""), (site / "sub" / "page.html", "../")):
        assert f'href="{prefix}assets/stylesheets/{trimmed[0].name}"' in page.read_text()
    ours = (sheets / "site.css").read_text()
    assert "comment" not in ours and ".ours{color:#000}" in ours.replace(" ", ""), ours
    js = (site / "assets" / "javascripts" / "reader.js").read_text()
    assert "licence: kept" in js and "long explanation" not in js and "the answer" not in js
    assert (site / "assets" / "javascripts" / "workers" / "search.js").read_text().startswith("/* Material's */")
    assert sizes and all(after < before for before, after in sizes.values()), sizes
    # the minified script still does what it did
    node = shutil.which("node")
    out = subprocess.run([node, "-e", "global.window = {}; global.document = {createElement: () => ({})};"
                          f"require({json.dumps(str(site / 'assets/javascripts/reader.js'))});"
                          "console.log(window.answer)"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "42"


def test_a_site_without_material_stylesheet_is_left_alone(tmp_path: Path) -> None:
    site = tiny_site(tmp_path)
    (site / "assets" / "stylesheets" / MATERIAL).unlink()
    before = (site / "assets" / "javascripts" / "reader.js").read_text()
    assert trim_assets(site) is None
    assert (site / "assets" / "javascripts" / "reader.js").read_text() == before


def test_a_script_the_minifier_cannot_read_stops_with_what_to_do(tmp_path: Path) -> None:
    site = tiny_site(tmp_path)
    (site / "assets" / "javascripts" / "broken.js").write_text("function ( {\n")
    with pytest.raises(TrimError) as err:
        trim_assets(site)
    assert "broken.js" in str(err.value) and "what to do" in str(err.value)
