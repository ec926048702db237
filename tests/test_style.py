"""The project's style, as ruff checks it (pyproject.toml [tool.ruff]): small documented functions, no unused names."""

import subprocess
import sys
from pathlib import Path

from helpers import paths

RUFF = Path(sys.executable).with_name("ruff")


def ruff(*targets: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ruff's checks with the project's configuration and return the result."""
    return subprocess.run([str(RUFF), "check", "--no-cache", "--output-format", "concise", *targets], cwd=cwd,
                          capture_output=True, text=True)


def test_the_helpers_and_tests_follow_the_style():
    result = ruff("helpers", "tests", "conftest.py", cwd=paths.repo_root())
    assert result.returncode == 0, result.stdout


def test_the_style_check_names_a_long_undocumented_function(tmp_path):
    (tmp_path / "pyproject.toml").write_text((paths.repo_root() / "pyproject.toml").read_text())
    body = "\n".join(f"    total = {n}" for n in range(25))
    (tmp_path / "helpers").mkdir()
    (tmp_path / "helpers" / "sprawl.py").write_text(f'"""A module."""\n\n\ndef sprawl():\n{body}\n    return total\n')
    result = ruff("helpers", cwd=tmp_path)
    assert result.returncode == 1
    assert "D103" in result.stdout and "PLR0915" in result.stdout and "sprawl" in result.stdout
