"""French elision before a name: "Les défis d'Auchan", "l'équipe d'Hermès", but
"Les défis de Decathlon".

Catalogues write "de %(name)s" because the translator cannot know the name; the
sentence is translated first, then `elide` joins the article or preposition to a
name that starts with a vowel or a mute h. Other languages are left as they are.
"""

import re

from django.utils import translation

# A name read with a vowel first: vowels (accented or not) and a mute h.
_VOWEL_START = re.compile(r"[aeiouhàâäéèêëîïôöûüœæ]", re.IGNORECASE)
_ELIDING = {"de": "d'", "De": "D'", "le": "l'", "Le": "L'", "la": "l'", "La": "L'"}
_ELIDING.update({"que": "qu'", "Que": "Qu'"})


def starts_with_vowel_sound(name: str) -> bool:
    return bool(name) and bool(_VOWEL_START.match(name.strip()))


def fr_de(name: str) -> str:
    """ "de" + name, elided: fr_de("Auchan") → "d'Auchan", fr_de("Decathlon") →
    "de Decathlon"."""
    return f"d'{name}" if starts_with_vowel_sound(name) else f"de {name}"


def elide(text: str, name: str, language: str | None = None) -> str:
    """`text` (already translated) with "de/le/la/que <name>" elided in French."""
    language = (language or translation.get_language() or "")[:2]
    if language != "fr" or not name or not starts_with_vowel_sound(name):
        return text
    pattern = re.compile(r"\b(" + "|".join(_ELIDING) + r") (" + re.escape(str(name)) + r")")
    # Only a space becomes an apostrophe: text that was safe HTML stays safe (the
    # template filter keeps its mark).
    return pattern.sub(lambda m: _ELIDING[m.group(1)] + m.group(2), str(text))
