"""environment.yml (Binder, conda) agrees with pyproject.toml, the one dependency list."""

import re
import tomllib

import yaml
from packaging.requirements import Requirement
from rattler import MatchSpec

from helpers import paths

ROOT = paths.repo_root()


def pyproject_requirements() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] + project["optional-dependencies"]["test"]
    return {Requirement(text).name.lower(): Requirement(text) for text in listed}


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def conda_specs() -> dict[str, str]:
    specs = {}
    for entry in environment()["dependencies"]:
        if isinstance(entry, str):
            spec = MatchSpec(entry)
            specs[spec.name.normalized] = entry
    return specs


def pip_specs() -> list[str]:
    return next(entry["pip"] for entry in environment()["dependencies"] if isinstance(entry, dict))


def test_environment_parses_and_is_binder_ready():
    env = environment()
    assert env["channels"] == ["conda-forge"]
    specs = conda_specs()
    assert MatchSpec(specs["python"]).version is not None and "3.11" in specs["python"]
    for needed in ("jupyterlab", "pandas", "ipywidgets", "nbval", "pytest", "pip"):
        assert needed in specs, needed
    assert "-e ." in pip_specs()


def _ranges(text: str) -> set[str]:
    return {part.strip().replace(" ", "") for part in re.split(r",", text) if part.strip()}


def test_environment_agrees_with_pyproject():
    wanted = pyproject_requirements()
    conda = conda_specs()
    pip = {Requirement(entry).name.lower(): Requirement(entry) for entry in pip_specs() if entry != "-e ."}
    listed = {name for name in conda if name not in ("python", "pip")} | set(pip)
    assert listed <= set(wanted), f"in environment.yml but not pyproject.toml: {listed - set(wanted)}"
    runtime = {Requirement(t).name.lower() for t in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]}
    assert runtime <= listed, f"in pyproject.toml but not environment.yml: {runtime - listed}"
    for name in listed:
        requirement = wanted[name]
        if name in pip:
            assert pip[name].specifier == requirement.specifier, name
        else:
            version = conda[name].split(None, 1)[1] if " " in conda[name] else ""
            assert _ranges(version) == _ranges(str(requirement.specifier)), (name, version, requirement.specifier)
