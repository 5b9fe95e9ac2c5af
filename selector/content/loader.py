"""Content files -> marshmallow schemas -> one transaction into the database.

Reading validates everything first and collects every problem with the file and
field it concerns; only content that passed is written, all of it in a single
transaction, and only when the files' digest differs from the loaded one.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import frontmatter
import yaml
from marshmallow import Schema, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from selector.content import editions
from selector.content.editions import EDITIONS
from selector.content.history import record_changes
from selector.content.markup import highlight_python, render_markdown
from selector.content.sample_env import LOCK, RUNS, code_digest, normalise, pins, sample_packages
from selector.engine.answers import ANSWERS, REQUIRED
from selector.engine.recommend import DecisionModel, recommend, rule_keys
from selector.language import DEFAULT
from selector.models import (
    Aspect,
    AspectValue,
    BenchmarkRun,
    ContentItem,
    ContentRevision,
    Framework,
    Question,
    Sample,
    SampleTask,
    Scenario,
    ScenarioAlias,
    Section,
    Wording,
)
from selector.schemas import (
    SAMPLE_CODE,
    SLUG_PATTERN,
    AspectSchema,
    BenchmarkSchema,
    FactSchema,
    FrameworkSchema,
    QuestionSchema,
    SampleRunSchema,
    SampleSchema,
    SampleTaskSchema,
    ScenarioSchema,
    SectionSchema,
)

DEFAULT_DIR = Path(__file__).parent / "files"
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


@dataclass
class Content:
    """Validated content, ready to write; digest identifies the files it came from."""

    digest: str
    #: Facts that age: id, text, checked, source.
    facts: list[dict[str, Any]] = field(default_factory=list)
    frameworks: list[dict[str, Any]] = field(default_factory=list)
    aspects: list[dict[str, Any]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    scenarios: list[dict[str, Any]] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)
    #: Code sample tasks, each with {framework slug: sample} under "samples".
    tasks: list[dict[str, Any]] = field(default_factory=list)
    #: The samples' lock file as {package: version}.
    pins: dict[str, str] = field(default_factory=dict)
    #: The framework benchmark's figures, when benchmarks.yaml exists.
    benchmark: dict[str, Any] | None = None
    #: What the engine's rules say, by key (rules.yaml).
    rules: dict[str, str] = field(default_factory=dict)
    #: The same content in each other edition's words (editions.py).
    editions: dict[str, Content] = field(default_factory=dict)


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


class _Reader:
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

    def resolve(self, value: Any, path: Path | None = None) -> Any:
        """Put each fact's text where a text cites it as {{id}}, in strings at any depth;
        an unknown id is a problem of the file that cites it."""
        if isinstance(value, dict):
            for key, item in value.items():
                if key != "_file":
                    value[key] = self.resolve(item, path or self.root / value.get("_file", ""))
            return value
        if isinstance(value, list):
            return [self.resolve(item, path) for item in value]
        if not isinstance(value, str):
            return value

        def cite(match: re.Match[str]) -> str:
            fact = match.group(1)
            if fact not in self.facts:
                self.problem(path or self.root, "(text)", f"no fact {fact!r} in facts.yaml")
                return match.group(0)
            return self.facts[fact]

        return FACT.sub(cite, value)

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


@dataclass(frozen=True)
class Files:
    """The content files under one root, by kind."""

    root: Path

    @property
    def frameworks(self) -> list[Path]:
        return sorted((self.root / "frameworks").glob("*.yaml"))

    @property
    def sections(self) -> list[Path]:
        return sorted((self.root / "sections").glob("*.md"))

    @property
    def scenarios(self) -> list[Path]:
        return sorted((self.root / "scenarios").glob("*.yaml"))

    @property
    def aspects(self) -> Path:
        return self.root / "aspects.yaml"

    @property
    def questions(self) -> Path:
        return self.root / "questions.yaml"

    @property
    def facts(self) -> Path:
        return self.root / "facts.yaml"

    @property
    def rules(self) -> Path:
        return self.root / "rules.yaml"

    @property
    def samples(self) -> Path:
        """Code samples: <task>/task.yaml, <task>/<framework>/{app.py,test_app.py,sample.yaml},
        the lock they run against and the record of their last runs."""
        return self.root / "samples"

    @property
    def sample_tasks(self) -> list[Path]:
        return sorted(self.samples.glob("*/task.yaml"))

    @property
    def benchmarks(self) -> Path:
        """Written by bench/frameworks.py; optional."""
        return self.root / "benchmarks.yaml"

    def sample_files(self) -> list[Path]:
        """Every file of the samples a load reads, for the digest."""
        names = {"task.yaml", "sample.yaml", LOCK, RUNS, *SAMPLE_CODE}
        return sorted(p for p in self.samples.rglob("*") if p.name in names and p.is_file())

    def all(self) -> list[Path]:
        return [
            self.facts,
            *self.frameworks,
            self.aspects,
            *self.sections,
            *self.scenarios,
            self.questions,
            self.rules,
            *self.sample_files(),
            *[self.benchmarks][: self.benchmarks.is_file()],
        ]

    def translations(self) -> list[Path]:
        """Every file of the other editions, for the digest."""
        return sorted(
            path
            for lang in EDITIONS
            for path in (self.root / lang).rglob("*")
            if path.suffix in (".yaml", ".md") and path.is_file()
        )


def read_content(root: Path = DEFAULT_DIR) -> Content:
    """Read and validate every content file under root, or raise ContentError.

    Each kind of file is read and validated on its own, then the checks across files run;
    every problem is collected before anything is refused.
    """
    files = Files(root)
    missing = [path for path in files.all() if not path.is_file()]
    if missing or not files.frameworks:
        raise ContentError([Problem(str(path), "(file)", "missing") for path in missing or [root]])
    reader = _Reader(root)
    content = Content(digest=_digest([*files.all(), *files.translations()], root))
    content.frameworks = _read_frameworks(reader, files.frameworks)
    content.facts = _read_facts(reader, files.facts)
    reader.facts = {
        **{fact["id"]: fact["text"] for fact in content.facts},
        **_framework_facts(content.frameworks),
    }
    for record in content.frameworks:
        reader.resolve(record)
        record["summary_html"] = render_markdown(record["summary"])[0]
    content.aspects = _read_aspects(reader, files.aspects)
    content.sections = _read_sections(reader, files.sections)
    content.scenarios = _read_scenarios(reader, files.scenarios)
    content.questions = _read_questions(reader, files.questions)
    content.pins, content.tasks = _read_samples(reader, files)
    content.rules = _read_rules(reader, files.rules, _framework_slugs(content))
    if files.benchmarks.is_file():
        content.benchmark = reader.validate(
            files.benchmarks, BenchmarkSchema(), reader.yaml(files.benchmarks)
        )
    for check in (
        _check_aspects,
        _check_sections,
        _check_scenarios,
        _check_questions,
        _check_samples,
        _check_benchmark,
    ):
        check(reader, content)
    if not reader.problems:
        _check_presets(reader, content)
    if not reader.problems:
        content.editions = {lang: _read_edition(reader, content, lang) for lang in EDITIONS}
    if reader.problems:
        raise ContentError(reader.problems)
    return content


def _read_rules(reader: _Reader, path: Path, frameworks: set[str]) -> dict[str, str]:
    """The words of every rule the engine may name, and of no other."""
    rules = reader.yaml(path)
    if not isinstance(rules, dict) or not all(isinstance(v, str) and v for v in rules.values()):
        reader.problem(path, "(file)", "must map each rule's key to its text")
        return {}
    keys = rule_keys(sorted(frameworks))
    for key in sorted(keys - set(rules)):
        reader.problem(path, key, "missing: the engine names this rule")
    for key in sorted(set(rules) - keys):
        reader.problem(path, key, "no rule of the engine has this key")
    resolved: dict[str, str] = reader.resolve(rules, path)
    return resolved


def _read_edition(reader: _Reader, english: Content, lang: str) -> Content:
    """The content in one edition's words, read from ja/<path> beside each English file; every
    text it lacks, or list of another length, is a problem of that file."""
    root = reader.root
    #: The edition's files that have an English twin; any other is a problem.
    read: set[Path] = set()

    def texts(path: Path, original: Any, spec: editions.Spec) -> Any:
        twin = editions.twin(root, path, lang)
        read.add(twin)
        if not twin.is_file():
            reader.problem(twin, "(file)", f"missing: the {lang} text of {reader.name(path)}")
            return original
        given = reader.resolve(reader.yaml(twin), twin)
        return editions.overlay(
            original, given, spec, lambda at, why: reader.problem(twin, at, why)
        )

    def md(text: str) -> str:
        return editions.render(text, lang)[0]

    facts_path = Files(root).facts
    worded = {f["id"]: f["text"] for f in english.facts if not editions.neutral(f["text"])}
    translated = texts(facts_path, worded, editions.TEXTS["facts"])
    for fact, text in worded.items():
        if missing := editions.figures_missing(text, translated[fact]):
            reader.problem(
                editions.twin(root, facts_path, lang),
                fact,
                f"does not state {', '.join(missing)}, as the English fact does: "
                "translate the fact again",
            )
    saved, reader.facts = reader.facts, {**reader.facts, **translated}
    try:
        edition = Content(digest=english.digest, pins=english.pins, benchmark=english.benchmark)
        for record in english.frameworks:
            done = texts(root / record["_file"], copy.deepcopy(record), editions.TEXTS["framework"])
            done["summary_html"] = md(done["summary"])
            edition.frameworks.append(done)
        aspects = texts(
            Files(root).aspects,
            editions.keyed(copy.deepcopy(english.aspects), "slug"),
            editions.TEXTS["aspects"],
        )
        edition.aspects = [aspects[r["slug"]] for r in english.aspects]
        for record in english.sections:
            read.add(editions.twin(root, root / record["_file"], lang))
            edition.sections.append(_section_edition(reader, record, lang))
        for record in english.scenarios:
            done = texts(root / record["_file"], copy.deepcopy(record), editions.TEXTS["scenario"])
            done["why_html"] = md(done["why"])
            edition.scenarios.append(done)
        questions = editions.keyed(copy.deepcopy(english.questions), "key")
        for question in questions.values():
            question["choices"] = editions.keyed(question["choices"], "value")
        questions = texts(Files(root).questions, questions, editions.TEXTS["questions"])
        edition.questions = [
            {**q, "choices": list(q["choices"].values())} for q in questions.values()
        ]
        for task in english.tasks:
            done = texts(root / task["_file"], copy.deepcopy(task), editions.TEXTS["task"])
            done["summary_html"] = md(done["summary"])
            for sample in done["samples"].values():
                path = root / sample["_file"] / "sample.yaml"
                sample.update(texts(path, {"note": sample["note"]}, editions.TEXTS["sample"]))
                sample["note_html"] = md(sample["note"])
            edition.tasks.append(done)
        edition.rules = texts(Files(root).rules, dict(english.rules), editions.TEXTS["rules"])
    finally:
        reader.facts = saved
    own = {path for path in Files(root).translations() if path.is_relative_to(root / lang)}
    for orphan in sorted(own - read):
        reader.problem(orphan, "(file)", "no English file has this path: rename or remove it")
    return edition


def _section_edition(reader: _Reader, record: dict[str, Any], lang: str) -> dict[str, Any]:
    """A guide part in an edition's words: its subheadings keep the English anchors, in order."""
    path = reader.root / record["_file"]
    twin = editions.twin(reader.root, path, lang)
    done: dict[str, Any] = copy.deepcopy(record)
    if not twin.is_file():
        reader.problem(twin, "(file)", f"missing: the {lang} text of {record['_file']}")
        return done
    meta, body = reader.front_matter(twin)
    meta = reader.resolve(meta, twin)

    def say(at: str, why: str) -> None:
        reader.problem(twin, at, why)

    done.update(editions.overlay(record, meta or {}, editions.TEXTS["section"], say))
    anchors = [heading["id"] for heading in record["headings"]]
    html, headings = editions.render(reader.resolve(body, twin), lang, anchors, done["title"])
    if len(headings) != len(anchors):
        say("(body)", f"has {len(headings)} subheadings (###), the English part {len(anchors)}")
        return done
    done["body_html"], done["headings"] = html, headings
    return done


