"""Content files -> marshmallow schemas -> one transaction into the database.

Reading validates everything first and collects every problem with the file and
field it concerns; only content that passed is written, all of it in a single
transaction, and only when the files' digest differs from the loaded one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from marshmallow import Schema, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from selector.answers import ANSWERS, REQUIRED, every_combination
from selector.markup import render_markdown
from selector.models import (
    Aspect,
    AspectValue,
    ContentRevision,
    Framework,
    Question,
    Scenario,
    ScenarioAlias,
    Section,
)
from selector.recommend import (
    DecisionModel,
    FrameworkFacts,
    NoScenarioFits,
    ScenarioFacts,
    recommend,
)
from selector.schemas import (
    AspectSchema,
    FrameworkSchema,
    QuestionSchema,
    ScenarioSchema,
    SectionSchema,
)

DEFAULT_DIR = Path(__file__).parent / "content"
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


@dataclass
class Content:
    """Validated content, ready to write; digest identifies the files it came from."""

    digest: str
    frameworks: list[dict[str, Any]] = field(default_factory=list)
    aspects: list[dict[str, Any]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    scenarios: list[dict[str, Any]] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)


def _flatten(messages: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _flatten(value, f"{path}.{key}" if path else str(key))
    elif isinstance(messages, list):
        for message in messages:
            yield from _flatten(message, path)
    else:
        yield path or "(file)", str(messages)


class _Reader:
    """Collects validated records and every problem found on the way."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

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

    def unique(self, records: list[dict[str, Any]], key: str, kind: str) -> None:
        seen: dict[str, str] = {}
        for record in records:
            value = record[key]
            if value in seen:
                self.problems.append(
                    Problem(
                        record["_file"], key, f"duplicate {kind} {value!r} (also in {seen[value]})"
                    )
                )
            seen.setdefault(value, record["_file"])


def _digest(files: list[Path], root: Path) -> str:
    sha = hashlib.sha256()
    for path in files:
        sha.update(path.relative_to(root).as_posix().encode())
        sha.update(b"\0")
        sha.update(path.read_bytes())
        sha.update(b"\0")
    return sha.hexdigest()


def read_content(root: Path = DEFAULT_DIR) -> Content:
    """Read and validate every content file under root, or raise ContentError."""
    reader = _Reader(root)
    framework_files = sorted((root / "frameworks").glob("*.yaml"))
    section_files = sorted((root / "sections").glob("*.md"))
    scenario_files = sorted((root / "scenarios").glob("*.yaml"))
    aspects_file, questions_file = root / "aspects.yaml", root / "questions.yaml"
    files = [*framework_files, aspects_file, *section_files, *scenario_files, questions_file]
    missing = [path for path in files if not path.is_file()]
    if missing or not framework_files:
        raise ContentError([Problem(str(path), "(file)", "missing") for path in missing or [root]])
    content = Content(digest=_digest(files, root))

    for path in framework_files:
        record = reader.validate(path, FrameworkSchema(), reader.yaml(path))
        if record:
            record["summary_html"] = render_markdown(record["summary"])[0]
            content.frameworks.append({**record, "_file": reader.name(path)})
    reader.unique(content.frameworks, "slug", "framework")
    framework_slugs = {record["slug"] for record in content.frameworks}

    aspects = reader.validate(aspects_file, AspectSchema(), reader.yaml(aspects_file), many=True)
    for record in aspects or []:
        record["_file"] = reader.name(aspects_file)
        for slug in sorted(set(record["values"]) ^ framework_slugs):
            reason = "no such framework" if slug in record["values"] else "value missing"
            reader.problem(aspects_file, f"{record['slug']}.values.{slug}", reason)
        content.aspects.append(record)
    reader.unique(content.aspects, "slug", "aspect")

    for path in section_files:
        meta, body = reader.front_matter(path)
        record = reader.validate(path, SectionSchema(), meta)
        if record:
            include = record["include"] or ""
            if include.startswith("framework:") and include[10:] not in framework_slugs:
                reader.problem(path, "include", f"no framework {include[10:]!r}")
            record["body_html"], record["headings"] = render_markdown(body, f"{record['slug']}-")
            content.sections.append({**record, "_file": reader.name(path)})
    reader.unique(content.sections, "slug", "section")
    section_slugs = {record["slug"] for record in content.sections}

    for path in scenario_files:
        record = reader.validate(path, ScenarioSchema(), reader.yaml(path))
        if record:
            record["why_html"] = render_markdown(record["why"])[0]
            content.scenarios.append({**record, "_file": reader.name(path)})
    reader.unique(content.scenarios, "slug", "scenario")
    reader.unique(
        [{"slug": alias, "_file": r["_file"]} for r in content.scenarios for alias in r["aliases"]]
        + [{"slug": r["slug"], "_file": r["_file"]} for r in content.scenarios],
        "slug",
        "scenario slug or alias",
    )
    scenario_slugs = {record["slug"] for record in content.scenarios}
    for record in content.scenarios:
        path = root / record["_file"]
        for key in ("first", "runner_up"):
            if record[key] is not None and record[key] not in framework_slugs:
                reader.problem(path, key, f"no framework {record[key]!r}")
        if record["runner_up"] == record["first"]:
            reader.problem(path, "runner_up", "the runner-up must differ from the first choice")
        for slug in record["related"]:
            if slug not in scenario_slugs or slug == record["slug"]:
                reader.problem(path, "related", f"no other scenario {slug!r}")
        if record["section"] not in section_slugs:
            reader.problem(path, "section", f"no guide section {record['section']!r}")

    questions = reader.validate(
        questions_file, QuestionSchema(), reader.yaml(questions_file), many=True
    )
    if questions is not None:
        content.questions = questions
        if [q["key"] for q in questions] != list(ANSWERS):
            reader.problem(
                questions_file, "key", f"questions must be, in order: {', '.join(ANSWERS)}"
            )
        for question in questions:
            key = question["key"]
            if question["required"] != (key in REQUIRED):
                reader.problem(questions_file, f"{key}.required", f"must be {key in REQUIRED}")
            values = tuple(choice["value"] for choice in question["choices"])
            if values != ANSWERS.get(key, values):
                reader.problem(
                    questions_file,
                    f"{key}.choices",
                    f"values must be, in order: {', '.join(ANSWERS[key])}",
                )
            for choice in question["choices"]:
                for slug in sorted(set(choice["notes"]) - framework_slugs):
                    where = f"{question['key']}.{choice['value']}.notes.{slug}"
                    reader.problem(questions_file, where, "no such framework")

    if not reader.problems:
        _check_presets(reader, content)
    if reader.problems:
        raise ContentError(reader.problems)
    return content


