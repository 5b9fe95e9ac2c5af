"""The versions the guide shows, and writing a newer release back into the content files.

Read from the files themselves rather than from validated content, so that the check still
runs while the content is being brought up to date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version
from ruamel.yaml import YAML

from selector.content.package_index import Release
from selector.content.paths import Files
from selector.content.sample_env import INPUT, LOCK, normalise, pins


@dataclass(frozen=True)
class Shown:
    package: str
    version: str
    #: The framework file that states the version; None for a sample add-on (the lock has it).
    file: Path | None
    #: A version range the samples' requirements.in holds the package to (with its reason
    #: beside it there), or "": a newer release outside it is held back, not drifted.
    held: str = ""

    def holds_back(self, version: str) -> bool:
        return bool(self.held) and not Requirement(f"x{self.held}").specifier.contains(version)


def _holds(requirements: Path) -> dict[str, str]:
    """The version ranges requirements.in names: package -> specifier."""
    if not requirements.is_file():
        return {}
    found = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        try:
            requirement = Requirement(line.split("#", 1)[0].strip())
        except InvalidRequirement:
            continue
        if requirement.specifier:
            found[normalise(requirement.name)] = str(requirement.specifier)
    return found


def shown_versions(root: Path) -> list[Shown]:
    """Each framework's version block, then each add-on the samples name, as its lock pins it."""
    files = Files(root)
    shown = []
    for path in files.frameworks:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        shown.append(Shown(normalise(data["slug"]), str(data["version"]["current"]), path))
    locked = pins(files.samples) if (files.samples / LOCK).is_file() else {}
    addons = sorted(
        {
            normalise(addon["package"])
            for path in files.samples.glob("*/*/sample.yaml")
            for addon in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("addons")
            or []
        }
    )
    held = _holds(files.samples / INPUT)
    shown += [
        Shown(package, locked.get(package, "not pinned"), None, held.get(package, ""))
        for package in addons
    ]
    return shown


def is_older(release: Release, shown: Shown) -> bool:
    """Whether the index's newest release is older than the version the guide shows."""
    try:
        return Version(release.version) < Version(shown.version)
    except InvalidVersion:
        return False


def write_release(path: Path, release: Release, checked: dt.date) -> None:
    """Put a release into a framework file's version block, keeping the file's layout."""
    document = YAML()
    # As the files are written: long lines kept whole, list items indented under their key.
    document.preserve_quotes = True
    document.width = 4096
    document.indent(mapping=2, sequence=4, offset=2)
    data = document.load(path)
    block = data["version"]
    block["current"] = release.version
    if "released" in block:
        block["released"] = release.released
    else:
        block.insert(list(block).index("current") + 1, "released", release.released)
    block["checked"] = checked
    if release.min_python:
        block["min_python"] = release.min_python
    document.dump(data, path)
