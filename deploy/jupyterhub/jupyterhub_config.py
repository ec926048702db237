"""JupyterHub for the CPT 64612 course on one server: a class password, a home per learner, idle culling, limits.

Run it from the course's virtual environment (the course installed editable from a full checkout):

    CPT64612_HUB_PASSWORD='a class password' .venv/bin/jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

Each learner logs in with their name and the class password, gets a server in their own home, and lands on
``~/workspace/00_start_here.ipynb``: their own copies of the notebooks, made on the first start and brought up
to date on every start without losing an edit (``singleuser.py`` beside this file runs ``helpers.workspace``).
Their answers are saved in their home (``~/.local/share/cpt64612-course/progress.sqlite3``) under their hub name.

Every setting comes from an environment variable; ``SETTINGS`` lists them with their defaults, and
``deploy/README.md`` explains them. The hub listens on 127.0.0.1 unless ``CPT64612_HUB_IP`` says otherwise.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
COURSE = HERE.parent.parent
SETTINGS = {
    "CPT64612_HUB_IP": "127.0.0.1",            # where learners connect; 0.0.0.0 for every interface (put TLS in front)
    "CPT64612_HUB_PORT": "8000",               # the public port (the proxy)
    "CPT64612_HUB_API_PORT": "8081",           # the hub's own API, on 127.0.0.1
    "CPT64612_HUB_PROXY_API_PORT": "8001",     # the proxy's API, on 127.0.0.1
    "CPT64612_HUB_STATE": "",                  # the hub's database, cookie secret, proxy pid (default: this folder)
    "CPT64612_HUB_SPAWNER": "local",           # local (system users) | simple (trials, no isolation) | systemd
    "CPT64612_HUB_HOMES": "/srv/cpt64612-homes",  # the learners' homes with the simple spawner
    "CPT64612_HUB_TABLE_CACHE": "",            # validated tables every kernel reads (default: table-cache in STATE)
    "CPT64612_HUB_AUTHENTICATOR": "shared-password",  # or any JupyterHub authenticator, configured in a second file
    "CPT64612_HUB_PASSWORD": "",               # the class password, at least 8 characters (shared-password)
    "CPT64612_HUB_USERS": "",                  # the class list, comma-separated; empty: any name with the password
    "CPT64612_HUB_ADMINS": "",                 # instructors' names, comma-separated
    "CPT64612_HUB_ADMIN_PASSWORD": "",         # the instructors' password, at least 32 characters
    "CPT64612_HUB_PROXY": "",                  # configurable-http-proxy (default: on PATH, else .cache/chp)
    "CPT64612_HUB_MEM_LIMIT": "2G",            # enforced by the systemd spawner; local and simple only report it
    "CPT64612_HUB_MEM_GUARANTEE": "512M",
    "CPT64612_HUB_CPU_LIMIT": "1",
    "CPT64612_HUB_KERNEL_IDLE": "1200",        # seconds before an idle kernel is shut down (tab open or not)
    "CPT64612_HUB_KERNEL_CULL_EVERY": "60",
    "CPT64612_HUB_SERVER_IDLE": "3600",        # seconds before an idle learner server is stopped (idle culler)
    "CPT64612_HUB_SERVER_CULL_EVERY": "300",
    "CPT64612_HUB_MAX_SERVERS": "0",           # servers running at once; 0: no limit
}


def setting(name: str) -> str:
    """Return a setting from the environment, or its default."""
    return os.environ.get(name) or SETTINGS[name]


def names(name: str) -> set[str]:
    """Return a comma-separated setting as a set of names."""
    return {part.strip() for part in setting(name).split(",") if part.strip()}


def proxy_command() -> str:
    """Return configurable-http-proxy: the setting, else on PATH, else the copy `make test-hub` installs."""
    return (setting("CPT64612_HUB_PROXY") or shutil.which("configurable-http-proxy")
            or str(COURSE / ".cache" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"))


def kernel_culling() -> list[str]:
    """Return the single-user server's options that shut down idle kernels, even with their tab still open."""
    return [f"--MappingKernelManager.cull_idle_timeout={setting('CPT64612_HUB_KERNEL_IDLE')}",
            f"--MappingKernelManager.cull_interval={setting('CPT64612_HUB_KERNEL_CULL_EVERY')}",
            "--MappingKernelManager.cull_connected=True"]


def server_culler() -> tuple[list, list]:
    """Return the idle-culler service and its role (none when jupyterhub-idle-culler is not installed)."""
    if importlib.util.find_spec("jupyterhub_idle_culler") is None:
        print("jupyterhub-idle-culler is not installed: idle servers will not be stopped", file=sys.stderr)
        return [], []
    command = [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={setting('CPT64612_HUB_SERVER_IDLE')}",
               f"--cull-every={setting('CPT64612_HUB_SERVER_CULL_EVERY')}"]
    role = {"name": "idle-culler", "services": ["idle-culler"],
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}
    return [{"name": "idle-culler", "command": command}], [role]


