"""What became of an idea: its stage moves along the declared table only, all
or nothing when many move at once, every change audited; the author and the
followers are told in their language (not of labels or owners); the brand's
webhooks hear of it; labels and owners stay the team's business."""

import pytest
from django.core import mail
from django.utils import translation
from django_scopes import scope

from accounts.models import AuditEntry
from campaigns.models import Campaign
from core.errors import NotAllowed
from ideas import services
from ideas.models import Idea, IdeaLabel, Label
from integrations import services as webhook_services
from integrations.models import WebhookDelivery
from notifications import services as notification_services
from notifications.events import in_app_text
from notifications.models import DeliveryMode, Notification

pytestmark = pytest.mark.django_db

S = Idea.Stage
# A way to reach each stage from "none" through allowed moves.
PATH = {
    S.NONE: [],
    S.UNDER_REVIEW: [S.UNDER_REVIEW],
    S.SELECTED: [S.SELECTED],
    S.IN_DEVELOPMENT: [S.SELECTED, S.IN_DEVELOPMENT],
    S.LAUNCHED: [S.SELECTED, S.IN_DEVELOPMENT, S.LAUNCHED],
    S.DECLINED: [S.DECLINED],
}
ALLOWED = {(a, b) for a, moves in services.STAGE_MOVES.items() for b in moves}


def deliver(tenant, event="idea.stage_changed"):
    """Send the e-mails of the event's notifications (the task the worker runs)."""
    with scope(tenant=tenant):
        for notification in Notification.objects.filter(event=event).order_by("pk"):
            if getattr(notification, "email", None) is not None:
                notification_services.email_deliver(delivery_id=notification.email.pk)


def move(idea, actor, stage, note="Ya lo hacemos.", **extra):
    with scope(tenant=idea.tenant):
        return services.idea_stage_set(idea=idea, actor=actor, stage=stage, note=note, **extra)


def walk(idea, actor, stage):
    for step in PATH[stage]:
        idea = move(idea, actor, step)
    return idea


def stage_entries(idea):
    with scope(tenant=idea.tenant):
        return list(
            AuditEntry.objects.filter(action="idea.stage", target_id=str(idea.public_id))
            .select_related("actor")
            .order_by("pk")
        )


def test_the_table_reaches_every_stage_from_none():
    reachable, frontier = {S.NONE}, [S.NONE]
    while frontier:
        for nxt in services.STAGE_MOVES[frontier.pop()]:
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert reachable == set(S.values)
    for stage, steps in PATH.items():  # the test's own paths follow the table
        assert all(pair in ALLOWED for pair in zip([S.NONE, *steps], steps, strict=False))
        assert (steps or [S.NONE])[-1] == stage


@pytest.mark.parametrize("to_stage", S.values)
@pytest.mark.parametrize("from_stage", S.values)
def test_each_move_is_made_or_refused_as_the_table_says(from_stage, to_stage, owner, submit):
    idea = walk(submit(), owner, from_stage)
    before = len(stage_entries(idea))
    if from_stage == to_stage:
        assert move(idea, owner, to_stage).stage == to_stage
        assert len(stage_entries(idea)) == before  # nothing to record
    elif (from_stage, to_stage) in ALLOWED:
        moved = move(idea, owner, to_stage)
        assert moved.stage == to_stage
        [*_, entry] = stage_entries(idea)
        assert (entry.actor, entry.data) == (owner, {"from": from_stage, "to": to_stage})
        assert len(stage_entries(idea)) == before + 1
    else:
        with pytest.raises(services.IdeaError) as refused:
            move(idea, owner, to_stage)
        assert refused.value.code == "stage_not_allowed"
        assert "cannot go from" in refused.value.message
        with scope(tenant=idea.tenant):
            assert Idea.objects.get(pk=idea.pk).stage == from_stage
        assert len(stage_entries(idea)) == before


def test_declining_needs_a_public_note_the_public_reads(owner, submit):
    idea = submit()
    with pytest.raises(services.IdeaError) as refused:
        move(idea, owner, S.DECLINED, note="  ")
    assert refused.value.fields == {"note": ["This field is required."]}
    idea = move(idea, owner, S.DECLINED, note="Ya existe en la app.", note_shown=True)
    assert (idea.stage_note, idea.stage_note_shown) == ("Ya existe en la app.", True)
    [entry] = stage_entries(idea)
    assert entry.reason == "Ya existe en la app."
    # Reopened: the note goes, it was the decline's.
    idea = move(idea, owner, S.UNDER_REVIEW, note="ignored")
    assert (idea.stage_note, idea.stage_note_shown) == ("", False)


