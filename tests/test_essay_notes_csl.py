"""The essays' notes that cite the readings (``[^3]: @viola/chapter-2#p14``) are written by the CSL
processor (citeproc-js, Chicago notes-bibliography), not by our code.

The test re-derives, from the essay files and build/pages.json alone, what each note cites (the
reading's BibTeX key from sources/sources.yml, the printed page when the pagination stage recorded
one, else the paragraph or note number), runs citeproc-js itself on each essay's citations in
order, and requires the built notes to be exactly what the processor wrote, each linked to its
passage. A hand-written formatter would have to match the processor note for note to pass. A few
notes are also checked by hand against CMOS 18 (14.24, 14.29–30).
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml

from scripts.citations import csl
from scripts.citations.bibtex import Bibliography

ROOT = Path(__file__).resolve().parent.parent
#: A citation of a passage that is not a link target ``](@…)`` (those are links in the text, not notes).
CITATION = re.compile(r"(?<!\]\()@(?P<reading>[a-z][a-z-]*)(?:/(?P<part>[a-z0-9-]+))?#(?P<anchor>p\d+|fn:\d+|note-\d+)")
RENDERED = re.compile(r"\[(?P<text>(?:\\.|[^\]\\])*)\]\((?P<href>[^)]+)\)\{: \.cite-link \.cite-passage \}")


def plain(fragment: str) -> str:
    """HTML or escaped Markdown link text as the words a reader sees."""
    text = re.sub(r"<[^>]+>", "", fragment)
    return " ".join(html.unescape(re.sub(r"\\(.)", r"\1", text)).split())


def note_page(book: dict, part: str, number: str) -> int | None:
    """The Notes page an endnote stands on, from build/pages.json: the last page whose first note
    comes at or before it, in the order of the book's parts."""
    order = list(book.get("parts", {}))
    if part not in order or not number.isdigit():
        return None
    pages = [int(page) for page, first in book.get("notes_pages", {}).items()
             if first["part"] in order and first["note"].isdigit()
             and (order.index(first["part"]), int(first["note"])) <= (order.index(part), int(number))]
    return max(pages) if pages else None


def expected_jobs(essay: Path, bibkeys: dict[str, str], pages: dict) -> tuple[list[dict], list[str]]:
    """Each citation of the essay in order: the processor's job and the passage it must link to."""
    jobs, targets, note = [], [], 0
    for line in essay.read_text(encoding="utf-8").split("\n"):
        if re.match(r"^\[\^[^\]]+\]:", line):
            note += 1
        in_note = bool(re.match(r"^\[\^[^\]]+\]:", line)) or (note and line.startswith("    "))
        for m in CITATION.finditer(line):
            reading, part, anchor = m.group("reading"), m.group("part"), m.group("anchor")
            job = {"id": str(len(jobs) + 1), "item": bibkeys[reading], "noteIndex": note if in_note else 0}
            printed = pages.get(reading, {}).get("parts", {}).get(part or "", {}).get("paragraphs", {}).get(anchor)
            if printed:
                first, last = printed
                job.update(label="page", locator=str(first) if first == last else f"{first}-{last}")
            elif anchor.startswith("fn:") and note_page(pages.get(reading, {}), part or "", anchor[3:]):
                # a book's endnote: the printed page of its Notes and the number (Chicago's "231n95")
                job.update(label="page", locator=f"{note_page(pages[reading], part or '', anchor[3:])}n{anchor[3:]}")
            elif anchor.startswith("p"):
                job.update(label="paragraph", locator=anchor[1:])
            else:
                job.update(label="note", locator=re.split(r"[:-]", anchor, maxsplit=1)[1])
            jobs.append(job)
            page = f"readings/{reading}/{part or 'index'}.md"
            targets.append(f"../{page}#{anchor}")
    return jobs, targets


@pytest.fixture(scope="module")
def essays(generated_docs: Path, build_dir: Path) -> dict[str, tuple[list[dict], list[str], list[tuple[str, str]]]]:
    manifest = yaml.safe_load((ROOT / "sources" / "sources.yml").read_text(encoding="utf-8"))
    texts = manifest["texts"] if isinstance(manifest, dict) else manifest
    bibkeys = {t["id"]: t["bibkey"] for t in texts}
    pages = json.loads((build_dir / "pages.json").read_text(encoding="utf-8"))
    out = {}
    for path in sorted((ROOT / "content" / "essays").glob("*.md")):
        jobs, targets = expected_jobs(path, bibkeys, pages)
        built = (generated_docs / "essays" / path.name).read_text(encoding="utf-8")
        rendered = [(m.group("text"), m.group("href")) for m in RENDERED.finditer(built)]
        out[path.stem] = (jobs, targets, rendered)
    return out


