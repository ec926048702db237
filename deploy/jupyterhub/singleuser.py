"""Start a learner's server on JupyterHub: bring their workspace up to date, then run JupyterHub's single-user server.

It runs as the learner, in their home: ``~/workspace`` gets the learner's own copies of the course notebooks on the
first start, and the course's corrections on every later start (a copy the learner edited is kept, with the new
version beside it: ``helpers.workspace``). Exports go to ``~/workspace/exports``. A workspace that cannot be
brought up to date is reported in the server's log and never stops the server from starting.
"""

import os
import sys
from pathlib import Path


def prepare_workspace() -> None:
    """Point the course at ~/workspace and bring it up to date; report, never raise, if that fails."""
    os.environ.setdefault("CPT64612_WORKSPACE", str(Path.home() / "workspace"))
    try:
        from helpers import workspace

        print(workspace.sync(), flush=True)
    except Exception as error:  # a learner must still get their server
        print(f"The course workspace could not be brought up to date: {error}", file=sys.stderr, flush=True)


def main() -> None:
    """Prepare the workspace, then replace this process with jupyterhub-singleuser and the hub's arguments."""
    prepare_workspace()
    os.execv(sys.executable, [sys.executable, "-m", "jupyterhub.singleuser", *sys.argv[1:]])


if __name__ == "__main__":
    main()