def fill_table_cache(folder: Path) -> None:
    """Validate the course's tables into ``folder``, and let every learner read them (the cache writes 0600 files)."""
    command = [sys.executable, "-c", "from helpers import data; data.load('codes')"]
    subprocess.run(command, env={**os.environ, "CPT64612_CACHE_DIR": str(folder)}, stdin=subprocess.DEVNULL,
                   capture_output=True, check=False)
    for path in folder.glob("tables-*.pickle"):
        try:
            path.chmod(0o644)
        except OSError as error:
            print(f"Learners cannot read the table cache {path}: {error}", file=sys.stderr)


def shared_table_cache(state: Path) -> str:
    """Return a folder of validated tables that every learner's kernel reads, and fill it in the background.

    Without it each learner's first kernel validates the tables itself: about twice the memory and CPU time.
    Learners only read it (a folder they cannot write is skipped); it is refilled when the data or the code change.
    """
    folder = Path(setting("CPT64612_HUB_TABLE_CACHE") or state / "table-cache")
    folder.mkdir(parents=True, exist_ok=True)
    threading.Thread(target=fill_table_cache, args=(folder,), daemon=True).start()
    return str(folder)


def course_lab_settings() -> None:
    """Install the course's JupyterLab settings (no news prompt, no update checks) in this environment."""
    try:
        from helpers.launch import install_lab_settings

        install_lab_settings()
    except (ImportError, OSError) as error:
        print(f"The course's JupyterLab settings were not installed ({error}); run "
              "`python -m helpers.launch settings` as the environment's owner.", file=sys.stderr)


def configure_network(c, state: Path) -> None:
    """Listen on the chosen address and port; the hub's and the proxy's APIs stay on 127.0.0.1."""
    c.JupyterHub.bind_url = f"http://{setting('CPT64612_HUB_IP')}:{setting('CPT64612_HUB_PORT')}"
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = int(setting("CPT64612_HUB_API_PORT"))
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{setting('CPT64612_HUB_PROXY_API_PORT')}"
    c.ConfigurableHTTPProxy.command = [proxy_command()]
    c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
    c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
    c.JupyterHub.active_server_limit = int(setting("CPT64612_HUB_MAX_SERVERS"))


def configure_login(c) -> None:
    """Log learners in with the class password (or the authenticator named), allowing the class list only."""
    c.JupyterHub.authenticator_class = setting("CPT64612_HUB_AUTHENTICATOR")
    if setting("CPT64612_HUB_AUTHENTICATOR") == "shared-password":
        password = setting("CPT64612_HUB_PASSWORD")
        if len(password) < 8:
            raise SystemExit("Set CPT64612_HUB_PASSWORD to the class password (at least 8 characters).")
        c.SharedPasswordAuthenticator.user_password = password
        c.SharedPasswordAuthenticator.admin_password = setting("CPT64612_HUB_ADMIN_PASSWORD") or None
    if names("CPT64612_HUB_USERS"):
        c.Authenticator.allowed_users = names("CPT64612_HUB_USERS")
    else:
        c.Authenticator.allow_all = True
    c.Authenticator.admin_users = names("CPT64612_HUB_ADMINS")


def configure_spawner(c, state: Path) -> None:
    """Start each learner's server in their home, on their workspace, with idle kernels culled and limits set."""
    c.Spawner.cmd = [sys.executable, str(HERE / "singleuser.py")]  # this environment's Python, not PATH's
    c.Spawner.args = [*kernel_culling(), "--LabApp.extension_manager=readonly"]
    c.Spawner.notebook_dir = "~"
    c.Spawner.default_url = "/lab/tree/workspace/00_start_here.ipynb"
    c.Spawner.mem_limit = setting("CPT64612_HUB_MEM_LIMIT")
    c.Spawner.mem_guarantee = setting("CPT64612_HUB_MEM_GUARANTEE")
    c.Spawner.cpu_limit = float(setting("CPT64612_HUB_CPU_LIMIT"))
    c.Spawner.start_timeout = c.Spawner.http_timeout = 120
    c.Spawner.environment = {"CPT64612_CACHE_DIR": shared_table_cache(state)}
    choose_spawner(c, setting("CPT64612_HUB_SPAWNER"))


def choose_spawner(c, kind: str) -> None:
    """Use system users (local), the hub's own user (simple: a trial or a test, no isolation), or systemd units."""
    if kind == "simple":
        c.JupyterHub.spawner_class = "simple"
        c.SimpleLocalProcessSpawner.home_dir_template = str(Path(setting("CPT64612_HUB_HOMES")) / "{username}")
        if os.geteuid() == 0:
            c.Spawner.args.append("--allow-root")
    elif kind == "systemd":  # jupyterhub-systemdspawner enforces mem_limit and cpu_limit (not run in our tests)
        c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
        c.SystemdSpawner.dynamic_users = True
        c.SystemdSpawner.isolate_tmp = True
        c.SystemdSpawner.disable_user_sudo = True
    elif kind != "local":
        raise SystemExit(f"CPT64612_HUB_SPAWNER is {kind!r}: use local, simple or systemd.")


c = get_config()  # noqa: F821 (JupyterHub provides get_config to its configuration files)
STATE = Path(setting("CPT64612_HUB_STATE") or Path.cwd()).resolve()
STATE.mkdir(parents=True, exist_ok=True)
configure_network(c, STATE)
configure_login(c)
configure_spawner(c, STATE)
c.JupyterHub.services, c.JupyterHub.load_roles = server_culler()
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server and kernels
course_lab_settings()