def decision_model(content: Content) -> DecisionModel:
    """What the engine reads from validated content files, in page order."""
    return DecisionModel(
        frameworks=[
            FrameworkFacts(f["slug"], f["name"], tuple(f["weaknesses"]))
            for f in sorted(content.frameworks, key=lambda f: f["order"])
        ],
        scenarios=[
            ScenarioFacts(
                s["slug"],
                s["title"],
                s["first"],
                s["runner_up"],
                s["preset"],
                s["reason"],
                s["runner_up_when"],
            )
            for s in sorted(content.scenarios, key=lambda s: s["order"])
        ],
        notes={(q["key"], c["value"]): c["notes"] for q in content.questions for c in q["choices"]},
    )


def _check_presets(reader: _Reader, content: Content) -> None:
    """Each scenario's preset must give exactly the first choice and runner-up the matrix shows,
    and every combination of answers must find a scenario when the runner-up rules leave it
    to the closest one."""
    model = decision_model(content)
    for answers in every_combination():
        try:
            recommend(answers, model)
        except NoScenarioFits as error:
            reader.problem(reader.root / "scenarios", "preset", f"{error}: add a scenario")
            return
    for record in content.scenarios:
        result = recommend(record["preset"], model)
        if (result.framework, result.runner_up) != (record["first"], record["runner_up"]):
            reader.problem(
                reader.root / record["_file"],
                "preset",
                f"these answers lead to {result.framework!r} with runner-up "
                f"{result.runner_up!r}, not {record['first']!r} with {record['runner_up']!r}",
            )


def loaded_digest(session: Session) -> str | None:
    return session.scalar(select(ContentRevision.digest))


def write_content(session: Session, content: Content) -> bool:
    """Replace the loaded content in one transaction; return False when it was already loaded."""
    if loaded_digest(session) == content.digest:
        return False
    try:
        for model in (ScenarioAlias, Scenario, AspectValue, Aspect, Section, Question, Framework):
            session.execute(delete(model))
        session.execute(delete(ContentRevision))
        frameworks = {}
        for r in content.frameworks:
            version = r["version"]
            frameworks[r["slug"]] = Framework(
                slug=r["slug"],
                name=r["name"],
                position=r["order"],
                tagline=r["tagline"],
                summary_html=r["summary_html"],
                version=version["current"],
                version_checked=version["checked"],
                min_python=version["min_python"],
                version_note=version["note"],
                features=r["features"],
                strengths=r["strengths"],
                weaknesses=r["weaknesses"],
                fits=r["fits"],
            )
        session.add_all(frameworks.values())
        session.add_all(
            Aspect(
                slug=r["slug"],
                name=r["name"],
                position=position,
                values=[
                    AspectValue(framework=frameworks[slug], text=text)
                    for slug, text in r["values"].items()
                ],
            )
            for position, r in enumerate(content.aspects)
        )
        session.add_all(
            Section(
                slug=r["slug"],
                title=r["title"],
                position=position,
                summary=r["summary"],
                include=r["include"],
                body_html=r["body_html"],
                headings=r["headings"],
            )
            for position, r in enumerate(content.sections)
        )
        session.add_all(
            Scenario(
                slug=r["slug"],
                title=r["title"],
                position=r["order"],
                situation=r["situation"],
                first=frameworks[r["first"]],
                runner_up=frameworks[r["runner_up"]] if r["runner_up"] else None,
                reason=r["reason"],
                why_html=r["why_html"],
                runner_up_when=r["runner_up_when"],
                gives_up=r["gives_up"],
                preset=r["preset"],
                related=r["related"],
                section=r["section"],
                updated=r["updated"],
                closing_position=r["closing"]["order"] if r["closing"] else None,
                closing_note=r["closing"]["note"] if r["closing"] else None,
                aliases=[ScenarioAlias(slug=alias) for alias in r["aliases"]],
            )
            for r in content.scenarios
        )
        session.add_all(
            Question(
                key=r["key"],
                position=position,
                required=r["required"],
                short=r["short"],
                prompt=r["prompt"],
                help=r["help"],
                choices=r["choices"],
            )
            for position, r in enumerate(content.questions)
        )
        session.add(ContentRevision(digest=content.digest))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return True
