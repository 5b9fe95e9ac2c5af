"""Where the content files are, by kind, and the digest that identifies a set of them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from selector.content.editions import EDITIONS
from selector.content.sample_env import LOCK, RUNS
from selector.content.schemas import SAMPLE_CODE

DEFAULT_DIR = Path(__file__).parent / "files"


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
        """Every file of the other editions, for the digest. The translators' notes at an
        edition's root (GLOSSARY.md) are not content."""
        return sorted(
            path
            for lang in EDITIONS
            for path in (self.root / lang).rglob("*")
            if path.suffix in (".yaml", ".md")
            and path.is_file()
            and not (path.suffix == ".md" and path.parent == self.root / lang)
        )


def digest(root: Path) -> str:
    """The digest of every file a load reads under root, the editions' included."""
    files = Files(root)
    sha = hashlib.sha256()
    for path in [*files.all(), *files.translations()]:
        sha.update(path.relative_to(root).as_posix().encode())
        sha.update(b"\0")
        sha.update(path.read_bytes())
        sha.update(b"\0")
    return sha.hexdigest()
