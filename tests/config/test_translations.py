"""French and Spanish are translated, not only marked: every string the code and
templates use is in a catalogue, translated, and compiled."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("fr", "es")


def catalogues(root: Path, language: str) -> list[Path]:
    return sorted(
        p
        for p in root.glob(f"**/locale/{language}/LC_MESSAGES/django.po")
        if ".venv" not in p.parts and ".local" not in p.parts
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated(language):
    problems = []
    for path in catalogues(ROOT, language):
        catalogue = polib.pofile(str(path))
        forms = re.search(r"nplurals=(\d+)", catalogue.metadata.get("Plural-Forms", ""))
        plural_forms = int(forms.group(1)) if forms else 2
        for entry in catalogue:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                problems.append(f"{path.relative_to(ROOT)}: fuzzy: {entry.msgid!r}")
            elif (
                entry.msgid_plural
                and sum(1 for i in range(plural_forms) if entry.msgstr_plural.get(i))
                != plural_forms
            ):
                # A missing form shows the English text for the counts it covers.
                problems.append(f"{path.relative_to(ROOT)}: plural forms: {entry.msgid!r}")
            elif not entry.translated():
                problems.append(f"{path.relative_to(ROOT)}: untranslated: {entry.msgid!r}")
    assert catalogues(ROOT, language), "no catalogue found"
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogues_match_their_sources(language):
    stale = []
    for path in catalogues(ROOT, language):
        mo_path = path.with_suffix(".mo")
        if not mo_path.exists():
            stale.append(f"{path.relative_to(ROOT)}: not compiled")
            continue
        source = {e.msgid: e.msgstr for e in polib.pofile(str(path)) if not e.msgid_plural}
        compiled = {e.msgid: e.msgstr for e in polib.mofile(str(mo_path)) if not e.msgid_plural}
        source.pop("", None)
        compiled.pop("", None)
        if source != compiled:
            stale.append(f"{path.relative_to(ROOT)}: .mo differs from .po (make messages)")
    assert stale == []


def test_no_string_is_missing_from_the_catalogues(tmp_path):
    """Extract every msgid from a copy of the tree and compare with the committed
    catalogues: a string marked for translation but never extracted is missing."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext (xgettext) is needed: apt-get install gettext")
    copy = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".local", ".git", "node_modules", "*.mo"),
        symlinks=True,
    )
    subprocess.run(
        [sys.executable, str(copy / "scripts" / "messages.py"), "--extract-only"],
        check=True,
        capture_output=True,
    )
    missing = []
    for language in LANGUAGES:
        for fresh in catalogues(copy, language):
            committed = ROOT / fresh.relative_to(copy)
            wanted = {e.msgid for e in polib.pofile(str(fresh))}
            have = {e.msgid for e in polib.pofile(str(committed))} if committed.exists() else set()
            missing += [f"{committed.relative_to(ROOT)}: {m!r}" for m in sorted(wanted - have)]
    assert missing == [], "run `make messages` and translate:\n" + "\n".join(missing)
