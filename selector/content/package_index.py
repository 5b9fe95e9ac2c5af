"""What the package index says is current: the newest release of a package, from the index's
JSON API (`<index>/pypi/<name>/json`), its release date and the Python it needs.

The newest release is read from the index's own list of releases, not from what the local
interpreter could install: pip on Python 3.11 hides Django 6, which needs 3.12. Pre-releases
and releases whose every file was yanked do not count.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version


class IndexUnreachable(Exception):
    """The index did not answer (no network, a timeout, a server error): nothing can be said."""


@dataclass(frozen=True)
class Release:
    package: str
    version: str
    released: dt.date
    #: The release's own requirement, as the index states it (">=3.12"), or "" if none.
    requires_python: str

    @property
    def min_python(self) -> str | None:
        """The lowest Python the release admits, as "3.12", when its requirement has a floor."""
        try:
            specifiers = SpecifierSet(self.requires_python)
        except InvalidSpecifier:
            return None
        floors = [Version(s.version) for s in specifiers if s.operator in (">=", ">", "~=")]
        if not floors:
            return None
        floor = max(floors)
        return f"{floor.major}.{floor.minor}"


def _fetch(url: str, timeout: float) -> Any | None:
    """The JSON at url, None for a package the index does not have."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise IndexUnreachable(f"{url}: HTTP {error.code}") from error
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise IndexUnreachable(f"{url}: {reason}") from error
    except ValueError as error:
        raise IndexUnreachable(f"{url}: not JSON ({error})") from error


def newest_release(index_url: str, package: str, timeout: float = 10.0) -> Release | None:
    """The newest final, unyanked release of package on the index, or None if it has none."""
    url = f"{index_url.rstrip('/')}/pypi/{package}/json"
    data = _fetch(url, timeout)
    if data is None:
        return None
    try:
        return _newest(package, data)
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise IndexUnreachable(f"{url}: not the JSON API's answer ({error!r})") from error


def _newest(package: str, data: dict[str, Any]) -> Release | None:
    # The full list of releases; an index that leaves it out still names its latest release
    # and that release's files.
    listed = data.get("releases") or {data["info"]["version"]: data.get("urls") or []}
    releases = _final(listed)
    if not releases:
        return None
    version = max(releases)
    files = releases[version]
    uploaded = min(dt.datetime.fromisoformat(f["upload_time_iso_8601"]) for f in files)
    requires = next((f["requires_python"] for f in files if f.get("requires_python")), "")
    return Release(package, str(version), uploaded.date(), requires)


def _final(listed: dict[str, list[dict[str, Any]]]) -> dict[Version, list[dict[str, Any]]]:
    """The final releases with files that are not yanked, by version."""
    releases: dict[Version, list[dict[str, Any]]] = {}
    for text, files in listed.items():
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        usable = [f for f in files if not f.get("yanked")]
        if usable and not version.is_prerelease:
            releases[version] = usable
    return releases
