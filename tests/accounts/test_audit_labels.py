"""Audit action codes read as words, translated, with the code itself for one
without a label."""

import pytest
from django.utils import translation

from accounts.audit_labels import ACTION_LABELS, action_label
from accounts.models import AuditEntry


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Submitted"), ("fr", "Proposée"), ("es", "Enviada")],
)
def test_an_action_reads_as_words_in_each_language(language, expected):
    with translation.override(language):
        assert action_label("idea.submit") == expected
        assert AuditEntry(action="idea.submit").action_label == expected


def test_an_unknown_code_shows_as_itself():
    assert action_label("idea.something_new") == "idea.something_new"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_label_is_translated(language):
    with translation.override("en"):
        english = {code: str(label) for code, label in ACTION_LABELS.items()}
    with translation.override(language):
        same = [code for code, label in ACTION_LABELS.items() if str(label) == english[code]]
    assert same == []
