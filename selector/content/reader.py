"""Reading content files: YAML, front matter and schemas, with every problem kept with the
file and field it concerns, and facts put where a text cites them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from marshmallow import Schema, ValidationError

#: Where a text cites a fact: {{django.version}}, {{django-lts-support}}.
FACT = re.compile(r"\{\{\s*([a-z0-9][a-z0-9._-]*)\s*\}\}")


#: No content file is anywhere near this; a larger one is a mistake, not content.
MAX_FILE_BYTES = 256 * 1024


# The C loader is the same safe loader, several times faster where libyaml is present.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class ContentError(Exception):
    """The content files are not valid; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def _flatten(messages: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key == "_schema":  # marshmallow's name for a problem of the whole record
                yield from _flatten(value, path)
            else:
                yield from _flatten(value, f"{path}.{key}" if path else str(key))
    elif isinstance(messages, list):
        for message in messages:
            yield from _flatten(message, path)
    else:
        yield path or "(file)", str(messages)


class Reader:
    """Collects validated records and every problem found on the way."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        #: fact id -> its text, for {{id}} in any text of the content.
        self.facts: dict[str, str] = {}

    def name(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def problem(self, path: Path, where: str, message: str) -> None:
        self.problems.append(Problem(self.name(path), where, message))

    def validate(self, path: Path, schema: Schema, data: Any, many: bool = False) -> Any:
        try:
            return schema.load(data, many=many)
        except ValidationError as error:
            for where, message in _flatten(error.messages):
                self.problem(path, where, message)
            return None

    def text(self, path: Path) -> str:
        """A file's text; a file too large to be content is refused before it is read."""
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ValueError(f"larger than {MAX_FILE_BYTES // 1024} KiB")
        return path.read_text(encoding="utf-8")

    def yaml(self, path: Path) -> Any:
        try:
            return yaml.load(self.text(path), Loader=_YAML_LOADER)
        except (OSError, ValueError, yaml.YAMLError) as error:
            self.problem(path, "(file)", f"not readable YAML: {error}")
            return None

    def front_matter(self, path: Path) -> tuple[Any, str]:
        try:
            post = frontmatter.loads(self.text(path))
        except (OSError, ValueError, yaml.YAMLError) as error:
            self.problem(path, "(front matter)", f"not readable: {error}")
            return None, ""
        return post.metadata, post.content

    def resolve(self, value: Any, path: Path) -> Any:
        """Put each fact's text where a text cites it as {{id}}, in strings at any depth of a
        record, mapping or list; an unknown id is a problem of the file that cites it."""
        if is_dataclass(value) and not isinstance(value, type):
            cited = {f.name: self.resolve(getattr(value, f.name), path) for f in fields(value)}
            return replace(value, **cited)
        if isinstance(value, dict):
            return {key: self.resolve(item, path) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.resolve(item, path) for item in value)
        if not isinstance(value, str):
            return value

        def cite(match: re.Match[str]) -> str:
            fact = match.group(1)
            if fact not in self.facts:
                self.problem(path, "(text)", f"no fact {fact!r} in facts.yaml")
                return match.group(0)
            return self.facts[fact]

        return FACT.sub(cite, value)

    def unique(self, named: Iterable[tuple[str, str]], key: str, kind: str) -> None:
        """Each (value of key, file it is in) names its value once across the files."""
        seen: dict[str, str] = {}
        for value, file in named:
            if value in seen:
                self.problems.append(
                    Problem(file, key, f"duplicate {kind} {value!r} (also in {seen[value]})")
                )
            seen.setdefault(value, file)
