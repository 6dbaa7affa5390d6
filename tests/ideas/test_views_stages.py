"""What became of the ideas, in pages: the console's idea page (stage, labels,
owner, history), the bulk bar of the console's list (confirmed, all or
nothing, the selection kept after a refusal), and the public side (the stage
badge, the challenge page's "What became of the ideas")."""

import re

import pytest
from django_scopes import scope

from accounts.models import AuditEntry
from ideas import services
from ideas.models import Idea, IdeaLabel, Label

pytestmark = pytest.mark.django_db

S = Idea.Stage


def page_url(idea, action=""):
    return f"/console/moderation/ideas/{idea.public_id}/{action}"


def stage_of(idea):
    with scope(tenant=idea.tenant):
        return Idea.objects.get(pk=idea.pk).stage


def set_stage(idea, actor, stage, note="", **extra):
    with scope(tenant=idea.tenant):
        return services.idea_stage_set(idea=idea, actor=actor, stage=stage, note=note, **extra)


def test_who_changes_what_became_of_an_idea(
    ing, owner, admin, moderator, juror, pat, stranger, submit, client_for
):
    idea = submit()
    for person in (owner, admin):
        response = client_for(ing, person).post(page_url(idea, "stage/"), {"stage": "selected"})
        assert response.status_code == 302
    assert stage_of(idea) == S.SELECTED
    # A moderator sees the stage on the idea's page, without the forms, and may not change it.
    client = client_for(ing, moderator)
    page = client.get(page_url(idea)).content.decode()
    assert "What became of it" in page and "Selected" in page
    assert 'action="/console/moderation/ideas/' + str(idea.public_id) + '/stage/"' not in page
    expected = {moderator: 403, juror: 403, pat: 404, stranger: 404}
    for person, status in expected.items():
        client = client_for(ing, person)
        for action, data in [
            ("stage/", {"stage": "in_development"}),
            ("labels/", {"name": "Ahorro"}),
            ("owner/", {"owner": str(owner.public_id)}),
        ]:
            assert client.post(page_url(idea, action), data).status_code == status, (person, action)
    response = client_for(ing).post(page_url(idea, "stage/"), {"stage": "in_development"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert stage_of(idea) == S.SELECTED
    with scope(tenant=ing):
        assert not IdeaLabel.objects.exists()
        assert Idea.objects.get(pk=idea.pk).owner is None


def test_the_idea_page_sets_stage_labels_and_owner_and_shows_the_history(
    ing, owner, moderator, submit, client_for
):
    idea = submit(title="Redondea tus compras")
    client = client_for(ing, owner)
    response = client.post(page_url(idea, "stage/"), {"stage": "under_review"}, follow=True)
    assert "Stage of “Redondea tus compras”: Under review." in response.content.decode()
    client.post(page_url(idea, "labels/"), {"name": "Ahorro", "colour": "green"})
    client.post(page_url(idea, "owner/"), {"owner": str(moderator.public_id)})
    client.post(page_url(idea, "stage/"), {"stage": "selected"})
    page = client.get(page_url(idea)).content.decode()
    assert '<span class="label-chip label-green">Ahorro</span>' in page
    assert f'<option value="{moderator.public_id}" selected>' in page
    history = page.split("Stage history", 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", history
    )
    assert rows == [
        (owner.public_name, "Under review", "Selected"),
        (owner.public_name, "No stage", "Under review"),
    ]
    # The next moves offered follow the table.
    assert re.findall(r'<option value="(\w+)"', page.split('id="stage-next"', 1)[1])[:3] == [
        "in_development",
        "declined",
        "under_review",
    ]
    label_id = re.search(r'name="label" value="([0-9a-f-]+)"', page).group(1)
    client.post(page_url(idea, "labels/"), {"label": label_id, "remove": "1"})
    with scope(tenant=ing):
        assert not IdeaLabel.objects.filter(idea=idea).exists()


def test_a_refused_move_says_why_and_changes_nothing(ing, owner, submit, client_for):
    idea = submit(title="Redondea tus compras")
    client = client_for(ing, owner)
    response = client.post(page_url(idea, "stage/"), {"stage": "launched"})
    assert response.status_code == 400
    assert (
        "“Redondea tus compras” cannot go from No stage to Launched." in response.content.decode()
    )
    response = client.post(page_url(idea, "stage/"), {"stage": "declined", "note": ""})
    assert response.status_code == 400
    assert "Say why the idea is declined" in response.content.decode()
    assert stage_of(idea) == S.NONE
    with scope(tenant=ing):
        assert not AuditEntry.objects.filter(action="idea.stage").exists()


def test_the_idea_page_speaks_french(ing, owner, submit, client_for):
    idea = submit()
    set_stage(idea, owner, S.SELECTED)
    page = client_for(ing, owner, language="fr").get(page_url(idea)).content.decode()
    assert "Ce qu&#x27;elle est devenue" in page or "Ce qu'elle est devenue" in page
    assert "Sélectionnée" in page and "Historique des étapes" in page


# --- The bulk bar ---------------------------------------------------------------------------------


def bulk(client, ideas, **data):
    return client.post(
        "/console/moderation/bulk/?status=published",
        {"ideas": [str(i.public_id) for i in ideas], **data},
    )


def test_bulk_asks_first_then_moves_every_idea(ing, owner, submit, client_for):
    ideas = [submit(title=f"Idea número {n}") for n in range(3)]
    client = client_for(ing, owner)
    queue = client.get("/console/moderation/?status=published").content.decode()
    assert "What became of the selected ideas" in queue
    asked = bulk(client, ideas, change="stage", stage="selected")
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Move 3 ideas to “Selected”?" in page and "Idea número 2" in page
    assert all(stage_of(i) == S.NONE for i in ideas)  # nothing before the confirmation
    done = bulk(client, ideas, change="stage", stage="selected", confirmed="yes")
    assert done.status_code == 302 and done["Location"] == "/console/moderation/?status=published"
    assert all(stage_of(i) == S.SELECTED for i in ideas)
    page = client.get(done["Location"]).content.decode()
    assert "3 ideas moved to Selected." in page
    again = bulk(
        client,
        [*ideas[:2], submit(title="Otra")],
        change="stage",
        stage="selected",
        confirmed="yes",
    )
    assert (
        "1 idea moved to Selected. 2 were there already."
        in client.get(again["Location"]).content.decode()
    )


def test_a_bulk_refusal_keeps_the_selection_and_changes_nothing(ing, owner, submit, client_for):
    ideas = [submit(title=f"Idea número {n}") for n in range(3)]
    set_stage(ideas[2], owner, S.SELECTED)
    set_stage(ideas[2], owner, S.IN_DEVELOPMENT)
    set_stage(ideas[2], owner, S.LAUNCHED)
    client = client_for(ing, owner)
    for data in (
        {"change": "stage", "stage": "under_review"},  # refused at the question
        {"change": "stage", "stage": "under_review", "confirmed": "yes"},  # and at the answer
        {"change": "stage", "stage": "declined", "note": ""},
    ):
        response = bulk(client, ideas, **data)
        assert response.status_code == 400
        page = response.content.decode()
        assert 'role="alert"' in page
        for idea in ideas:
            assert f'value="{idea.public_id}" checked' in page
    assert (
        "“Idea número 2” cannot go from Launched to Under review."
        in bulk(client, ideas, change="stage", stage="under_review").content.decode()
    )
    assert [stage_of(i) for i in ideas] == [S.NONE, S.NONE, S.LAUNCHED]
    nothing = bulk(client, [], change="stage", stage="selected")
    assert nothing.status_code == 400 and "Choose at least one idea." in nothing.content.decode()


def test_bulk_adds_a_label_and_sets_the_owner(ing, owner, moderator, submit, client_for):
    ideas = [submit(title=f"Idea número {n}") for n in range(2)]
    with scope(tenant=ing):
        label = services.label_create(tenant=ing, actor=owner, name="Ahorro", colour="teal")
    client = client_for(ing, owner)
    asked = bulk(client, ideas, change="label", label=str(label.public_id)).content.decode()
    assert "Add the label “Ahorro” to 2 ideas?" in asked
    done = bulk(client, ideas, change="label", label=str(label.public_id), confirmed="yes")
    assert "Label “Ahorro” added to 2 ideas." in client.get(done["Location"]).content.decode()
    done = bulk(client, ideas, change="owner", owner=str(moderator.public_id), confirmed="yes")
    page = client.get(done["Location"]).content.decode()
    assert f"2 ideas given to {moderator.public_name}." in page
    assert page.count('<span class="label-chip label-teal">Ahorro</span>') == 2
    with scope(tenant=ing):
        assert IdeaLabel.objects.filter(label=label).count() == 2
        assert set(Idea.objects.values_list("owner", flat=True)) == {moderator.pk}
    refused = bulk(client, ideas, change="owner", owner=str(ing.public_id), confirmed="yes")
    assert refused.status_code == 400
    assert "Choose someone on the brand&#x27;s team." in refused.content.decode()


def test_the_bulk_bar_is_for_owners_and_administrators(
    ing, moderator, juror, pat, stranger, submit, client_for
):
    idea = submit()
    page = client_for(ing, moderator).get("/console/moderation/?status=published")
    assert "What became of the selected ideas" not in page.content.decode()
    for person, status in {moderator: 403, juror: 403, pat: 404, stranger: 404}.items():
        response = bulk(
            client_for(ing, person), [idea], change="stage", stage="selected", confirmed="yes"
        )
        assert response.status_code == status
    assert stage_of(idea) == S.NONE


def test_the_list_filters_by_stage_and_label(ing, owner, submit, client_for):
    chosen, other = submit(title="Elegida"), submit(title="Olvidada")
    set_stage(chosen, owner, S.SELECTED)
    with scope(tenant=ing):
        services.ideas_label_add(ideas=[other], actor=owner, name="Ahorro")
        label = other.label_links.get().label
    client = client_for(ing, owner)
    page = client.get("/console/moderation/?status=published&stage=selected").content.decode()
    assert "Elegida" in page and "Olvidada" not in page
    page = client.get(f"/console/moderation/?status=all&label={label.public_id}").content.decode()
    assert "Olvidada" in page and "Elegida" not in page


# --- The public side ------------------------------------------------------------------------------


def test_the_challenge_page_shows_what_became_of_the_ideas(ing, owner, genios, submit, client_for):
    challenge = f"/challenges/{genios.slug}/"
    ideas = {name: submit(title=name) for name in ("Lanzada", "Elegida", "Rechazada", "Callada")}
    client = client_for(ing)
    assert "What became of the ideas" not in client.get(challenge).content.decode()
    set_stage(ideas["Elegida"], owner, S.UNDER_REVIEW)
    assert "What became of the ideas" not in client.get(challenge).content.decode()
    set_stage(ideas["Elegida"], owner, S.SELECTED)
    for stage in (S.SELECTED, S.IN_DEVELOPMENT, S.LAUNCHED):
        set_stage(ideas["Lanzada"], owner, stage)
    set_stage(ideas["Rechazada"], owner, S.DECLINED, note="Ya existe.", note_shown=True)
    set_stage(ideas["Callada"], owner, S.DECLINED, note="Fuera del reto.")
    with scope(tenant=ing):
        services.ideas_label_add(ideas=[ideas["Elegida"]], actor=owner, name="Secreto interno")
    page = client.get(challenge).content.decode()
    section = page.split('id="outcomes-title"', 1)[1].split("</section>", 1)[0]
    found = re.findall(r'stage-(\w+)">|<a href="/ideas/[^"]+/">([^<]+)</a>', section)
    assert [stage or title for stage, title in found] == [
        "launched",
        "Lanzada",
        "selected",
        "Elegida",
        "declined",
        "Rechazada",
    ]
    assert "Ya existe." in section and "Fuera del reto." not in page
    assert "Secreto interno" not in page


def test_the_section_costs_the_same_queries_for_one_or_many_ideas(
    ing, owner, genios, submit, client_for, django_assert_max_num_queries
):
    challenge = f"/challenges/{genios.slug}/"
    first = submit(title="Primera")
    set_stage(first, owner, S.SELECTED)
    client = client_for(ing)
    client.get(challenge)
    with django_assert_max_num_queries(200) as one:
        client.get(challenge)
    for n in range(14):
        idea = submit(title=f"Idea número {n}")
        set_stage(idea, owner, S.SELECTED if n % 2 else S.DECLINED, note="No.", note_shown=True)
    client.get(challenge)
    with django_assert_max_num_queries(200) as many:
        page = client.get(challenge).content.decode()
    assert len(many.captured_queries) == len(one.captured_queries)
    assert page.count('class="outcome"') == 6 + 6  # six a stage at most: 8 selected, 7 declined


def test_the_stage_shows_on_the_idea_page_the_gallery_card_and_my_ideas(
    ing, owner, pat, genios, submit, client_for
):
    idea = submit(title="Redondea tus compras")
    set_stage(idea, owner, S.DECLINED, note="Ya existe en la app.")
    client = client_for(ing)
    page = client.get(f"/ideas/{idea.public_id}/").content.decode()
    assert '<span class="badge stage-badge stage-declined">Declined</span>' in page
    assert "Ya existe en la app." in page
    gallery = client.get(f"/challenges/{genios.slug}/ideas/").content.decode()
    assert '<span class="badge stage-badge stage-declined">Declined</span>' in gallery
    spanish = client_for(ing, language="es").get(f"/ideas/{idea.public_id}/").content.decode()
    assert ">Descartada</span>" in spanish
    mine = client_for(ing, pat).get("/ideas/mine/").content.decode()
    assert "stage-declined" in mine and "Ya existe en la app." in mine


# --- The brand's labels ---------------------------------------------------------------------------


def test_the_labels_page_lists_creates_and_deletes_after_asking(
    ing, owner, moderator, juror, pat, stranger, submit, client_for
):
    idea = submit()
    client = client_for(ing, owner)
    created = client.post("/console/moderation/labels/", {"name": "Ahorro", "colour": "purple"})
    assert created.status_code == 302
    twice = client.post("/console/moderation/labels/", {"name": "ahorro", "colour": "grey"})
    assert twice.status_code == 400
    assert "A label named “ahorro” exists already." in twice.content.decode()
    with scope(tenant=ing):
        label = Label.objects.get()
        services.ideas_label_add(ideas=[idea], actor=owner, label=label)
    page = client_for(ing, moderator).get("/console/moderation/labels/").content.decode()
    assert '<span class="label-chip label-purple">Ahorro</span>' in page
    assert f'label={label.public_id}">1</a>' in page and "Delete “Ahorro”" not in page
    delete = f"/console/moderation/labels/{label.public_id}/delete/"
    for person, status in {moderator: 403, juror: 403, pat: 404, stranger: 404}.items():
        assert client_for(ing, person).post(delete).status_code == status
        assert (
            client_for(ing, person)
            .post("/console/moderation/labels/", {"name": "Otra"})
            .status_code
            == status
        )
    assert client_for(ing).post(delete).status_code == 302  # to sign in
    asked = client.get(delete).content.decode()
    assert "Delete the label “Ahorro”?" in asked and "It leaves the 1 idea that wears it." in asked
    assert client.post(delete).status_code == 302
    with scope(tenant=ing):
        assert not IdeaLabel.objects.exists()