def test_an_unknown_stage_is_refused(owner, submit):
    with pytest.raises(services.IdeaError) as refused:
        move(submit(), owner, "shipped")
    assert refused.value.fields == {"stage": ["Unknown stage."]}


def test_only_published_ideas_get_a_stage(ing, owner, make_campaign, submit):
    pre = make_campaign(ing, slug="pre", title="Pre", moderation=Campaign.Moderation.PRE)
    waiting = submit(campaign=pre)
    assert waiting.state == Idea.State.PENDING
    with pytest.raises(services.IdeaError) as refused:
        move(waiting, owner, S.SELECTED)
    assert "is not published" in refused.value.message
    assert stage_entries(waiting) == []


def test_many_ideas_move_all_or_none(owner, submit):
    ideas = [submit(title=f"Idea número {n}") for n in range(3)]
    launched = walk(ideas[2], owner, S.LAUNCHED)
    entries = len(stage_entries(launched))
    with scope(tenant=launched.tenant):
        notices = Notification.objects.count()
        with pytest.raises(services.IdeaError) as refused:
            services.ideas_stage_set(ideas=ideas, actor=owner, stage=S.UNDER_REVIEW)
        assert "“Idea número 2” cannot go from Launched to Under review." in refused.value.message
        stages = Idea.objects.filter(pk__in=[i.pk for i in ideas]).order_by("pk")
        assert list(stages.values_list("stage", flat=True)) == [S.NONE, S.NONE, S.LAUNCHED]
        assert Notification.objects.count() == notices
        result = services.ideas_stage_set(ideas=ideas[:2], actor=owner, stage=S.SELECTED)
        assert len(result["moved"]) == 2
        again = services.ideas_stage_set(ideas=ideas[:2], actor=owner, stage=S.SELECTED)
        assert (len(again["moved"]), len(again["unchanged"])) == (0, 2)
    assert len(stage_entries(launched)) == entries


def test_only_owners_and_administrators_change_stages_labels_and_owners(
    owner, admin, moderator, juror, pat, submit
):
    idea = submit()
    with scope(tenant=idea.tenant):
        label = services.label_create(tenant=idea.tenant, actor=admin, name="Ahorro")
        for person in (moderator, juror, pat):
            with pytest.raises(NotAllowed):
                services.idea_stage_set(idea=idea, actor=person, stage=S.SELECTED)
            with pytest.raises(NotAllowed):
                services.ideas_label_add(ideas=[idea], actor=person, label=label)
            with pytest.raises(NotAllowed):
                services.ideas_owner_set(ideas=[idea], actor=person, owner=admin)
            with pytest.raises(NotAllowed):
                services.label_create(tenant=idea.tenant, actor=person, name="Otra")
        assert services.idea_stage_set(idea=idea, actor=admin, stage=S.SELECTED).stage == "selected"
        assert IdeaLabel.objects.count() == 0


def test_the_author_and_followers_are_told_in_their_language(
    ing, owner, make_user, consent, submit
):
    marc = consent(make_user("marc@example.com", language="fr"), ing, "Marc")
    ana = consent(make_user("ana@example.com", language="es"), ing, "Ana")
    quiet = consent(make_user("quiet@example.com", language="es"), ing, "Quiet")
    idea = submit(author=marc, title="Redondea tus compras")
    with scope(tenant=ing):
        services.idea_follow(idea=idea, user=ana)
        services.idea_follow(idea=idea, user=quiet)
        notification_services.preference_set(
            tenant=ing, user=quiet, event="idea.stage_changed", delivery=DeliveryMode.OFF
        )
        # Labels and owners tell nobody.
        services.ideas_label_add(ideas=[idea], actor=owner, name="Ahorro", colour="green")
        services.ideas_owner_set(ideas=[idea], actor=owner, owner=owner)
        assert not Notification.objects.filter(event="idea.stage_changed").exists()
    move(idea, owner, S.SELECTED)
    deliver(ing)
    with scope(tenant=ing):
        told = {n.recipient: n for n in Notification.objects.filter(event="idea.stage_changed")}
    assert set(told) == {marc, ana}
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "marc@example.com": "« Redondea tus compras » : Sélectionnée",
        "ana@example.com": "«Redondea tus compras»: Seleccionada",
    }
    body = next(m.body for m in mail.outbox if m.to == ["marc@example.com"])
    assert "Sélectionnée" in body and "/ideas/" in body
    with translation.override("es"):  # the bell speaks the reader's language
        assert in_app_text("idea.stage_changed", told[ana].context) == (
            "«Redondea tus compras» avanza: Seleccionada."
        )


