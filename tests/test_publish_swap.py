"""The swap of docs/, site/ and mkdocs.yml is atomic in every outcome (scripts/site/publish.py):
a failure at any step rolls back to the old trio, or, if even that fails, the journal is kept, the
message says which are new, and the next build finishes the swap. No build is run here."""
from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from scripts.site import publish


def trio(root: Path, tag: str) -> list[tuple[Path, Path]]:
    """Old docs/, site/, mkdocs.yml in place and new ones in scratch names; the swap pairs."""
    for name in ("docs", "site"):
        (root / name).mkdir()
        (root / name / "page.txt").write_text(f"old {name}")
        (root / f"{name}.{tag}").mkdir()
        (root / f"{name}.{tag}" / "page.txt").write_text(f"new {name}")
    (root / "mkdocs.yml").write_text("old yml")
    (root / f".mkdocs-{tag}.yml.nav").write_text("new yml")
    return [(root / f"docs.{tag}", root / "docs"), (root / f"site.{tag}", root / "site"),
            (root / f".mkdocs-{tag}.yml.nav", root / "mkdocs.yml")]


def state(root: Path) -> tuple[str, str, str]:
    return ((root / "docs" / "page.txt").read_text(), (root / "site" / "page.txt").read_text(),
            (root / "mkdocs.yml").read_text())


@pytest.mark.parametrize("fail_at", [0, 1, 2])
def test_a_failed_rename_rolls_back_to_the_old_trio(tmp_path: Path, monkeypatch, fail_at: int) -> None:
    pairs = trio(tmp_path, "abcd1234")
    real = publish._swap_one
    calls = []

    def flaky(src: Path, dst: Path) -> None:
        calls.append(dst)
        if len(calls) - 1 == fail_at:
            raise OSError(errno.EBUSY, "Device or resource busy", str(dst))
        real(src, dst)

    monkeypatch.setattr(publish, "_swap_one", flaky)
    with pytest.raises(publish.SwapError) as info:
        publish.swap(tmp_path, pairs)
    assert info.value.rolled_back and "rolled back" in str(info.value) and "left as they were" in str(info.value)
    assert state(tmp_path) == ("old docs", "old site", "old yml")
    assert not (tmp_path / publish.JOURNAL).exists()
    assert all(src.exists() for src, _ in pairs), "the new build stays in its scratch place, to be cleaned up"


def test_a_swap_that_cannot_be_undone_says_which_are_new_and_the_next_build_finishes_it(tmp_path: Path,
                                                                                          monkeypatch) -> None:
    pairs = trio(tmp_path, "abcd1234")
    real = publish._swap_one

    def flaky(src: Path, dst: Path) -> None:
        if dst.name == "site":
            raise OSError(errno.EROFS, "Read-only file system", str(dst))
        real(src, dst)

    monkeypatch.setattr(publish, "_swap_one", flaky)
    monkeypatch.setattr(publish, "_roll_back", lambda src, dst: (_ for _ in ()).throw(
        OSError(errno.EROFS, "Read-only file system", str(dst))))
    with pytest.raises(publish.SwapError) as info:
        publish.swap(tmp_path, pairs)
    assert not info.value.rolled_back and "new so far: docs" in str(info.value)
    assert (tmp_path / publish.JOURNAL).exists()
    monkeypatch.undo()
    publish.recover(tmp_path)
    assert state(tmp_path) == ("new docs", "new site", "new yml")
    assert not any(p.name.endswith(".old") for p in tmp_path.iterdir())


def test_a_complete_swap_is_new_everywhere_and_marks_itself_published(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(publish.State, "published", False)
    publish.swap(tmp_path, trio(tmp_path, "abcd1234"))
    assert state(tmp_path) == ("new docs", "new site", "new yml")
    assert publish.State.published
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "mkdocs.yml", "site"]


def test_a_full_disk_is_named_as_such() -> None:
    err = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/x/site.abc/readings/viola/chapter-4.html")
    assert publish.environment_error(err).startswith("no space left on the device at /x/site.abc/")
    import shutil
    copy_err = shutil.Error([("/a/f", "/b/c/f", "[Errno 28] No space left on device")] * 28)
    assert publish.environment_error(copy_err) == "no space left on the device at /b/c: free some space and build again"
    assert publish.environment_error(ValueError("x")) is None


def test_a_course_pack_stopped_by_sigterm_leaves_no_scratch_folder_in_dist(generated_docs: Path, tmp_path: Path) -> None:
    """``./site.sh course`` interrupted mid-way: one line, exit 143, no dist/course.* scratch folder."""
    import signal
    import subprocess
    import sys
    import time

    from tests.project_copy import build_env, copy_good_build

    ROOT = copy_good_build(generated_docs.parent, tmp_path / "project")   # a copy of the session build
    dist = ROOT / "dist"
    before = {p.name for p in dist.iterdir()} if dist.is_dir() else set()
    proc = subprocess.Popen([sys.executable, "-m", "scripts.site.course_pack", "courses/collectivization.yml",
                             "--no-pipeline", "--no-cartridge"], cwd=ROOT, env=build_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not any(p.name.startswith("course.") for p in dist.glob("course.*")):
        time.sleep(0.2)
    assert any(dist.glob("course.*")), "the course pack never made its scratch folder"
    time.sleep(2)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signal.SIGTERM and "Traceback" not in err
    assert "interrupted (SIGTERM)" in err and "scratch folder was removed" in err
    assert not list(dist.glob("course.*")), "a scratch folder was left in dist/"
    assert not list(ROOT.glob(".mkdocs-course-*.yml")), "a scratch config was left beside mkdocs.yml"
    assert {p.name for p in dist.iterdir()} == before