def _read_frameworks(reader: _Reader, paths: list[Path]) -> list[dict[str, Any]]:
    records = []
    for path in paths:
        record = reader.validate(path, FrameworkSchema(), reader.yaml(path))
        if record:
            records.append({**record, "_file": reader.name(path)})
    reader.unique(records, "slug", "framework")
    return records


def _read_facts(reader: _Reader, path: Path) -> list[dict[str, Any]]:
    """Facts that age, each stated once, with its date and source; text cites them as {{id}}."""
    records: list[dict[str, Any]] = (
        reader.validate(path, FactSchema(), reader.yaml(path), many=True) or []
    )
    reader.unique([{**r, "_file": reader.name(path)} for r in records], "id", "fact")
    return records


def _framework_facts(frameworks: list[dict[str, Any]]) -> dict[str, str]:
    """Each framework's version block, citable as {{flask.version}} or {{django.min_python}}."""
    facts = {}
    for record in frameworks:
        version = record["version"]
        facts[f"{record['slug']}.version"] = version["current"]
        facts[f"{record['slug']}.min_python"] = version["min_python"]
    return facts


def _read_aspects(reader: _Reader, path: Path) -> list[dict[str, Any]]:
    records = reader.validate(path, AspectSchema(), reader.yaml(path), many=True) or []
    records = [{**reader.resolve(record, path), "_file": reader.name(path)} for record in records]
    reader.unique(records, "slug", "aspect")
    return records


