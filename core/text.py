"""Text people type (titles, comments, display names), cleaned the same way in
every app before it is stored."""

import re
import unicodedata

# Control and invisible characters, and the bidirectional controls (embeddings,
# overrides, isolates, marks: U+202A..U+202E, U+2066..U+2069, U+200E/U+200F,
# U+061C) that make a title or a name read backwards or hide what it says.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)


def clean_text(text: str | None, *, single_line: bool = False) -> str:
    """Text as typed, minus control, invisible and direction-changing characters;
    line ends unified. Never HTML: pages and e-mails escape it when they show it."""
    text = unicodedata.normalize("NFC", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    if single_line:
        return " ".join(text.split())
    return re.sub(r"\n{3,}", "\n\n", text).strip()