def test_every_essay_note_is_the_processors_output(essays) -> None:
    bib = Bibliography(ROOT / "bib" / "readings.bib")
    keys = {j["item"] for jobs, _, _ in essays.values() for j in jobs}
    documents = [{"id": name, "style": "chicago", "citations": jobs} for name, (jobs, _, _) in essays.items() if jobs]
    written = csl.run([csl.csl_item(bib.entries[k]) for k in sorted(keys)], documents=documents)["documents"]
    checked = 0
    for name, (jobs, targets, rendered) in essays.items():
        assert len(rendered) == len(jobs), f"{name}: {len(jobs)} citations, {len(rendered)} linked notes"
        for job, target, (text, href) in zip(jobs, targets, rendered):
            expected = plain(written[name][job["id"]]).removesuffix(".")
            assert plain(text) == expected, f"{name}, citation {job['id']}"
            assert href == target, f"{name}, citation {job['id']}: links to {href}, cites {target}"
            checked += 1
    assert checked >= 500          # every essay's citations, not a sample of one


def first_note(essays, essay: str, prefix: str) -> list[str]:
    return [plain(text) for text, href in essays[essay][2] if href.startswith(prefix)]


def test_full_then_short_notes_with_the_printed_page(essays) -> None:
    """CMOS 18 14.24 and 14.29: the first note in full (no place of publication in the 18th edition),
    later ones author + short title; the locator is the printed page (the introduction's ¶ 1: pp. 3–4)."""
    viola = first_note(essays, "the-25000ers", "../readings/viola/")
    assert re.fullmatch(r"Lynne Viola, The Best Sons of the Fatherland: Workers in the Vanguard of Soviet "
                        r"Collectivization \(Oxford University Press, 1987\), \d+(–\d+)?", viola[0]), viola[0]
    assert all(re.fullmatch(r"Viola, The Best Sons of the Fatherland, [\dn–]+", v) for v in viola[1:]), viola[1:4]
    assert "Viola, The Best Sons of the Fatherland, 3–4" in first_note(essays, "the-25000ers",
                                                                     "../readings/viola/introduction.md#p1")


def test_articles_cite_paragraph_or_note_when_no_page_is_known(essays) -> None:
    """Without printed pages the locator is the paragraph (CMOS 18 14.174, "para.") or the note ("n.")."""
    goldman = [t for name in essays for t in first_note(essays, name, "../readings/goldman/index.md#p17")]
    assert ("Wendy Z. Goldman, “Blood on the Red Banner: Primitive Accumulation in the World’s First Socialist "
            "State,” International Review of Social History, 2022, para. 17") in goldman
    hatch = first_note(essays, "workers-and-the-party", "../readings/hatch/index.md#note-")
    assert hatch and all(re.search(r"^Hatch, “The ‘Lenin Levy’ and the Social Origins of Stalinism,” n\. \d+$", t)
                         for t in hatch[1:]), hatch[:3]


