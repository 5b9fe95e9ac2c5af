"""The code samples' own environment: the newest Python on the machine, the pinned packages,
and a run of each sample's own test there.

The site runs on Python 3.11, but the frameworks' current releases need newer ones (the
highest `min_python` of the framework files), so the samples run in a virtual environment
of their own. It is built from the lock file with the newest CPython found at run time, and
rebuilt whenever the lock or that interpreter changes. A passing run is recorded in
`samples/runs.yaml`, which the guide shows as "last run against"; nobody types it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import InvalidRequirement, Requirement

INPUT = "requirements.in"
LOCK = "requirements.txt"
RUNS = "runs.yaml"
#: One sample's test may start servers and threads; a hung one must not hang the suite.
RUN_SECONDS = 180
_RELEASE = re.compile(r"\d+\.\d+\.\d+")
_PROBE = (
    "import platform, sys, sysconfig; "
    "print(platform.python_implementation(), sys.version_info.releaselevel, "
    "bool(sysconfig.get_config_var('Py_GIL_DISABLED')), *sys.version_info[:3])"
)


@dataclass(frozen=True, order=True)
class Interpreter:
    version: tuple[int, int, int]
    path: Path

    @property
    def release(self) -> str:
        return ".".join(map(str, self.version))


def _candidates() -> Iterator[Path]:
    """Every interpreter the machine names: pyenv's versions, then python3.N on PATH."""
    pyenv = shutil.which("pyenv")
    if pyenv:
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True).stdout.strip()
        versions = Path(root, "versions")
        if versions.is_dir():
            for folder in versions.iterdir():
                if _RELEASE.fullmatch(folder.name):
                    yield folder / "bin" / "python3"
    for minor in range(11, 40):
        if found := shutil.which(f"python3.{minor}"):
            yield Path(found)


def _probe(path: Path) -> Interpreter | None:
    """The interpreter at path if it runs and is a final, ordinary CPython release."""
    try:
        out = subprocess.run(
            [str(path), "-c", _PROBE], capture_output=True, text=True, timeout=30
        ).stdout.split()
    except (OSError, subprocess.TimeoutExpired):
        return None
    # pyenv's shims answer for versions that are not selected with nothing on stdout.
    if out[:3] != ["CPython", "final", "False"]:
        return None
    major, minor, micro = map(int, out[3:])
    return Interpreter((major, minor, micro), path)


def newest_python(minimum: tuple[int, int]) -> Interpreter | None:
    """The newest CPython on this machine at or above minimum, or None."""
    found = {i for path in set(_candidates()) if (i := _probe(path))}
    usable = [i for i in found if i.version[:2] >= minimum]
    return max(usable, default=None)


