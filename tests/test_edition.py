"""The footer's build date (issue 24): computed by scripts/site/build_date.py before the site build and
inherited by mkdocs.yml, so neither MkDocs' Jinja2 nor Zensical's MiniJinja needs a date method."""
from __future__ import annotations

import datetime as dt
import re

from scripts.site import build_date as edition
from tests.conftest import ROOT


def test_the_date_is_written_as_the_footer_shows_it(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = edition.write(tmp_path, now=dt.datetime(2026, 3, 7, 23, 59, tzinfo=dt.timezone.utc))
    assert out == tmp_path / "edition.yml"
    text = out.read_text(encoding="utf-8")
    assert 'build_date: "2026-03-07"' in text and 'build_date_text: "7 March 2026"' in text


def test_source_date_epoch_is_honoured(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")        # 14 November 2023, UTC
    assert 'build_date_text: "14 November 2023"' in edition.write(tmp_path).read_text(encoding="utf-8")


def test_mkdocs_yml_inherits_it_and_the_templates_call_no_method() -> None:
    assert re.search(r"^INHERIT: build/edition\.yml$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    for template in (ROOT / "overrides").rglob("*.html"):
        code = "".join(re.findall(r"\{[{%](.*?)[}%]\}", template.read_text(encoding="utf-8"), re.S))
        assert not re.search(r"\.\w+\(", code), f"{template.name}: a method call in a template (Zensical lacks them)"
        assert "build_date_utc" not in code, template.name
