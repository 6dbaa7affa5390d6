"""Search that never loses an idea: each idea indexed in its own language,
accents ignored, the index rebuilt when the brand's language changes."""

import re

import pytest
from django.db import connection
from django_scopes import scope

from campaigns import services as campaign_services
from ideas.models import Idea
from tenants import services as tenant_services

GALLERY = "/challenges/genios-del-ahorro/ideas/"
SIMILAR = "/challenges/genios-del-ahorro/ideas/similar/"


def gallery_titles(client, q: str) -> list[str]:
    page = client.get(GALLERY, {"q": q}).text
    return re.findall(r'class="idea-card-title" id="[^"]+"[^>]*>([^<]+)<', page)


def indexed_in(idea: Idea, config: str) -> bool:
    """Whether the stored vector is the one `config` makes of the idea's text."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector = setweight(to_tsvector(%s::regconfig, search_fold(title)), 'A')"
            " || setweight(to_tsvector(%s::regconfig, search_fold(array_to_string(tags, ' '))),"
            " 'A') || setweight(to_tsvector(%s::regconfig, search_fold(body)), 'B')"
            " FROM ideas_idea WHERE id = %s",
            [config, config, config, idea.pk],
        )
        return cursor.fetchone()[0]


def test_each_idea_is_indexed_in_the_language_it_is_written_in(submit, ing):
    french = submit(title="Arrondir ses achats", body="Chaque achat est arrondi à l'euro près.")
    english = submit(title="Round up your shopping", body="Every purchase goes to the next euro.")
    spanish = submit(title="Redondea tus compras", body="Cada compra se redondea al euro.")
    terse = submit(title="Huchas", body="Huchas.")
    assert (french.language, english.language, spanish.language) == ("fr", "en", "es")
    assert terse.language == ""  # too short to tell: the brand's language stands in
    with scope(tenant=ing):
        assert indexed_in(french, "french") and indexed_in(english, "english")
        assert indexed_in(spanish, "spanish") and indexed_in(terse, "spanish")


def test_an_edit_detects_the_language_again(submit, ing, pat):
    from ideas import services

    idea = submit(title="Redondea tus compras", body="Cada compra se redondea al euro.")
    with scope(tenant=ing):
        idea = services.idea_update(
            idea=idea,
            actor=pat,
            title="Arrondir ses achats",
            body="Chaque achat est arrondi à l'euro près.",
        )
        assert Idea.objects.get(pk=idea.pk).language == "fr"
        assert indexed_in(idea, "french")


# The Spanish stemmer drops accents itself: the Spanish cases passed before the
# accents were folded; the French and English ones did not.
ACCENTS = [
    # language, the idea's title and text, what someone types without (or with other) accents
    ("fr", "Économiser chaque hiver", "Éteindre les écrans, couper l'électricité.", "economiser"),
    ("fr", "Économiser chaque hiver", "Éteindre les écrans, couper l'électricité.", "electricite"),
    ("es", "Un ahorro fácil", "Menús económicos para toda la semana.", "menus economicos"),
    ("es", "Un ahorro fácil", "Menús económicos para toda la semana.", "ahórro facil"),
    ("en", "Café savings", "Brew your coffee at home: a naïve trick that adds up.", "cafe saving"),
    ("en", "Café savings", "Brew your coffee at home: a naïve trick that adds up.", "naive"),
]


def speaking(tenant, language: str):
    """The brand's language is the idea's, as most brands' ideas are."""
    tenant_services.tenant_update(
        tenant=tenant, languages=["fr", "es", "en"], default_language=language
    )


@pytest.mark.parametrize(("language", "title", "body", "typed"), ACCENTS)
def test_a_word_typed_without_accents_finds_the_idea_in_the_gallery(
    submit, client_for, ing, language, title, body, typed
):
    speaking(ing, language)
    submit(title=title, body=body)
    submit(title="Baja la calefacción", body="Un grado menos cada noche.")
    assert gallery_titles(client_for(ing), typed) == [title]


@pytest.mark.parametrize(("language", "title", "body", "typed"), ACCENTS)
def test_a_word_typed_without_accents_finds_the_similar_idea(
    submit, client_for, ing, language, title, body, typed
):
    speaking(ing, language)
    submit(title=title, body=body)
    submit(title="Baja la calefacción", body="Un grado menos cada noche.")
    fragment = client_for(ing).get(SIMILAR, {"title": typed}).text
    assert title in fragment and "calefacción" not in fragment


@pytest.mark.django_db(transaction=True)
def test_search_still_finds_an_idea_after_the_brand_changes_its_language(
    submit, client_for, ing, owner, drain
):
    # Too short to tell its language: it is indexed in the brand's (Spanish)...
    idea = submit(title="Huchas", body="Huchas rosas.")
    with scope(tenant=ing):
        assert idea.language == "" and indexed_in(idea, "spanish")
        assert not indexed_in(idea, "english")  # "huchas": "huch" in Spanish, "hucha" in English
        campaign_services.brand_update(
            tenant=ing, actor=owner, languages=["es", "en"], default_language="en"
        )
    drain()  # the reindex queued by the change has run
    with scope(tenant=ing):
        assert indexed_in(idea, "english")  # ...and follows the brand's language when it changes
    client = client_for(ing)
    assert gallery_titles(client, "huchas") == ["Huchas"]
    assert gallery_titles(client, "rosas") == ["Huchas"]


def test_a_change_other_than_the_language_queues_no_reindex(
    ing, owner, django_capture_on_commit_callbacks
):
    with scope(tenant=ing), django_capture_on_commit_callbacks() as callbacks:
        campaign_services.brand_update(tenant=ing, actor=owner, name="ING")
    assert callbacks == []
    with scope(tenant=ing), django_capture_on_commit_callbacks() as callbacks:
        campaign_services.brand_update(
            tenant=ing, actor=owner, languages=["es", "en"], default_language="en"
        )
    assert [c.func.__self__.name for c in callbacks] == ["ideas.tasks.search_reindex"]
