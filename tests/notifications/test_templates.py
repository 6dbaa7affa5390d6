"""Every e-mail template renders in French, Spanish and English, and no string it
shows is missing from the translation catalogues."""

from contextlib import contextmanager

import pytest
from django.utils import translation
from django.utils.translation import trans_real
from django_scopes import scope

from notifications import services
from notifications.emails import _digest_parts, render_event_email
from notifications.events import all_events, in_app_text

pytestmark = pytest.mark.django_db

EVENTS = [event.name for event in all_events()]
LANGUAGES = ["fr", "es", "en"]


class MissRecorder:
    """Wraps the active translation and notes every msgid it has no entry for."""

    def __init__(self, real):
        self.real = real
        self.missing = set()

    def gettext(self, message):
        if message not in self.real._catalog:
            self.missing.add(message)
        return self.real.gettext(message)

    def ngettext(self, singular, plural, number):
        try:
            self.real._catalog.plural(singular, number)
        except KeyError:
            self.missing.add(singular)
        return self.real.ngettext(singular, plural, number)

    def __getattr__(self, name):
        return getattr(self.real, name)


@contextmanager
def recording_misses(language):
    with translation.override(language):
        real = trans_real._active.value
        recorder = MissRecorder(real)
        trans_real._active.value = recorder
        try:
            yield recorder
        finally:
            trans_real._active.value = real


def _check(language, recorder, *parts):
    for part in parts:
        assert part.strip()
        assert "{{" not in part and "{%" not in part and "%(" not in part
    if language != "en":  # English is the source language: nothing to look up
        assert recorder.missing == set(), f"untranslated in {language}: {recorder.missing}"


# The events the platform promises; apps may register more of their own.
PROMISED_EVENTS = {
    "idea.approved", "idea.rejected", "idea.hidden", "comment.on_my_idea", "comment.reply",
    "idea.shortlisted", "idea.won", "round.results", "payout.requested", "payout.approved",
    "payout.paid", "payout.failed", "jury.shortlist_ready", "jury.deadline_reminder",
    "jury.jurors_late", "team.invitation", "moderation.queue_waiting", "account.sign_in_code",
}  # fmt: skip


def test_every_event_declares_an_example_with_its_required_context():
    assert set(EVENTS) >= PROMISED_EVENTS
    for event in all_events():
        assert set(event.required) <= set(event.example), event.name


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("event_name", EVENTS)
def test_every_event_email_renders_translated(ing, participant, event_name, language):
    event = next(e for e in all_events() if e.name == event_name)
    with scope(tenant=ing), recording_misses(language) as recorder:
        subject, text, html, unsubscribe_url = render_event_email(
            event_name, ing, participant, dict(event.example)
        )
        bell = in_app_text(event_name, event.example)
    _check(language, recorder, subject, text, html, bell)
    assert f'lang="{language}"' in html
    assert "\n" not in subject
    assert bool(unsubscribe_url) is not event.transactional
    if language != "en":
        with translation.override("en"):
            english, *_rest = render_event_email(event_name, ing, participant, event.example)
        assert subject != english


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["daily", "weekly"])
def test_digest_emails_render_translated(ing, participant, language, kind):
    from datetime import timedelta

    from django.utils import timezone

    with scope(tenant=ing):
        services.preference_set(
            tenant=ing, user=participant, event="comment.on_my_idea", delivery=kind
        )
        services.preference_set(
            tenant=ing, user=participant, event="jury.jurors_late", delivery=kind
        )
    for event_name in ("comment.on_my_idea", "jury.jurors_late"):
        event = next(e for e in all_events() if e.name == event_name)
        services.notify(
            recipient=participant, event=event_name, tenant=ing, context=dict(event.example)
        )
    [digest] = services.digests_build(now=timezone.now() + timedelta(days=8))
    with scope(tenant=ing), recording_misses(language) as recorder:
        subject, text, html, _url = _digest_parts(digest)
    _check(language, recorder, subject, text, html)
    assert "Marc D." in text and "Semana 2" in text


def test_the_recorder_notices_an_untranslated_string():
    from django.template import Context, Template

    template = Template('{% load i18n %}{% translate "A sentence nobody translated" %}')
    with recording_misses("fr") as recorder:
        template.render(Context())
    assert recorder.missing == {"A sentence nobody translated"}


REASON_EVENTS = [e.name for e in all_events() if "reason" in e.required]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("event_name", REASON_EVENTS)
def test_the_bell_says_the_reason_the_email_gives(event_name, language):
    """A moderator's (or the bank's) reason is in the in-app notice, not only in the e-mail."""
    event = next(e for e in all_events() if e.name == event_name)
    with recording_misses(language) as recorder:
        bell = in_app_text(event_name, event.example)
    _check(language, recorder, bell)
    assert event.example["reason"] in bell
    assert {"fr": "Motif : ", "es": "Motivo: ", "en": "Reason: "}[language] in bell


def test_the_hidden_ideas_notice_in_the_inbox_carries_the_reason(ing, participant, client_for):
    services.notify(
        recipient=participant,
        event="idea.hidden",
        tenant=ing,
        context={
            "idea_title": "Redondea",
            "reason": "Publicidad encubierta",
            "url": "/ideas/mine/",
        },
    )
    page = client_for(ing, participant).get("/notifications/").text
    assert "Tu idea «Redondea» ha sido ocultada. Motivo: Publicidad encubierta" in page