def test_formatted_results_are_reused_from_the_shared_cache(tmp_path: Path, monkeypatch) -> None:
    """``$RFA_CSL_CACHE`` (scripts/citations/csl.py): a job formatted once is reused by another copy
    of the project (another build folder, another process: the memory of this one is cleared) without
    running citeproc-js again; a damaged shared file is formatted again and written whole."""
    bib = Bibliography(ROOT / "bib" / "readings.bib")
    items = [csl.csl_item(bib.entries[k]) for k in sorted(bib.entries)[:3]]
    entries = [{"id": f"{i['id']}|mla", "style": "mla", "item": i["id"]} for i in items]
    monkeypatch.setenv("RFA_CSL_CACHE", str(tmp_path / "shared"))
    monkeypatch.setattr(csl, "_FORMATTED", {})
    answers = []
    real_run = csl.run
    monkeypatch.setattr(csl, "run", lambda *args, **kwargs: answers.append(real_run(*args, **kwargs)) or answers[-1])
    first = csl.run_cached(items, [], entries, [], tmp_path / "copy-1")
    assert sorted(first["entries"]) == sorted(e["id"] for e in entries) and all(first["entries"].values())
    [saved] = (tmp_path / "shared").glob("*.json")
    saved_text = saved.read_text(encoding="utf-8")

    def no_citeproc(*args, **kwargs):
        raise AssertionError("citeproc-js ran again for a job in the shared cache")
    monkeypatch.setattr(csl, "_FORMATTED", {})
    monkeypatch.setattr(csl, "run", no_citeproc)
    assert csl.run_cached(items, [], entries, [], tmp_path / "copy-2") == first

    # the same entries under other names (another copy names a note by where it stands): the shared
    # result is kept by what was formatted, so it answers them too, under their own names
    renamed = [dict(e, id=e["id"] + "-elsewhere") for e in entries]
    monkeypatch.setattr(csl, "_FORMATTED", {})
    again = csl.run_cached(items, [], renamed, [], tmp_path / "copy-4")
    assert again["entries"] == {e["id"] + "-elsewhere": first["entries"][e["id"]] for e in entries}

    saved.write_text("{damaged", encoding="utf-8")
    monkeypatch.setattr(csl, "_FORMATTED", {})
    monkeypatch.setattr(csl, "run", lambda *args, **kwargs: answers[0])
    assert csl.run_cached(items, [], entries, [], tmp_path / "copy-3") == first
    assert saved.read_text(encoding="utf-8") == saved_text


def test_only_the_citations_an_edit_changes_are_formatted_again(tmp_path: Path, monkeypatch) -> None:
    """Each bibliography, entry, note and essay's notes is cached on its own (scripts/citations/csl.py
    ``run_cached``), keyed by what it formats and the items it cites: after an edit, citeproc-js is
    run on the changed citations alone, with only the items they cite, and a note that is only
    renamed (an essay's note is named by its place, which an edit above it moves) is not run at
    all; the answer is the one a whole run gives, the units kept on disk for the next build."""
    bib = Bibliography(ROOT / "bib" / "readings.bib")
    keys = sorted(bib.entries)[:4]
    items = [csl.csl_item(bib.entries[k]) for k in keys]
    notes = [{"id": f"essay|essays/x.md|{n}", "style": "chicago", "item": k} for n, k in enumerate(keys[:3])]
    document = {"id": "essays/x.md", "style": "chicago",
                "citations": [{"id": "1", "item": keys[0], "locator": "12", "label": "page", "noteIndex": 1},
                              {"id": "2", "item": keys[0], "locator": "13", "label": "page", "noteIndex": 2}]}
    monkeypatch.delenv("RFA_CSL_CACHE", raising=False)
    monkeypatch.setattr(csl, "_FORMATTED", {})
    calls = []
    real_run = csl.run

    def counting_run(job_items, bibliographies=(), entries=(), notes=(), documents=()):
        calls.append({"items": sorted(i["id"] for i in job_items), "notes": [n["id"] for n in notes],
                      "documents": [d["id"] for d in documents]})
        return real_run(job_items, bibliographies, entries, notes, documents)
    monkeypatch.setattr(csl, "run", counting_run)
    cache = tmp_path / "build"
    first = csl.run_cached(items, [], [], notes, cache, [document])
    assert len(calls) == 1 and calls[0]["items"] == sorted(keys[:3])   # the fourth item is cited by nothing

    moved = [dict(n, id=n["id"] + "0") for n in notes]          # the same notes, at other places
    edited = dict(document, citations=[*document["citations"][:1], dict(document["citations"][1], locator="14")])
    monkeypatch.setattr(csl, "_FORMATTED", {})                  # from build/csl-cache.json alone
    again = csl.run_cached(items, [], [], moved, cache, [edited])
    assert calls[1:] == [{"items": [keys[0]], "notes": [], "documents": ["essays/x.md"]}], calls
    assert list(again["notes"].values()) == list(first["notes"].values())
    assert again["documents"]["essays/x.md"]["1"] == first["documents"]["essays/x.md"]["1"]
    assert "14" in again["documents"]["essays/x.md"]["2"] and "13" in first["documents"]["essays/x.md"]["2"]
    whole = real_run(items, notes=moved, documents=[edited])
    assert {k: again[k] for k in whole} == whole
