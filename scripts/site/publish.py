"""Publishing a build safely: one build at a time, docs/ + site/ + mkdocs.yml swapped together,
no scratch folder left behind, and SIGTERM / Ctrl-C ending the build cleanly with one line.

* :func:`build_lock` — an exclusive lock file (``.build.lock``) for the whole build. A second build
  in the same checkout says so and waits for the first, so the edition that ends up in site/ is
  the one started last (two overlapping builds used to end with whichever finished last).
* :func:`recover` — run under the lock before a build: finishes a swap that a kill interrupted
  (the journal ``.build-swap.json`` lists it) and removes the ``docs.*``/``site.*`` scratch folders
  and scratch configs that killed builds left behind.
* :func:`swap` — moves the fully written new trees into place. The journal is written first and
  SIGTERM/SIGINT are held back while the renames run, so docs/ and site/ are either both old or
  both new; after a SIGKILL in the middle, the next build completes the swap before anything else.
* :func:`interruptible` — SIGTERM and SIGINT raise :class:`Interrupted`, so ``finally`` blocks
  remove scratch folders and the build ends with one line instead of a traceback.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

LOCK = ".build.lock"
JOURNAL = ".build-swap.json"
#: Scratch names made by tempfile.mkdtemp(prefix="docs.") etc. and by scratch_config().
SCRATCH = re.compile(r"^(?:(?:docs|site)\.[A-Za-z0-9_]{8}|(?:docs|site|mkdocs\.yml)\.old|\.mkdocs-[A-Za-z0-9_]{8}\.yml(?:\.nav)?|\.build-swap\.tmp)$")


class Interrupted(Exception):
    """The build received SIGTERM or SIGINT."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def interruptible() -> Iterator[None]:
    """Within the block, SIGTERM and SIGINT (Ctrl-C) raise :class:`Interrupted` (held while
    :func:`signals_held` is open)."""
    def handler(signum, _frame):
        if _HELD["depth"]:
            _HELD["pending"] = signum
            return
        raise Interrupted(signum)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


_HELD: dict = {"depth": 0, "pending": None}


@contextmanager
def signals_held() -> Iterator[None]:
    """While a child process starts: a signal is raised when the block ends, not inside it. Raised
    inside ``subprocess.Popen``, it left a started MkDocs with no handle to stop it, which went on
    writing into its scratch folder after the build had removed it (the signal test's stray
    ``site.*``). Signal handlers run in the main thread only, so elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _HELD["depth"] += 1
    try:
        yield
    finally:
        _HELD["depth"] -= 1
        if not _HELD["depth"] and _HELD["pending"] is not None:
            signum, _HELD["pending"] = _HELD["pending"], None
            raise Interrupted(signum)


@contextmanager
def build_lock(root: Path, what: str = "build") -> Iterator[None]:
    """Hold ``root/.build.lock`` exclusively; if another build holds it, say so and wait."""
    path = root / LOCK
    with open(path, "a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            print(f"another build is running in this checkout ({holder}); waiting for it to finish "
                  f"(Ctrl-C to give up)", file=sys.stderr, flush=True)
            fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        fh.truncate()
        fh.write(f"{what}, pid {os.getpid()}\n")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


def _swap_one(src: Path, dst: Path) -> None:
    """Move ``src`` onto ``dst``, keeping the old one as ``dst.old`` (idempotent: safe to repeat after
    a kill at any point; :func:`_drop_old` removes the old one once every pair is in place)."""
    old = dst.with_name(dst.name + ".old")
    if src.exists():
        if dst.exists():
            if old.exists():
                shutil.rmtree(old) if old.is_dir() else old.unlink()
            dst.rename(old)
        src.rename(dst)


def _drop_old(dst: Path) -> None:
    old = dst.with_name(dst.name + ".old")
    if old.is_dir():
        shutil.rmtree(old, ignore_errors=True)
    elif old.exists():
        old.unlink(missing_ok=True)


def _roll_back(src: Path, dst: Path) -> None:
    """Undo :func:`_swap_one`: the new one back to ``src``, the old one back to ``dst``."""
    old = dst.with_name(dst.name + ".old")
    if dst.exists() and not src.exists() and old.exists():
        dst.rename(src)
    if old.exists() and not dst.exists():
        old.rename(dst)


class SwapError(Exception):
    """The swap failed; ``rolled_back`` says whether the old trees are back in place (else the
    journal is kept and the next build finishes the swap)."""

    def __init__(self, message: str, rolled_back: bool) -> None:
        super().__init__(message)
        self.rolled_back = rolled_back


class State:
    """What this process has published (for the message of a signal that arrives afterwards)."""

    published = False


def describe_os_error(exc: OSError) -> str:
    """An OSError in words a person can act on: the disk full, a read-only or busy folder."""
    import errno
    where = exc.filename or ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"no space left on the device at {where}: free some space (or build elsewhere) and build again"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"cannot write {where} ({exc.strerror}): make the folder writable and build again"
    if exc.errno == errno.EBUSY:
        return f"{where} is in use or mounted ({exc.strerror}): close what holds it and build again"
    return f"{exc.strerror or exc} at {where}"


#: OSError numbers that mean the machine (disk, permissions, mounts), never a bug in scripts/.
ENVIRONMENT_ERRNOS = {28, 122, 30, 13, 1, 16}   # ENOSPC, EDQUOT, EROFS, EACCES, EPERM, EBUSY


def environment_error(exc: BaseException) -> str | None:
    """The words for an error of the machine (the disk full, a read-only or busy folder), including
    one buried in ``shutil.copytree``'s list of failed copies; None for anything else."""
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        src, dst, why = exc.args[0][0]
        if "No space left" in str(why) or "Disk quota" in str(why):
            return f"no space left on the device at {Path(dst).parent}: free some space and build again"
        if "Read-only" in str(why) or "Permission denied" in str(why):
            return f"cannot write {dst} ({why}): make the folder writable and build again"
        return None
    if isinstance(exc, OSError) and exc.errno in ENVIRONMENT_ERRNOS:
        return describe_os_error(exc)
    return None


