"""The folder tree is the pipeline: packages import only from earlier stages, and no stage has an
import cycle. The contracts are in pyproject.toml ([tool.importlinter]); import-linter (a kept
library made for this) checks them over every import, those inside functions included."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"]


def lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(LINT + ["--no-cache"], cwd=root, capture_output=True, text=True)


def test_imports_run_one_way() -> None:
    run = lint(ROOT)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "2 kept, 0 broken" in run.stdout


def test_a_back_import_breaks_the_contract(tmp_path: Path) -> None:
    """A core module importing the pipeline (a later stage) in a scratch copy makes the check fail."""
    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "scripts", copy / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", copy / "pyproject.toml")
    links = copy / "scripts" / "core" / "links.py"
    links.write_text(links.read_text(encoding="utf-8") + "\n\ndef _late():\n    from scripts.course import guides  # noqa\n",
                     encoding="utf-8")
    run = lint(copy)
    assert run.returncode != 0
    assert "scripts.core.links -> scripts.course.guides" in run.stdout, run.stdout[-3000:]
