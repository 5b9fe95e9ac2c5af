"""The Japanese edition's glossary: one term per concept, in the content and the catalog.
Each variant the glossary says not to use fails the suite wherever it appears."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from selector.content.paths import DEFAULT_DIR

EDITION = DEFAULT_DIR / "ja"
GLOSSARY = EDITION / "GLOSSARY.md"
CATALOG = (
    Path(__file__).resolve().parent.parent / "selector/translations/ja/LC_MESSAGES/messages.po"
)


def variants(glossary: str) -> dict[str, str]:
    """Each variant not to use -> the term to use instead, from the glossary's table."""
    found = {}
    for row in re.findall(r"^\|(.+)\|$", glossary.split("## 用語", 1)[1], re.MULTILINE):
        cells = [cell.strip() for cell in row.split("|")]
        if len(cells) == 4 and not cells[0].startswith(("---", "概念")):
            found.update(dict.fromkeys(re.findall(r"`([^`]+)`", cells[2]), cells[1]))
    return found


def texts(edition: Path, catalog: Path) -> list[tuple[str, str]]:
    """(where, text) for every line of the edition's content files and every translation."""
    lines = [
        (f"{path.relative_to(edition)}:{number}", line)
        for path in sorted(edition.rglob("*"))
        if path.suffix in (".md", ".yaml") and path != edition / GLOSSARY.name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
    ]
    with catalog.open("rb") as file:
        messages = read_po(file)
    return lines + [
        (f"{catalog.name}: {message.id!r}", text)
        for message in messages
        if message.id
        for text in ([message.string] if isinstance(message.string, str) else message.string)
    ]


def uses(edition: Path, catalog: Path, glossary: str) -> list[str]:
    listed = variants(glossary)
    return [
        f"{where}: 「{variant}」 (use 「{term}」)"
        for where, text in texts(edition, catalog)
        for variant, term in listed.items()
        if variant in text
    ]


def test_the_glossary_names_a_term_and_its_variants_for_each_concept():
    listed = variants(GLOSSARY.read_text(encoding="utf-8"))
    assert len(set(listed.values())) >= 10
    assert listed["サインイン"] == "ログイン"
    assert listed["あなた"].startswith("\N{FULLWIDTH LEFT PARENTHESIS}主語を省く")


def test_no_variant_the_glossary_lists_appears_in_the_japanese_edition():
    assert uses(EDITION, CATALOG, GLOSSARY.read_text(encoding="utf-8")) == []


def test_a_listed_variant_is_found_in_content_and_in_the_catalog(tmp_path):
    edition = tmp_path / "ja"
    (edition / "sections").mkdir(parents=True)
    (edition / "sections" / "01-part.md").write_text("前置き\nユーザーがサインインします。\n")
    catalog = tmp_path / "messages.po"
    catalog.write_text('msgid "Your answers"\nmsgstr "あなたの回答"\n', encoding="utf-8")
    glossary = GLOSSARY.read_text(encoding="utf-8")
    listed, found = variants(glossary), uses(edition, catalog, glossary)
    assert found == [
        "sections/01-part.md:2: 「サインイン」 (use 「ログイン」)",
        f"messages.po: 'Your answers': 「あなた」 (use 「{listed['あなた']}」)",
    ]
