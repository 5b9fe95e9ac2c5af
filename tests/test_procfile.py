"""The Procfile's two lines, as written, in a fresh clone with production settings.

The clone is of the committed HEAD (what a platform builds from), run from its own folder
with its own code first on PYTHONPATH and this virtual environment's tools on PATH: the
dependencies are installed here, and installing the clone would repoint this environment's
editable install. `release` builds a fresh SQLite database; `web` then serves from a
package directory that is read-only (a read-only bind mount when run as root, whom file
modes do not stop; file modes otherwise), so anything it wrote there at start would stop it.
"""

from __future__ import annotations

import http.client
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require
from tests.front_proxy import (
    HOST,
    Group,
    accepts,
    free_port,
    production_environment,
    run,
    wait_until,
)

ROOT = Path(__file__).resolve().parents[1]


def procfile(folder: Path) -> dict[str, str]:
    lines = (folder / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def read_only(package: Path, command: str) -> list[str]:
    """`command` through bash, with `package` read-only to it."""
    if os.geteuid() != 0:
        for path in [package, *package.rglob("*")]:
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        return ["bash", "-c", command]
    # A mount namespace of the process's own: the bind mount is seen by nothing else.
    private = subprocess.run(["unshare", "--mount", "true"], capture_output=True, check=False)
    require(
        private.returncode == 0,
        "as root, a read-only package directory needs `unshare --mount` (util-linux, and a "
        "container allowed to make mount namespaces)",
    )
    mount = f"mount --bind {package} {package} && mount -o remount,bind,ro {package}"
    return ["unshare", "--mount", "--propagation", "private", "bash", "-c", f"{mount} && {command}"]


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        # As the front proxy forwards it: the public name, over HTTPS.
        connection.request("GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


@pytest.fixture
def clone(tmp_path) -> Iterator[Path]:
    require(shutil.which("git") is not None, "the Procfile test clones the repository: install git")
    folder = tmp_path / "clone"
    run(["git", "clone", "-q", str(ROOT), str(folder)], timeout=60)
    yield folder
    for path in [folder / "selector", *(folder / "selector").rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_the_procfiles_release_and_web_lines_serve_a_fresh_clone(clone, tmp_path):
    lines = procfile(clone)
    assert set(lines) == {"release", "web"}
    environment = production_environment(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    port = free_port()
    environment.update(PYTHONPATH=str(clone), PORT=str(port), WEB_CONCURRENCY="1")
    imported = run(
        [sys.executable, "-c", "import selector; print(selector.__file__)"],
        cwd=clone,
        env=environment,
    )
    assert Path(imported.strip()).parent == clone / "selector"

    run(["bash", "-c", lines["release"]], timeout=120, cwd=clone, env=environment)

    group = Group(tmp_path)
    try:
        group.start("web", read_only(clone / "selector", lines["web"]), cwd=clone, env=environment)
        wait_until(lambda: accepts(port), group, "the web line")
        assert get(port, "/healthz")[0] == 200
        status, page = get(port, "/ja/frameworks/flask")
        assert status == 200
        # Words of the committed catalog, not the English they translate.
        assert "最新バージョン" in page and "Current version" not in page
    finally:
        group.stop()
