"""Every string marked for translation, in a template or in Python, has an English entry.

The strings are extracted as `koers makemessages` does (Django's templatize for templates,
GNU xgettext with Django's keywords), into a temporary folder: the committed catalogue is
only read. A string missing from it, untranslated or fuzzy fails the test with its text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
# The keywords `makemessages` gives xgettext for the "django" domain.
KEYWORDS = [
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
]
TEMPLATE_SUFFIXES = (".html", ".txt")


def _sources(work: Path) -> list[Path]:
    """The Python files as they are and each template as the Python templatize makes of it."""
    files: list[Path] = []
    for path in sorted(ROOT.rglob("*")):
        if "migrations" in path.parts or "tests" in path.parts or not path.is_file():
            continue
        if path.suffix == ".py":
            files.append(path)
        elif path.suffix in TEMPLATE_SUFFIXES and "templates" in path.parts:
            target = work / f"{len(files)}{path.suffix}.py"
            target.write_text(templatize(path.read_text(encoding="utf-8"), origin=str(path)))
            files.append(target)
    return files


def extracted(work: Path) -> polib.POFile:
    return _xgettext(_sources(work), work)


def _xgettext(files: list[Path], work: Path) -> polib.POFile:
    listing = work / "files.txt"
    listing.write_text("\n".join(str(p) for p in files))
    result = subprocess.run(
        ["xgettext", "--language=Python", "--from-code=UTF-8", "--output=-", *KEYWORDS,
         f"--files-from={listing}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return polib.pofile(result.stdout)


def untranslated(found: polib.POFile, catalogue: polib.POFile) -> list[str]:
    missing = []
    for entry in found:
        if not entry.msgid:
            continue
        known = catalogue.find(entry.msgid, msgctxt=entry.msgctxt)
        translated = (
            known is not None
            and "fuzzy" not in known.flags
            and (all(known.msgstr_plural.values()) if entry.msgid_plural else known.msgstr)
        )
        if not translated:
            missing.append(entry.msgid)
    return missing


@pytest.fixture
def xgettext() -> None:
    if shutil.which("xgettext") is None:
        reason = "GNU gettext's xgettext is not installed (apt-get install gettext)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the translation test cannot run in CI: {reason}")
        pytest.skip(f"NOT RUN: {reason}")


def test_every_marked_string_has_an_english_translation(xgettext: None, tmp_path: Path) -> None:
    committed = CATALOGUE.read_bytes()

    missing = untranslated(extracted(tmp_path), polib.pofile(str(CATALOGUE)))

    assert missing == [], (
        f"{len(missing)} strings have no English in {CATALOGUE.relative_to(ROOT.parent)} "
        "(run koers makemessages -l en --no-obsolete, fill in each msgstr, then "
        "koers translations):\n" + "\n".join(missing)
    )
    assert CATALOGUE.read_bytes() == committed


def test_a_string_without_english_is_named(xgettext: None, tmp_path: Path) -> None:
    # Given a template with one translated and one new string, and a catalogue with the first
    template = tmp_path / "templates" / "page.html"
    template.parent.mkdir()
    template.write_text(
        '{% load i18n %}{% translate "Relaties" %} {% translate "Nieuw woord" %}'
        "{% blocktranslate count n=2 %}{{ n }} gift{% plural %}{{ n }} giften{% endblocktranslate %}"
    )
    catalogue = polib.POFile()
    catalogue.append(polib.POEntry(msgid="Relaties", msgstr="Relations"))
    catalogue.append(polib.POEntry(msgid="Nieuw woord", msgstr="New word", flags=["fuzzy"]))
    work = tmp_path / "work"
    work.mkdir()
    python = work / "page.py"
    python.write_text(templatize(template.read_text(), origin=str(template)))

    found = _xgettext([python], work)

    # Then the fuzzy one and the plural one without English are named, the translated one not
    assert untranslated(found, catalogue) == ["Nieuw woord", "%(n)s gift"]
