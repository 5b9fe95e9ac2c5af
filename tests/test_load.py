"""The bounded mixed load run of bench/load.py, on SQLite and, when given, PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LOAD = Path(__file__).resolve().parents[1] / "bench" / "load.py"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_mixed_load_has_no_error_and_stores_every_answered_submission(backend):
    if shutil.which("wrk") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the load run needs wrk (CI=true): `make test` installs it as root")
        pytest.skip("the load run needs wrk: run `make test` as root, or `apt-get install wrk`")
    command = [sys.executable, str(LOAD), "--seconds", "8"]
    if backend == "postgresql":
        url = os.environ.get("TEST_DATABASE_URL")
        if not url:
            pytest.skip("PostgreSQL run skipped: set TEST_DATABASE_URL")
        command += ["--database-url", url]
    run = subprocess.run(command, capture_output=True, text=True, timeout=180)
    print(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr[-2000:]
    assert run.stdout.strip().endswith("PASS")
