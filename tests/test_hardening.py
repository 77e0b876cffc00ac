"""Small promises of the hardening issue, checked on the real build (session fixtures of conftest).

* no page, search index or message carries the build machine's path;
* the apparatus shows the words each removal rule took;
* the offline bundle's 404.html loads nothing from the root of the disk;
* the glossary schema accepts the optional ``marking`` key and refuses bad forms;
* the publish step: an interrupted swap is finished by the next build, and scratch folders go, even
  when a signal arrives while a build thread is starting.
"""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from scripts.site import publish
from scripts.core.errors import BuildError
from scripts.glossary.terms import load_glossary
from tests.conftest import ROOT, site_pages


def test_no_build_machine_path_in_pages_or_search(built_site: Path, generated_docs: Path) -> None:
    roots = (str(ROOT), str(generated_docs.parent))  # the checkout, and the scratch copy the session built in
    leaks = [p for p in list(site_pages(built_site)) + list(built_site.rglob("*.json")) + list(generated_docs.rglob("*.md"))
             if any(root in p.read_text(encoding="utf-8", errors="replace") for root in roots)]
    assert not leaks, f"the build machine's path appears in {leaks[:5]}"


def test_apparatus_counts_the_words_each_removal_rule_took(generated_docs: Path, build_dir: Path) -> None:
    about = (generated_docs / "readings" / "viola" / "about.md").read_text(encoding="utf-8")
    # the entry whose technical details name the rule says in its title how many words it removed
    block = re.search(r'\?\?\? note "([^"]*)"\n(?:(?!\?\?\? note).*\n)*?\s+Rule `drop_back_cover`', about)
    assert block, "no apparatus entry for drop_back_cover"
    m = re.search(r"\((\d[\d,]*) words? removed\)", block.group(1))
    assert m and 100 < int(m.group(1).replace(",", "")) < 500, block.group(1)
    report = (build_dir / "report.md").read_text(encoding="utf-8")
    assert re.search(r"`drop_back_cover` × 1 \(\d+ words\)", report)


def test_offline_404_page_loads_nothing_from_the_disk_root(offline_site: Path) -> None:
    html = (offline_site / "404.html").read_text(encoding="utf-8")
    assert not re.findall(r'\b(?:href|src)="/(?!/)', html)
    assert (offline_site / "assets" / "stylesheets" / "extra.css").exists()


def _glossary(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "glossary.yml"
    path.write_text(textwrap.dedent("""
        terms:
          - id: kulak
            headword: kulak
            short: A peasant.
            explanation: The kulak.
            source: written for this edition
        """) + textwrap.indent(textwrap.dedent(extra), "    "), encoding="utf-8")
    return path


def test_marking_key_is_part_of_the_schema(tmp_path: Path) -> None:
    from scripts.sources.schemas import GlossaryTerm
    assert GlossaryTerm.model_fields["marking"].default == "normal"
    with pytest.raises(BuildError) as err:
        load_glossary(_glossary(tmp_path, "variants: [kulaks, a]\n"))
    assert "shorter than 3" in err.value.message and "allowed_short_forms" in err.value.hint


def test_allowed_short_forms_lets_a_real_short_term_through(tmp_path: Path) -> None:
    path = _glossary(tmp_path, "variants: [MK]\n")
    path.write_text("allowed_short_forms: [MK]\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_glossary(path).by_id["kulak"].variants == ("MK",)


def test_an_interrupted_swap_is_finished_by_the_next_build(tmp_path: Path) -> None:
    """A SIGKILL between the renames left docs.old/ and the new docs scratch: recover() completes it."""
    for name, text in (("docs", "old"), ("site", "old")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "f").write_text(text)
    new_docs, new_site = tmp_path / "docs.abcdefgh", tmp_path / "site.abcdefgh"
    for d in (new_docs, new_site):
        d.mkdir()
        (d / "f").write_text("new")
    (tmp_path / publish.JOURNAL).write_text(f'[["{new_docs}", "{tmp_path / "docs"}"], ["{new_site}", "{tmp_path / "site"}"]]')
    (tmp_path / "docs").rename(tmp_path / "docs.old")  # killed after the first rename
    (tmp_path / "site.zyxwvuts").mkdir()               # and a scratch folder of an older killed build
    publish.recover(tmp_path)
    assert (tmp_path / "docs" / "f").read_text() == "new" and (tmp_path / "site" / "f").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "site"]


def test_a_signal_while_a_build_thread_starts_leaves_no_scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--site`` starts the formats and the offline bundle in threads; a signal that arrives while a
    thread is starting (``ThreadPoolExecutor.submit`` waits there for it to run: long on a loaded
    machine) must not leave a thread that nobody waits for, which wrote into its scratch folder after
    the build had removed it (the stray ``site.*`` of the signal test in loaded clean-clone runs).
    The stages are stand-ins that write into their folders a moment later; the signal is sent from
    inside the pool, after the thread has started and before the pool records it."""
    import os
    import signal
    import time
    from concurrent.futures import ThreadPoolExecutor

    from scripts import build
    from scripts.paths import Paths

    class SignalWhileStarting(ThreadPoolExecutor):
        def _adjust_thread_count(self):
            threads = self._threads

            class Recording(set):
                def add(self, thread):
                    os.kill(os.getpid(), signal.SIGTERM)     # the thread runs; the pool has not recorded it
                    super().add(thread)
            self._threads = Recording(threads)
            try:
                super()._adjust_thread_count()
            finally:
                threads.update(self._threads)
                self._threads = threads

    def late_writer(folder_of):
        def stage(*args, **kwargs):
            time.sleep(0.5)
            folder = folder_of(args, kwargs)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "written").write_text("late", encoding="utf-8")
            return []
        return stage

    monkeypatch.setattr(build, "ThreadPoolExecutor", SignalWhileStarting)
    monkeypatch.setattr(build, "generate", lambda paths, public, stage: {"mkdocs_yml": "site_name: t\n"})
    monkeypatch.setattr(build, "print_summary", lambda *args: None)
    monkeypatch.setattr(build, "build_formats", late_writer(lambda a, k: a[3] / "downloads"))
    monkeypatch.setattr(build, "build_bundle", late_writer(lambda a, k: k["build_dir"]))
    monkeypatch.setattr(build.mkdocs_run, "render_site", lambda *args: 0)
    with pytest.raises(publish.Interrupted):
        with publish.interruptible():
            build.build_site(Paths(tmp_path))
    time.sleep(1.5)                     # a thread nobody waited for would write by now
    assert sorted(p.name for p in tmp_path.iterdir()) == []
