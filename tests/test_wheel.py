"""The course as an installed package: a wheel built from pyproject.toml carries the data, quiz banks and notebooks,
and works in a fresh environment outside the checkout (as on a JupyterHub image built with `pip install`)."""

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from course_support import copy_repository

pytestmark = pytest.mark.slow

CHECK = """
import json
from helpers import course, data, paths
from helpers.quiz import load_bank
tables = {name: len(data.load(name)) for name in data.TABLES}
banks = {path.stem: len(load_bank(path.stem).questions) for path in course.notebook_paths()}
print(json.dumps({"checkout": paths.in_checkout(), "data": str(paths.data_dir()), "tables": tables, "banks": banks,
                  "problems": [str(problem) for problem in data.check()], "helpers": paths.__file__}))
"""

RUN = """
import sys
import nbformat
from nbclient import NotebookClient
path = sys.argv[1]
notebook = nbformat.read(path, as_version=4)
NotebookClient(notebook, kernel_name="python3", timeout=300, resources={"metadata": {"path": sys.argv[2]}}).execute()
nbformat.write(notebook, path)
"""


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """Build the wheel from a copy of the course and install it, without its dependencies, into a fresh venv.

    The dependencies are the ones this environment has (a .pth line), so nothing is downloaded; the checkout's
    editable install is not visible there, so `helpers` can only come from the wheel.
    """
    root = tmp_path_factory.mktemp("wheel")
    copy = copy_repository(root / "course")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(root / "dist"), str(copy)], check=True, capture_output=True)
    wheel = next((root / "dist").glob("cpt64612_course-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / "venv")], check=True)
    site = next((root / "venv" / "lib").glob("python3*/site-packages"))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(site),
                    str(wheel)], check=True, capture_output=True)
    (site / "zz_course_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    return {"python": root / "venv" / "bin" / "python", "site": site, "elsewhere": elsewhere, "wheel": wheel}


def _run(fresh, *args: str) -> subprocess.CompletedProcess:
    """Run the fresh environment's Python in a folder outside the checkout, with its own progress store."""
    env = {"PATH": str(fresh["python"].parent) + ":/usr/bin:/bin", "HOME": str(fresh["elsewhere"]),
           "CPT64612_PROGRESS_DB": str(fresh["elsewhere"] / "progress.sqlite3"), "CPT64612_LEARNER": "wheel-test"}
    return subprocess.run([str(fresh["python"]), *args], cwd=fresh["elsewhere"], env=env, capture_output=True,
                          text=True, timeout=600)


def test_the_installed_wheel_loads_every_table_and_quiz_bank_from_inside_the_package(fresh):
    result = _run(fresh, "-c", CHECK)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout)
    assert Path(found["helpers"]).is_relative_to(fresh["site"]) and not found["checkout"]
    assert Path(found["data"]) == fresh["site"] / "helpers" / "course_data"
    assert found["problems"] == [] and len(found["tables"]) >= 40 and all(found["tables"].values())
    assert len(found["banks"]) == 11 and all(found["banks"].values())
    print(f"\ncount: wheel: {fresh['wheel'].name}, {len(found['tables'])} tables and {len(found['banks'])} quiz banks "
          "loaded from the installed package")


def test_a_notebook_copied_out_of_the_installed_package_runs_there(fresh):
    source = fresh["site"] / "helpers" / "course_notebooks" / "04_medicare_payment.ipynb"
    copy = fresh["elsewhere"] / source.name
    copy.write_bytes(source.read_bytes())
    result = _run(fresh, "-c", RUN, str(copy), str(fresh["elsewhere"]))
    assert result.returncode == 0, result.stderr[-3000:]
    outputs = [output for cell in json.loads(copy.read_text(encoding="utf-8"))["cells"]
               for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output["output_type"] == "error"]
    shown = json.dumps(outputs)
    assert "quiz-static" in shown and "64612" in shown and len(outputs) > 20


def test_the_installed_course_gives_a_learner_working_copies_beside_them(fresh):
    result = _run(fresh, "-m", "helpers.workspace")
    assert result.returncode == 0, result.stderr[-3000:]
    copies = sorted(path.name for path in (fresh["elsewhere"] / "workspace").glob("*.ipynb"))
    assert len(copies) == 11 and copies[0] == "00_start_here.ipynb"
