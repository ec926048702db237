"""Repository-wide pytest set-up: keep every test run, nbval kernels included, away from real progress."""

import os
import tempfile


def pytest_configure():
    """Send quiz progress from notebooks run under nbval to a throw-away file.

    Validated tables are cached by content (helpers.data), so tests share the course's own cache safely.
    """
    if "CPT64612_PROGRESS_DB" not in os.environ:
        folder = tempfile.mkdtemp(prefix="cpt64612-test-progress-")
        os.environ["CPT64612_PROGRESS_DB"] = os.path.join(folder, "progress.sqlite3")
        os.environ.setdefault("CPT64612_LEARNER", "nbval")
