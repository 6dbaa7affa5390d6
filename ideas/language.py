"""Which of the platform's languages an idea is written in (py3langid, offline).

The identifier is restricted to the languages the platform speaks, and says
nothing ("") when it is not sure: a few words ("Ahorro", "Bonus") fit several
languages, and then the author's language, or the brand's, is the better guess.
"""

from __future__ import annotations

import functools
import re

# Below this probability (among the platform's languages) the guess is not used.
CONFIDENCE = 0.9
# Fewer letters than this say too little about a language.
MIN_LETTERS = 12


@functools.cache
def _identifier(languages: tuple[str, ...]):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(languages))
    return identifier


def detect_language(text: str, *, languages: tuple[str, ...]) -> str:
    """The code of the language of `text` among `languages`, or "" when unsure."""
    if len(re.findall(r"[^\W\d_]", text)) < MIN_LETTERS or not languages:
        return ""
    code, probability = _identifier(tuple(sorted(languages))).classify(text)
    return code if probability >= CONFIDENCE and code in languages else ""