def test_a_decline_tells_the_note_and_going_back_to_none_tells_nobody(ing, owner, pat, submit):
    idea = submit()
    move(idea, owner, S.UNDER_REVIEW)
    move(idea, owner, S.NONE)
    move(idea, owner, S.DECLINED, note="Ya existe en nuestra app.")
    deliver(ing)
    with scope(tenant=ing):
        told = list(Notification.objects.filter(event="idea.stage_changed").order_by("pk"))
    assert [n.context["stage"] for n in told] == ["under_review", "declined"]
    assert [m.subject for m in mail.outbox] == [
        "«Redondea tus compras»: En estudio",
        "«Redondea tus compras»: Descartada",
    ]
    assert "Su nota: Ya existe en nuestra app." in mail.outbox[-1].body


def test_the_brand_s_webhooks_hear_of_a_stage_change(ing, owner, submit, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True
    idea = submit()
    with scope(tenant=ing):
        webhook_services.endpoint_create(
            tenant=ing, url="http://127.0.0.1:9/hooks", events=["idea.stage_changed"]
        )
    move(idea, owner, S.SELECTED)
    with scope(tenant=ing):
        [delivery] = WebhookDelivery.objects.filter(event_type="idea.stage_changed")
    data = delivery.payload["data"]
    assert (data["stage"], data["previous_stage"], data["idea_id"]) == (
        "selected",
        "none",
        str(idea.public_id),
    )


def test_labels_are_the_brand_s_own_with_names_once(ing, decathlon, owner, stranger, submit):
    idea = submit()
    with scope(tenant=ing):
        label = services.label_create(tenant=ing, actor=owner, name="Ahorro", colour="blue")
        with pytest.raises(services.IdeaError) as refused:
            services.label_create(tenant=ing, actor=owner, name="ahorro")
        assert refused.value.code == "label_exists"
        with pytest.raises(services.IdeaError):
            services.label_create(tenant=ing, actor=owner, name="x" * 41)
        with pytest.raises(services.IdeaError):
            services.label_create(tenant=ing, actor=owner, name="Rosa", colour="pink")
        assert services.ideas_label_add(ideas=[idea], actor=owner, label=label) == [idea]
        assert services.ideas_label_add(ideas=[idea], actor=owner, label=label) == []
        assert IdeaLabel.objects.filter(idea=idea).count() == 1
    with scope(tenant=decathlon):  # the same name is free in another brand
        services.label_create(tenant=decathlon, actor=stranger, name="Ahorro")
    with scope(tenant=ing):
        services.idea_label_remove(idea=idea, actor=owner, label=label)
        assert not IdeaLabel.objects.filter(idea=idea).exists()
        services.ideas_label_add(ideas=[idea], actor=owner, label=label)
        services.label_delete(label=label, actor=owner)
        assert not Label.objects.filter(tenant=ing).exists()
        actions = list(
            AuditEntry.objects.filter(target_id=str(idea.public_id))
            .filter(action__startswith="idea.label")
            .values_list("action", flat=True)
            .order_by("pk")
        )
    assert actions == ["idea.label_add", "idea.label_remove", "idea.label_add"]


def test_the_owner_is_someone_on_the_console_team(ing, owner, moderator, juror, pat, submit):
    idea = submit()
    with scope(tenant=ing):
        for outsider in (juror, pat):
            with pytest.raises(services.IdeaError):
                services.ideas_owner_set(ideas=[idea], actor=owner, owner=outsider)
        assert services.ideas_owner_set(ideas=[idea], actor=owner, owner=moderator) == [idea]
        assert Idea.objects.get(pk=idea.pk).owner == moderator
        services.ideas_owner_set(ideas=[idea], actor=owner, owner=None)
        assert Idea.objects.get(pk=idea.pk).owner is None
        [first, second] = AuditEntry.objects.filter(action="idea.owner").order_by("pk")
    assert first.data == {"from": None, "to": str(moderator.public_id)}
    assert second.data == {"from": str(moderator.public_id), "to": None}
