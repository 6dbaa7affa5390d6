"""core.text.clean_text: what every app stores of the text people type."""

import pytest

from core.text import clean_text

BIDI_CONTROLS = [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",  # embeddings, overrides, pop
    "\u2066", "\u2067", "\u2068", "\u2069",  # isolates
    "\u200e", "\u200f", "\u061c",  # marks
]  # fmt: skip


@pytest.mark.parametrize("control", BIDI_CONTROLS)
def test_direction_changing_characters_are_removed(control):
    assert clean_text(f"{control}gpj.exe{control} moc.", single_line=True) == "gpj.exe moc."
    assert clean_text(f"Línea{control} uno\nLínea dos") == "Línea uno\nLínea dos"


def test_letters_of_right_to_left_languages_stay():
    hebrew, arabic = "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627"
    assert clean_text(f"{hebrew} \u202e{arabic}", single_line=True) == f"{hebrew} {arabic}"


def test_controls_and_invisible_characters_go_line_ends_are_unified():
    assert clean_text("a\x00b\u200bc\ufeff\r\nd\r\n\r\n\r\n\r\ne") == "abc\nd\n\ne"
    assert clean_text("  uno \n dos\t", single_line=True) == "uno dos"