def _read_sections(reader: _Reader, paths: list[Path]) -> list[dict[str, Any]]:
    records = []
    for path in paths:
        meta, body = reader.front_matter(path)
        record = reader.validate(path, SectionSchema(), meta)
        body = reader.resolve(body, path)
        if record:
            record["body_html"], record["headings"] = render_markdown(
                body, f"{record['slug']}-", label=record["title"]
            )
            records.append({**record, "_file": reader.name(path)})
    reader.unique(records, "slug", "section")
    return records


def _read_scenarios(reader: _Reader, paths: list[Path]) -> list[dict[str, Any]]:
    records = []
    for path in paths:
        record = reader.validate(path, ScenarioSchema(), reader.yaml(path))
        if record:
            reader.resolve(record, path)
            record["why_html"] = render_markdown(record["why"])[0]
            records.append({**record, "_file": reader.name(path)})
    reader.unique(records, "slug", "scenario")
    reader.unique(
        [{"slug": alias, "_file": r["_file"]} for r in records for alias in r["aliases"]]
        + [{"slug": r["slug"], "_file": r["_file"]} for r in records],
        "slug",
        "scenario slug or alias",
    )
    return records


def _read_questions(reader: _Reader, path: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = (
        reader.validate(path, QuestionSchema(), reader.yaml(path), many=True) or []
    )
    return [reader.resolve(record, path) for record in records]


def _read_samples(reader: _Reader, files: Files) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The lock and every task with its samples; the record of runs joins each sample."""
    if not files.sample_tasks:
        return {}, []
    lock, runs_file = files.samples / LOCK, files.samples / RUNS
    locked: dict[str, str] = {}
    try:
        locked = pins(files.samples) if lock.is_file() else {}
    except (OSError, ValueError) as error:
        reader.problem(lock, "(file)", str(error))
    if not locked:
        reader.problem(lock, "(file)", "no pins: run `flask samples lock`")
    runs = (reader.yaml(runs_file) if runs_file.is_file() else None) or {}
    if not isinstance(runs, dict):
        reader.problem(runs_file, "(file)", "must map each task to its frameworks' runs")
        runs = {}
    tasks = []
    for path in files.sample_tasks:
        folder = path.parent
        if re.match(SLUG_PATTERN, folder.name) is None:
            reader.problem(path, "(folder)", "use lowercase letters, digits and hyphens")
            continue
        record = reader.validate(path, SampleTaskSchema(), reader.yaml(path))
        if not record:
            continue
        record.update(
            slug=folder.name,
            summary_html=render_markdown(reader.resolve(record["summary"], path))[0],
            samples={},
            _file=reader.name(path),
        )
        task_runs = runs.get(folder.name) or {}
        if not isinstance(task_runs, dict):
            reader.problem(runs_file, folder.name, "must map each framework to its run")
            task_runs = {}
        # Folders of tools (.pytest_cache, __pycache__) are not samples.
        for sample in sorted(p for p in folder.iterdir() if p.is_dir() and p.name[0] not in "._"):
            found = _read_sample(reader, sample, record["lead"], task_runs)
            if found:
                record["samples"][sample.name] = found
        tasks.append(record)
    return locked, tasks


def _read_sample(
    reader: _Reader, folder: Path, lead: str, runs: dict[str, Any]
) -> dict[str, Any] | None:
    missing = [name for name in ("sample.yaml", *SAMPLE_CODE) if not (folder / name).is_file()]
    for name in missing:
        reader.problem(folder / name, "(file)", "missing")
    # The page publishes these files: a link could publish a file from anywhere on the host.
    linked = [name for name in SAMPLE_CODE if (folder / name).is_symlink()]
    for name in linked:
        reader.problem(folder / name, "(file)", "a symbolic link: put the file itself here")
    run = runs.get(folder.name)
    if run is None:
        reader.problem(folder, "(last run)", f"not in {RUNS}: run `flask samples run`")
    if missing or linked or run is None:
        return None
    meta = reader.validate(
        folder / "sample.yaml", SampleSchema(), reader.yaml(folder / "sample.yaml")
    )
    run = reader.validate(folder, SampleRunSchema(), run)
    if not meta or not run:
        return None
    run["packages"] = {normalise(name): version for name, version in run["packages"].items()}
    if run["code"] != code_digest(folder):
        reader.problem(
            folder, "(last run)", "changed since its test last ran: run `flask samples run`"
        )
        return None
    order = sorted(SAMPLE_CODE, key=lambda name: name != lead)
    try:
        texts = {name: reader.text(folder / name) for name in order}
    except (OSError, ValueError) as error:
        reader.problem(folder, "(file)", f"not readable as UTF-8 text: {error}")
        return None
    return {
        "files": [
            {"name": name, "text": text, "html": highlight_python(text)}
            for name, text in texts.items()
        ],
        "addons": [{**addon, "package": normalise(addon["package"])} for addon in meta["addons"]],
        "note": meta["note"],
        "note_html": render_markdown(reader.resolve(meta["note"], folder / "sample.yaml"))[0],
        "run": run,
        "_file": reader.name(folder),
    }


def _framework_slugs(content: Content) -> set[str]:
    return {record["slug"] for record in content.frameworks}


def _check_aspects(reader: _Reader, content: Content) -> None:
    """Each aspect has a value for every framework and for no other, and so has a capability's
    classification."""
    frameworks = _framework_slugs(content)
    for record in content.aspects:
        for field_name in ("values", "provided", "components"):
            given = record[field_name]
            if given is None:
                continue
            for slug in sorted(set(given) ^ frameworks):
                reason = "no such framework" if slug in given else "value missing"
                where = f"{record['slug']}.{field_name}.{slug}"
                reader.problem(reader.root / record["_file"], where, reason)
    covered = [record["need"] for record in content.aspects if record["need"]]
    for need in ANSWERS["needs"]:
        if covered.count(need) != 1:
            reader.problem(
                Files(reader.root).aspects, need, "every need is covered by exactly one row"
            )


def _check_sections(reader: _Reader, content: Content) -> None:
    """A part placed on a framework's page names a framework that exists, and at most one
    part is placed on each."""
    frameworks = _framework_slugs(content)
    placed: dict[str, str] = {}
    for record in content.sections:
        slug = record["framework"]
        if slug is None:
            continue
        path = reader.root / record["_file"]
        if slug not in frameworks:
            reader.problem(path, "framework", f"no framework {slug!r}")
        elif slug in placed:
            reader.problem(path, "framework", f"{slug!r} already carries {placed[slug]!r}")
        placed.setdefault(slug, record["slug"])


def _check_scenarios(reader: _Reader, content: Content) -> None:
    """Scenarios point at frameworks, scenarios and guide parts that exist."""
    frameworks = _framework_slugs(content)
    scenarios = {record["slug"] for record in content.scenarios}
    sections = {record["slug"] for record in content.sections}
    for record in content.scenarios:
        path = reader.root / record["_file"]
        for key in ("first", "runner_up"):
            if record[key] is not None and record[key] not in frameworks:
                reader.problem(path, key, f"no framework {record[key]!r}")
        if record["runner_up"] == record["first"]:
            reader.problem(path, "runner_up", "the runner-up must differ from the first choice")
        for slug in record["related"]:
            if slug not in scenarios or slug == record["slug"]:
                reader.problem(path, "related", f"no other scenario {slug!r}")
        if record["section"] not in sections:
            reader.problem(path, "section", f"no guide section {record['section']!r}")


def _check_questions(reader: _Reader, content: Content) -> None:
    """The questions cover the contract's vocabulary exactly, in order."""
    path = Files(reader.root).questions
    if not content.questions:
        return
    if [q["key"] for q in content.questions] != list(ANSWERS):
        reader.problem(path, "key", f"questions must be, in order: {', '.join(ANSWERS)}")
    for question in content.questions:
        key = question["key"]
        if question["required"] != (key in REQUIRED):
            reader.problem(path, f"{key}.required", f"must be {key in REQUIRED}")
        values = tuple(choice["value"] for choice in question["choices"])
        if values != ANSWERS.get(key, values):
            reader.problem(
                path, f"{key}.choices", f"values must be, in order: {', '.join(ANSWERS[key])}"
            )


def _check_samples(reader: _Reader, content: Content) -> None:
    """Every task is written for the same frameworks, each pinned at the version the guide
    shows; every add-on is pinned; each sample last passed against exactly those pins."""
    versions = {f["slug"]: f["version"]["current"] for f in content.frameworks}
    shown = [set(task["samples"]) for task in content.tasks]
    everywhere = set.union(*shown) if shown else set()
    for task in content.tasks:
        path = reader.root / task["_file"]
        for slug in sorted(everywhere - set(task["samples"])):
            reader.problem(path, slug, "no sample for this framework, which the other tasks have")
        for slug, sample in task["samples"].items():
            where = reader.root / sample["_file"]
            if slug not in versions:
                reader.problem(where, "(folder)", f"no framework {slug!r}")
                continue
            wanted = {}
            for package in sample_packages(slug, sample["addons"]):
                if package not in content.pins:
                    reader.problem(where, package, f"not pinned in {LOCK}")
                wanted[package] = content.pins.get(package)
            ran = sample["run"]["packages"]
            if ran != wanted:
                reader.problem(
                    where,
                    "(last run)",
                    f"ran against {ran}, the lock pins {wanted}: run `flask samples run`",
                )
    for slug in sorted(everywhere & set(versions)):
        pinned = content.pins.get(normalise(slug))
        if pinned != versions[slug]:
            reader.problem(
                reader.root / "samples" / LOCK,
                slug,
                f"pins {pinned}, the guide shows {versions[slug]}: the samples must run "
                "against the version the guide shows",
            )


def _check_benchmark(reader: _Reader, content: Content) -> None:
    """The figures name frameworks and sample tasks that exist, each series once."""
    if content.benchmark is None:
        return
    path = Files(reader.root).benchmarks
    frameworks = _framework_slugs(content)
    tasks = {task["slug"] for task in content.tasks}
    seen = set()
    for n, result in enumerate(content.benchmark["results"]):
        if result["framework"] not in frameworks:
            reader.problem(path, f"results.{n}.framework", f"no framework {result['framework']!r}")
        if result["task"] not in tasks:
            reader.problem(path, f"results.{n}.task", f"no sample task {result['task']!r}")
        series = (result["task"], result["framework"], result["server"])
        if series in seen:
            reader.problem(path, f"results.{n}", "measured twice")
        seen.add(series)


def decision_model(content: Content) -> DecisionModel:
    """What the engine reads from validated content files: the frameworks in page order and
    the coverage table."""
    return DecisionModel(
        frameworks=[f["slug"] for f in sorted(content.frameworks, key=lambda f: f["order"])],
        coverage={r["need"]: dict(r["provided"]) for r in content.aspects if r["need"]},
        outside={r["need"]: r["outside"] for r in content.aspects if r["need"] and r["outside"]},
        outside_with={r["need"]: r["outside_with"] for r in content.aspects if r["outside_with"]},
    )


def _check_presets(reader: _Reader, content: Content) -> None:
    """Each scenario's preset must give exactly the first choice and runner-up the matrix shows."""
    model = decision_model(content)
    for record in content.scenarios:
        result = recommend(record["preset"], model)
        if (result.framework, result.runner_up) != (record["first"], record["runner_up"]):
            reader.problem(
                reader.root / record["_file"],
                "preset",
                f"these answers lead to {result.framework!r} with runner-up "
                f"{result.runner_up!r}, not {record['first']!r} with {record['runner_up']!r}",
            )


def checked_dates(content: Content) -> list[tuple[str, dt.date]]:
    """Every checked-on date of the content, with where it is stated."""
    return [
        *((f"{r['_file']}: version.checked", r["version"]["checked"]) for r in content.frameworks),
        *((f"facts.yaml: {r['id']}", r["checked"]) for r in content.facts),
        *((f"{r['_file']}: checked", r["checked"]) for r in content.sections if r["checked"]),
    ]


def loaded_digest(session: Session) -> str | None:
    return session.scalar(select(ContentRevision.digest))


class Items(NamedTuple):
    """The content as rows to write, in page order."""

    frameworks: list[Framework]
    aspects: list[Aspect]
    sections: list[Section]
    scenarios: list[Scenario]
    questions: list[Question]
    tasks: list[SampleTask]


def _items(content: Content) -> Items:
    """The rows of content: English ones to write, or an edition's, whose words are kept."""
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
            version_released=version["released"],
            version_checked=version["checked"],
            min_python=version["min_python"],
            version_note=version["note"],
            licence=r["licence"],
            maintainer=r["maintainer"],
            release_model=r["release_model"],
            best_for=r["best_for"],
            think_twice=r["think_twice"],
            features=r["features"],
            strengths=r["strengths"],
            weaknesses=r["weaknesses"],
            fits=r["fits"],
            sources=r["sources"],
        )
    aspects = list(
        Aspect(
            slug=r["slug"],
            name=r["name"],
            position=position,
            values=[
                AspectValue(
                    framework=frameworks[slug],
                    text=text,
                    provided=(r["provided"] or {}).get(slug),
                    component=(r["components"] or {}).get(slug),
                )
                for slug, text in r["values"].items()
            ],
            need=r["need"],
            outside=r["outside"],
            outside_with=r["outside_with"],
        )
        for position, r in enumerate(content.aspects)
    )
    sections = list(
        Section(
            slug=r["slug"],
            title=r["title"],
            position=position,
            summary=r["summary"],
            include=r["include"],
            framework_slug=r["framework"],
            standalone=r["standalone"],
            checked=r["checked"],
            sources=r["sources"],
            body_html=r["body_html"],
            headings=r["headings"],
        )
        for position, r in enumerate(content.sections)
    )
    scenarios = list(
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
    questions = list(
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
    tasks = list(
        SampleTask(
            slug=r["slug"],
            title=r["title"],
            position=r["order"],
            summary_html=r["summary_html"],
            samples=[
                Sample(
                    framework=frameworks[slug],
                    position=frameworks[slug].position,
                    files=sample["files"],
                    addons=sample["addons"],
                    note_html=sample["note_html"],
                    ran_on=sample["run"]["ran"],
                    ran_python=sample["run"]["python"],
                    ran_packages=sample["run"]["packages"],
                )
                for slug, sample in r["samples"].items()
            ],
        )
        for r in content.tasks
    )
    return Items(list(frameworks.values()), aspects, sections, scenarios, questions, tasks)


def write_content(session: Session, content: Content) -> bool:
    """Replace the loaded content in one transaction; return False when it was already loaded."""
    editions_loaded = editions.edition_count(session) == 1 + len(content.editions)
    if loaded_digest(session) == content.digest and editions_loaded:
        if session.scalar(select(ContentItem.slug).limit(1)) is None:
            # Loaded before the change history existed: remember the items as they are.
            record_changes(session, content, dt.datetime.now(dt.UTC))
        session.commit()
        return False
    try:
        record_changes(session, content, dt.datetime.now(dt.UTC))
        for model in (
            BenchmarkRun,
            Sample,
            SampleTask,
            ScenarioAlias,
            Scenario,
            AspectValue,
            Aspect,
            Section,
            Question,
            Framework,
            Wording,
        ):
            session.execute(delete(model))
        session.execute(delete(ContentRevision))
        items = _items(content)
        session.add_all([item for part in items for item in part])
        for lang, edition in content.editions.items():
            session.add_all(editions.wording_rows(lang, *_items(edition)))
        session.add_all(
            editions.rule_rows(
                {DEFAULT: content.rules} | {lang: e.rules for lang, e in content.editions.items()}
            )
        )
        if content.benchmark is not None:
            session.add(BenchmarkRun(**content.benchmark))
        session.add(ContentRevision(digest=content.digest))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return True
