"""How a learner opens the course: JupyterLab on the workspace, Voilà on the notebooks, nothing on the network."""

import json

import pytest

from helpers import launch, paths


def test_lab_opens_the_start_notebook_at_the_repository_root_and_hides_the_source():
    arguments = launch.lab_arguments(paths.repo_root() / "workspace")
    assert f"--ServerApp.root_dir={paths.repo_root()}" in arguments
    assert "--LabApp.default_url=/lab/tree/workspace/00_start_here.ipynb" in arguments
    hidden = [argument.split("=", 1)[1] for argument in arguments if argument.startswith("--ContentsManager.hide")]
    assert {"notebooks", "helpers", "tests", "__pycache__"} <= set(hidden) and "data" not in hidden


def test_a_workspace_outside_the_course_folder_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(launch.os, "execv", lambda *args: pytest.fail("the launcher must not start a server here"))
    with pytest.raises(ValueError, match="must be inside the course folder"):
        launch.lab_arguments(tmp_path / "elsewhere")
    assert launch.main(["lab"]) == 1  # the test workspace is in a temporary folder
    assert "Could not open the course" in capsys.readouterr().err


def test_the_lab_settings_turn_off_news_and_update_checks(tmp_path):
    existing = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    existing.parent.mkdir(parents=True)
    existing.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}))
    target = launch.install_lab_settings(tmp_path)
    assert json.loads(target.read_text())["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    settings = json.loads(target.read_text(encoding="utf-8"))
    assert settings["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    assert target == tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert launch.install_lab_settings(tmp_path) == target  # a second install changes nothing


def test_voila_serves_every_notebook_read_only_with_margins_and_culls_idle_kernels():
    arguments = launch.voila_arguments()
    assert arguments[0] == str(paths.notebooks_dir())  # a folder: every notebook, not only the first
    assert "--template=course" in arguments
    environment = launch.voila_environment({"JUPYTER_PATH": "/elsewhere"})
    first, *rest = environment["JUPYTER_PATH"].split(":")
    assert (launch.JUPYTER_FILES / "voila" / "templates" / "course" / "index.html.j2").exists()
    assert first == str(launch.JUPYTER_FILES) and rest == ["/elsewhere"]
    assert f"--MappingKernelManager.cull_idle_timeout={launch.CULL_IDLE_SECONDS}" in arguments


def test_binder_runs_commands_that_exist():
    script = paths.repo_root() / "postBuild"
    assert script.stat().st_mode & 0o111, "postBuild must be executable for Binder"
    commands = [line.split()[2:] for line in script.read_text(encoding="utf-8").splitlines()
                if line.startswith("python -m helpers.")]
    assert commands == [["helpers.workspace"], ["helpers.launch", "settings"]]
    with pytest.raises(SystemExit) as caught:
        launch.main(["settings", "--help"])
    assert caught.value.code == 0


def test_make_lab_and_make_voila_go_through_the_launcher():
    makefile = (paths.repo_root() / "Makefile").read_text(encoding="utf-8")
    assert "-m helpers.launch lab" in makefile and "-m helpers.launch voila" in makefile


def test_servers_default_to_this_computer_and_a_token_unless_the_user_says_otherwise():
    assert launch.unless_given(launch.LOOPBACK_VOILA, ["--no-browser"]) == ["--Voila.ip=127.0.0.1", "--token"]
    assert launch.unless_given(launch.LOOPBACK_VOILA, ["--Voila.ip=0.0.0.0", "--Voila.token=abc"]) == []
    assert launch.unless_given(launch.LOOPBACK_LAB, ["--port=9000"]) == ["--ServerApp.ip=127.0.0.1"]
    assert launch.unless_given(launch.LOOPBACK_LAB, ["--ip=0.0.0.0"]) == []