def swap(root: Path, pairs: list[tuple[Path, Path]]) -> None:
    """Move every fully written ``src`` onto its ``dst`` together (see the module docstring).

    A failure at any step rolls back the pairs already moved, so the old docs/, site/ and mkdocs.yml
    are all in place again (:class:`SwapError` with ``rolled_back=True``); if even that fails, the
    journal is kept, the next build finishes the swap, and the error says which trees are new."""
    journal = root / JOURNAL
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    done: list[tuple[Path, Path]] = []
    try:
        tmp = journal.with_suffix(".tmp")
        try:
            tmp.write_text(json.dumps([[str(s), str(d)] for s, d in pairs]), encoding="utf-8")
            os.replace(tmp, journal)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise SwapError(f"could not start the swap: {describe_os_error(exc)}; "
                            "docs/, site/ and mkdocs.yml were left as they were", True) from None
        try:
            for src, dst in pairs:
                _swap_one(src, dst)
                done.append((src, dst))
        except OSError as exc:
            failed = describe_os_error(exc)
            try:
                for src, dst in reversed(done + [pairs[len(done)]]):
                    _roll_back(src, dst)
                journal.unlink(missing_ok=True)
            except OSError as second:
                new = ", ".join(d.name for _s, d in done) or "none"
                raise SwapError(f"the swap stopped half way ({failed}) and could not be undone "
                                f"({describe_os_error(second)}): new so far: {new}; the next build finishes the "
                                "swap (its journal is .build-swap.json)", False) from None
            raise SwapError(f"could not put the new build in place ({failed}); rolled back: docs/, site/ and "
                            "mkdocs.yml were left as they were", True) from None
        journal.unlink()
        State.published = True
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    for _src, dst in pairs:
        _drop_old(dst)


def recover(root: Path) -> list[str]:
    """Finish an interrupted swap and remove leftovers of killed builds; returns what was done."""
    done = []
    journal = root / JOURNAL
    if journal.exists():
        try:
            pairs = [(Path(s), Path(d)) for s, d in json.loads(journal.read_text(encoding="utf-8"))]
        except (ValueError, TypeError):
            pairs = []
        for src, dst in pairs:
            _swap_one(src, dst)
        for _src, dst in pairs:
            _drop_old(dst)
        journal.unlink()
        done.append("finished the swap of an interrupted build")
    for name in ("docs", "site", "mkdocs.yml"):
        target, old = root / name, root / f"{name}.old"
        if old.exists() and not target.exists():
            old.rename(target)
            done.append(f"restored {name} from {name}.old")
    for path in root.iterdir():
        if SCRATCH.match(path.name):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            done.append(f"removed {path.name}, left by an interrupted build")
    return done


def sync_dir(new: Path, target: Path, keep: tuple[str, ...] = ()) -> None:
    """Copy only the files that changed from ``new`` into ``target`` and delete the ones that went.

    Used while serving: ``mkdocs serve`` keeps watching docs/ and rebuilds only what changed.
    ``keep``: top-level folders of ``target`` that another process fills (while serving, the
    formats' ``downloads/``, scripts/formats/preview.py), left as they are.
    """
    target.mkdir(exist_ok=True)
    fresh = {p.relative_to(new) for p in new.rglob("*") if p.is_file()}
    for rel in fresh:
        src, dst = new / rel, target / rel
        if not dst.exists() or dst.read_bytes() != src.read_bytes():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    for old in [p for p in target.rglob("*") if p.is_file() and p.relative_to(target) not in fresh
                and p.relative_to(target).parts[0] not in keep]:
        old.unlink()


def replace_dir(new: Path, target: Path) -> None:
    """Swap a fully written directory into place (never leaves target half-written)."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)
