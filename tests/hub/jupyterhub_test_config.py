"""The course's hub config (deploy/jupyterhub/jupyterhub_config.py) as the hub tests run it, plus three test aids.

- a ``driver`` service whose token lets the test use the hub's REST API (spawn, stop, read servers);
- a marker variable in every learner server, kernel and managed service, so that teardown can find anything left running;
- ``window.jupyterapp`` exposed in JupyterLab, so that the test can wait for the kernel and run commands.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub provides it)
load_subconfig(str(Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub" / "jupyterhub_config.py"))  # noqa: F821

c.JupyterHub.services.append({"name": "driver", "api_token": os.environ["CPT64612_HUB_DRIVER_TOKEN"]})
c.JupyterHub.load_roles.append({"name": "driver", "services": ["driver"],
                                "scopes": ["admin:users", "admin:servers", "access:servers", "read:users"]})
MARKER = {"CPT64612_HUB_TEST_RUN": os.environ["CPT64612_HUB_TEST_RUN"]}
c.Spawner.environment.update(MARKER)
for service in c.JupyterHub.services:
    if "command" in service:  # a managed service (the idle culler)
        service["environment"] = {**service.get("environment", {}), **MARKER}
c.Spawner.args.append("--LabApp.expose_app_in_browser=True")