def _version_blocks(samples: Path) -> list[tuple[str, dict[str, Any]]]:
    """Each framework file's slug (its package's name) and version block."""
    blocks = []
    for path in sorted((samples.parent / "frameworks").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        blocks.append((str(data["slug"]), data["version"]))
    return blocks


def shown_frameworks(samples: Path) -> list[tuple[str, str]]:
    """(package, version) for each framework as the guide shows it."""
    return [(slug, str(block["current"])) for slug, block in _version_blocks(samples)]


def minimum_python(samples: Path) -> tuple[int, int]:
    """The highest Python floor among the frameworks the guide shows: every sample must run."""
    floors = []
    for _, block in _version_blocks(samples):
        major, minor = str(block["min_python"]).split(".")[:2]
        floors.append((int(major), int(minor)))
    return max(floors, default=sys.version_info[:2])


def pins(samples: Path) -> dict[str, str]:
    """The lock file as {normalised package name: version}; ValueError names a line that does
    not pin exactly one version."""
    locked = {}
    text = (samples / LOCK).read_text(encoding="utf-8-sig")
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement as error:
            raise ValueError(f"line {number}: {error}") from error
        exact = [s.version for s in requirement.specifier if s.operator == "=="]
        if len(exact) != 1 or len(requirement.specifier) != 1:
            raise ValueError(f"line {number}: {line!r} does not pin one version with ==")
        locked[normalise(requirement.name)] = exact[0]
    return locked


def code_digest(folder: Path) -> str:
    """What a sample's run record names: a hash of the sample and its test as they ran."""
    sha = hashlib.sha256()
    for name in ("app.py", "test_app.py"):
        sha.update((folder / name).read_bytes())
    return sha.hexdigest()[:16]


def normalise(name: str) -> str:
    """A package name as the package index compares names (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _pip(python: Path, *args: str) -> str:
    return subprocess.run(
        [str(python), "-m", "pip", "--disable-pip-version-check", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _create(venv: Path, interpreter: Interpreter) -> Path:
    subprocess.run([str(interpreter.path), "-m", "venv", "--clear", str(venv)], check=True)
    return venv / "bin" / "python"


def environment(samples: Path, venv: Path, interpreter: Interpreter) -> Path:
    """The samples' Python, in a virtual environment holding exactly the lock file's pins."""
    lock = samples / LOCK
    stamp = venv / "selector-lock.sha256"
    wanted = hashlib.sha256(lock.read_bytes() + interpreter.release.encode()).hexdigest()
    python = venv / "bin" / "python"
    if python.exists() and stamp.is_file() and stamp.read_text() == wanted:
        return python
    python = _create(venv, interpreter)
    # --no-deps: the lock names every package, so nothing is resolved anew; pip check
    # then proves the pinned set is whole.
    _pip(python, "install", "-q", "--no-deps", "-r", str(lock))
    _pip(python, "check")
    stamp.write_text(wanted)
    return python


def lock(samples: Path, interpreter: Interpreter) -> str:
    """Resolve requirements.in with the samples' Python, each framework held at the version the
    guide shows, and write every pin to the lock."""
    with tempfile.TemporaryDirectory() as tmp:
        shown = Path(tmp, "shown.txt")
        shown.write_text("".join(f"{name}=={v}\n" for name, v in shown_frameworks(samples)))
        python = _create(Path(tmp, "venv"), interpreter)
        _pip(python, "install", "-q", "-r", str(samples / INPUT), "-c", str(shown))
        frozen = _pip(python, "freeze", "--all", "--exclude", "pip")
    text = (
        "# The pinned set every code sample runs against: written by `flask samples lock` from\n"
        f"# {INPUT} with Python {interpreter.release}; do not edit by hand.\n{frozen}"
    )
    (samples / LOCK).write_text(text, encoding="utf-8")
    return text


def sample_folders(samples: Path) -> list[Path]:
    """Every task/framework folder, in a stable order."""
    return sorted(path.parent for path in samples.glob("*/*/test_app.py"))


@dataclass(frozen=True)
class Outcome:
    folder: Path
    passed: bool
    output: str

    @property
    def key(self) -> tuple[str, str]:
        """(task, framework)"""
        return self.folder.parent.name, self.folder.name


def clean_env(**extra: str) -> dict[str, str]:
    """The environment a sample runs in: nothing of the site's own settings leaks into it."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        **extra,
    }


def run_sample(python: Path, folder: Path) -> Outcome:
    """Run one sample's own test in the samples' environment, from its own folder."""
    env = clean_env()
    try:
        done = subprocess.run(
            [str(python), "-m", "pytest", "-q", "test_app.py"],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=RUN_SECONDS,
        )
    except subprocess.TimeoutExpired as error:
        partial = error.stdout if isinstance(error.stdout, str) else ""
        return Outcome(folder, False, f"no result after {RUN_SECONDS} s\n{partial}")
    output = done.stdout + done.stderr
    # A test that was skipped ran nothing: it cannot vouch for the sample.
    passed = done.returncode == 0 and not re.search(r"\d+ skipped", output)
    return Outcome(folder, passed, output)


def installed(python: Path) -> dict[str, str]:
    """What the samples' environment holds, as {normalised name: version}."""
    listed = json.loads(_pip(python, "list", "--format", "json"))
    return {normalise(p["name"]): p["version"] for p in listed}


def sample_packages(framework: str, addons: Iterable[str]) -> list[str]:
    """The packages a sample rests on: its framework (whose slug is its package name) and the
    add-ons' packages its sample.yaml names."""
    return [normalise(framework), *map(normalise, addons)]


class _PlainDumper(yaml.SafeDumper):
    """Writes a date shared by many entries out each time, not as a YAML alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def record(
    samples: Path, outcomes: list[Outcome], python: Path, release: str, today: dt.date
) -> None:
    """Write what each passing sample ran against into runs.yaml; other entries stay."""
    path = samples / RUNS
    runs: dict[str, Any] = {}
    if path.is_file():
        runs = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    versions = installed(python)
    for outcome in outcomes:
        if outcome.passed:
            task, framework = outcome.key
            meta = yaml.safe_load((outcome.folder / "sample.yaml").read_text(encoding="utf-8"))
            packages = sample_packages(
                framework, (addon["package"] for addon in meta.get("addons") or [])
            )
            runs.setdefault(task, {})[framework] = {
                "ran": today,
                "python": release,
                "packages": {name: versions[name] for name in packages},
                "code": code_digest(outcome.folder),
            }
    header = "# Written by `flask samples run`: what each sample's own test last passed against.\n"
    body = yaml.dump(dict(sorted(runs.items())), Dumper=_PlainDumper, sort_keys=True)
    path.write_text(header + body, encoding="utf-8")
