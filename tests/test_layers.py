"""The helpers' import layers, declared once in pyproject.toml and checked by import-linter.

An import that runs up the layers (data importing a lesson face, a domain module importing ipywidgets, the
progress store importing anything of the course) fails here with a message that names it.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import paths

LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess:
    """Run import-linter on the helpers package found under ``root``, with the project's contracts."""
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"], cwd=root,
                          env={"PYTHONPATH": str(root), "PATH": ""}, capture_output=True, text=True)


def test_the_helpers_keep_their_layers():
    result = lint(paths.repo_root())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.fixture
def copy_of_the_package(tmp_path):
    """Return a folder holding a copy of the helpers and the project file, to break on purpose."""
    shutil.copytree(paths.repo_root() / "helpers", tmp_path / "helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(paths.repo_root() / "pyproject.toml", tmp_path)
    return tmp_path


@pytest.mark.parametrize("module, line, named", [
    ("data.py", "from helpers import show", "helpers.data is not allowed to import helpers.show"),
    ("progress.py", "from helpers import paths", "helpers.progress is not allowed to import helpers.paths"),
    ("fees.py", "import ipywidgets", "helpers.fees is not allowed to import ipywidgets"),
])
def test_an_upward_import_is_named(copy_of_the_package, module, line, named):
    path = copy_of_the_package / "helpers" / module
    path.write_text(f"{line}  # noqa\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = lint(copy_of_the_package)
    assert result.returncode != 0 and named in result.stdout, result.stdout
