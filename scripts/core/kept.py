"""Results kept while a process lives (``./site.sh serve``, the test suite's in-process builds).

A regeneration while serving reuses what its inputs have not changed: a parsed text, a rendered
reading, its linked notes, the checked glossary, the read bibliography. Each is kept pickled, the
newest few by key, and every caller gets a fresh copy: later stages change what they are given,
and unpickling is several times faster than a deep copy. One mechanism for all of them
(scripts/pipeline.py, scripts/citations/stage.py, scripts/citations/bibtex.py)."""
from __future__ import annotations

import pickle
from typing import Any, Hashable


class Kept:
    """Values by key, pickled; beyond ``limit`` keys the oldest goes (a long serve or test run keeps
    the newest)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._pickled: dict[Hashable, bytes] = {}

    def __contains__(self, key: Hashable) -> bool:
        return key in self._pickled

    def get(self, key: Hashable) -> Any:
        """A fresh copy of the value kept for ``key`` (KeyError if none)."""
        return pickle.loads(self._pickled[key])

    def put(self, key: Hashable, value: Any) -> None:
        self.put_pickled(key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))

    def put_pickled(self, key: Hashable, data: bytes) -> None:
        """Keep ``data``, a value already pickled (with the highest protocol) by the caller."""
        if key not in self._pickled and len(self._pickled) >= self.limit:
            self._pickled.pop(next(iter(self._pickled)))
        self._pickled[key] = data
