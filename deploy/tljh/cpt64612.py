"""The CPT 64612 course on The Littlest JupyterHub (TLJH): copy to /opt/tljh/config/jupyterhub_config.d/cpt64612.py.

TLJH loads this file after its own settings (``sudo tljh-config reload hub`` applies it). It starts each learner's
server through the course's launcher (``deploy/jupyterhub/singleuser.py``), so that ``~/workspace`` holds their own
copies of the notebooks, refreshed on every start without losing an edit, and their exports; it shuts down idle
kernels; and it points every kernel at a folder of tables validated once. Memory and CPU limits and the idle-server
culler are TLJH's own settings (``tljh-config``, see deploy/README.md).

Written from TLJH's configuration (tljh/jupyterhub_config.py loads jupyterhub_config.d/*.py last); not run on a
TLJH server: the course's own tests run deploy/jupyterhub/jupyterhub_config.py instead.
"""

COURSE = "/opt/cpt64612-course"          # the checkout, installed with `sudo -E pip install -e` (deploy/README.md)
PYTHON = "/opt/tljh/user/bin/python"     # TLJH's user environment
TABLE_CACHE = "/opt/cpt64612-cache"      # filled once by the instructor (deploy/README.md); learners only read it

c = get_config()  # noqa: F821 (JupyterHub provides get_config to its configuration files)
c.Spawner.cmd = [PYTHON, f"{COURSE}/deploy/jupyterhub/singleuser.py"]
c.Spawner.args = ["--MappingKernelManager.cull_idle_timeout=1200", "--MappingKernelManager.cull_interval=60",
                  "--MappingKernelManager.cull_connected=True", "--LabApp.extension_manager=readonly"]
c.Spawner.default_url = "/lab/tree/workspace/00_start_here.ipynb"
c.Spawner.environment = {"CPT64612_CACHE_DIR": TABLE_CACHE}
