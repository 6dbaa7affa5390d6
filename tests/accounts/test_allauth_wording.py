"""allauth's sentences shown to people speak with *tú* in Spanish, as the rest of
Ruche does (templates/allauth_wording.txt, overridden in locale/)."""

import re
from pathlib import Path

import allauth
import polib
import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def _listed() -> list[str]:
    """The msgids templates/allauth_wording.txt gives the catalogues."""
    text = (ROOT / "templates" / "allauth_wording.txt").read_text()
    single = re.findall(r'\{% translate "([^"]+)" %\}', text)
    blocks = re.findall(r"\{% blocktranslate %\}(.+?)\{% endblocktranslate %\}", text)
    return single + [re.sub(r"\{\{ (\w+) \}\}", r"%(\1)s", block) for block in blocks]


ALLAUTH_MESSAGES = _listed()

ALLAUTH_ES = polib.pofile(str(Path(allauth.__file__).parent / "locale/es/LC_MESSAGES/django.po"))
USTED = ("usted", " su ", " Su ", "Ha ", "Ingrese", "Introduzca", "Solicite", "Verifique")


def test_every_override_is_still_an_allauth_sentence():
    assert len(ALLAUTH_MESSAGES) == 27
    allauth_ids = {entry.msgid for entry in ALLAUTH_ES}
    assert [m for m in ALLAUTH_MESSAGES if m not in allauth_ids] == []


@pytest.mark.parametrize("message", ALLAUTH_MESSAGES)
def test_spanish_says_tu(message):
    with translation.override("es"):
        spanish = translation.gettext(message)
    assert spanish != message
    assert not any(word in f" {spanish}" for word in USTED), spanish


@pytest.mark.parametrize(
    ("template", "context", "expected"),
    [
        ("account/messages/logged_out.txt", {}, "Has cerrado sesión."),
        (
            "account/messages/login_code_sent.txt",
            {"recipient": "ana@example.com"},
            "Te hemos enviado un código de inicio de sesión a ana@example.com.",
        ),
        (
            "account/email/login_code_message.txt",
            {"code": "ABC123", "current_site": None},
            "Aquí tienes tu código de inicio de sesión.",
        ),
    ],
)
def test_allauths_rendered_messages_in_spanish(template, context, expected):
    with translation.override("es"):
        assert expected in render_to_string(template, context)


@pytest.mark.django_db
def test_the_sign_out_message_in_spanish(ing, participant, client_for):
    client = client_for(ing, participant)
    response = client.post("/accounts/logout/", follow=True)
    texts = [str(m) for m in get_messages(response.wsgi_request)] or [response.text]
    assert any("Has cerrado sesión." in text for text in texts), texts
