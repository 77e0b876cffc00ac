"""Goldman's long notes (n. 18, 50, 56) cite many works in one list; each work the note names with
author and title links to its bibliography entry (bib/cited-works.bib), full forms and short forms
alike. The expected keys were read off the notes by hand (see the comments in bib/cited-works.bib);
the works the notes print without an author (a plenum's stenographic report, an NKVD order) are not
bibliography entries and are not expected."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

EXPECTED = {
    # the famine debate: Davies and Wheatcroft's book, Graziosi, the five Europe-Asia Studies articles,
    # Danilov and Zelenin, Kondrashin and Penner
    "fn:18": {"davies2004years", "graziosi2004soviet", "ellman2005role", "davies2006stalin", "tauger2006arguing",
              "ellman2007stalin", "kuromiya2008soviet", "danilov2004organizovannyi", "kondrashin2002golod"},
    # Getty and Naumov (short form), Getty's chapter in Stalinist Terror, Khlevniuk, Medvedev (short form)
    "fn:50": {"getty1999road", "getty1993politics", "khlevniuk1992stalin", "medvedev1973let"},
    # Getty, Gregory, Hagenloh (short form), Khlevniuk's chapter, the four chapters of Stalin's Terror,
    # Shearer's book (short form), Vatlin
    "fn:56": {"getty2002excesses", "gregory2009terror", "hagenloh2009stalins", "khlevniuk1995objectives",
              "mcloughlin2003rethinking", "mcloughlin2003mass", "firsov2003polish", "shearer2003social",
              "shearer2009policing", "vatlin2004terror"},
}


@pytest.fixture(scope="module")
def links(generated_docs: Path, build_dir: Path) -> list[dict]:
    data = json.loads((build_dir / "citations.json").read_text(encoding="utf-8"))
    return [l for l in data["links"] if l["page"] == "readings/goldman/index.md"]


@pytest.mark.parametrize("note", sorted(EXPECTED))
def test_every_work_of_the_list_links_to_its_entry(links: list[dict], note: str) -> None:
    found = {l["target"] for l in links if l["note"] == note}
    assert found == EXPECTED[note], f"missing {sorted(EXPECTED[note] - found)}, unexpected {sorted(found - EXPECTED[note])}"


def test_the_links_are_in_the_page_and_on_the_bibliography(generated_docs: Path) -> None:
    page = (generated_docs / "readings" / "goldman" / "index.md").read_text(encoding="utf-8")
    bib_page = (generated_docs / "bibliography" / "cited-works.md").read_text(encoding="utf-8")
    for key in set().union(*EXPECTED.values()):
        if key in ("medvedev1973let",):          # Roy Medvedev's book is in Viola's Bibliography
            assert f'viola.html#{key}"' in page
            continue
        assert f'cited-works.html#{key}"' in page, key
        entry = next(l for l in bib_page.split("\n") if f'id="{key}"' in l)
        assert "goldman/index.html#fn:" in entry, key
