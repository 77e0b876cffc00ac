"""Which edition is being built, and the one answer to "does this edition print this passage?".

The classroom edition prints every reading whole. The public-web edition (``--public``) withholds
the texts it has no licence for: their pages show a landing page and an extract. Every stage that
links a passage — essays' notes, charts, the timeline, syllabi — asks :meth:`Edition.prints` (or
:meth:`Edition.prints_page`) instead of testing its own copy of the printed passages, so a withheld
paragraph is named without a link everywhere in the same way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class Edition:
    public: bool = False
    #: passage key ("viola/chapter-2") -> anchor ("p14", "fn:3") -> text, for the passages this
    #: edition's pages print (``scripts.core.passages.collect`` of the rendered pages)
    printed: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def prints_page(self, key: str) -> bool:
        """The edition prints the text of the page with this passage key."""
        return not self.public or key in self.printed

    def prints(self, key: str, anchor: str | None) -> bool:
        """The edition prints this passage (``anchor`` None: the page itself, always linkable)."""
        return anchor is None or not self.public or anchor in self.printed.get(key, {})


CLASSROOM = Edition()
