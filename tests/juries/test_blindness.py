"""Blind review: every page of the jury, every API answer and every e-mail a
juror gets is rendered, and none holds the author's name, e-mail address,
public name, avatar or profile link, nor the name of the file they uploaded."""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scope
from PIL import Image

from accounts import services as account_services
from accounts.models import User
from ideas import services as idea_services
from ideas.models import Media
from juries import services
from notifications import services as notification_services
from notifications.models import Notification
from tests.juries.conftest import accept_terms

pytestmark = pytest.mark.django_db

ACCOUNT_NAME = "Ana Autora-Secreta"
PUBLIC_NAME = "Anita Visible"
EMAIL = "ana.autora.secreta@example.org"
FILE_NAME = "ana-autora-secreta-selfie.jpg"
PUBLIC_IDEA_LINK = re.compile(r'href="[^"]*/ideas/[0-9a-f-]{36}/"')


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def author(ing):
    user = account_services.user_create(email=EMAIL, display_name=ACCOUNT_NAME)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=30))
    user.refresh_from_db()
    accept_terms(user, ing, PUBLIC_NAME)
    with scope(tenant=ing):
        avatar = SimpleUploadedFile("avatar-of-ana.png", jpeg(), content_type="image/jpeg")
        account_services.profile_update(user=user, tenant=ing, avatar=avatar)
    return user


@pytest.fixture
def blind_round(genios, jury, author, make_idea, vote, review):
    with scope(tenant=genios.tenant):
        photo = idea_services.idea_submit(
            campaign=genios,
            author=author,
            title="Foto del ahorro",
            body="Una foto de mi hucha.",
            image=SimpleUploadedFile(FILE_NAME, jpeg(), content_type="image/jpeg"),
        )
        media = Media.objects.get(idea=photo)
        assert media.upload_name == FILE_NAME
        assert idea_services.media_process(media_id=media.pk) == "ready"
        photo.refresh_from_db()
        assert photo.state == "published"
    text = make_idea(title="Idea de texto", author=author)
    vote(photo, 3)
    vote(text, 2)
    vote(make_idea(title="Otra idea"), 1)
    return review(), (photo, text)


def assert_blind(text: str, where: str):
    lowered = text.lower()
    for secret in (ACCOUNT_NAME, PUBLIC_NAME, EMAIL, FILE_NAME, "ana-autora", "avatar"):
        assert secret.lower() not in lowered, f"{secret!r} found in {where}"
    # No link to the idea's public page (where its author's name is).
    assert not PUBLIC_IDEA_LINK.search(text), f"a link to a public idea page in {where}"


def test_no_jury_page_api_answer_or_export_shows_the_author(
    client_for, ing, owner, blind_round, chair, jorge, elena, score
):
    result, (photo, _text) = blind_round
    chair_client = client_for(ing, chair)
    seen = []

    def read(client, path, **kwargs):
        response = client.get(path, **kwargs)
        assert response.status_code == 200, path
        seen.append((path, response.getvalue().decode()))
        return response

    def everything(client, juror):
        read(client, "/jury/")
        read(client, f"/jury/rounds/{result.round.public_id}/")
        read(client, "/api/v1/jury/assignments")
        for assignment in result.assignments(juror):
            read(client, f"/jury/assignments/{assignment.public_id}/")
            read(client, f"/api/v1/jury/assignments/{assignment.public_id}")

    everything(chair_client, chair)
    photo_page = chair_client.get(
        f"/jury/assignments/{result.assignment(chair, photo).public_id}/"
    ).content.decode()
    assert '<img class="jury-image" src="/media/ideas/' in photo_page  # the image is shown

    # Everyone scores: the aggregate, others' scores and exports appear.
    for juror, values in ((chair, [9, 9, 9]), (jorge, [5, 5, 5]), (elena, [7, 7, 7])):
        for assignment in result.assignments(juror):
            score(assignment, juror, values)
    for juror in (chair, jorge):
        client = client_for(ing, juror)
        everything(client, juror)
        read(client, f"/api/v1/jury/rounds/{result.round.public_id}/scores")
        read(client, f"/api/v1/jury/rounds/{result.round.public_id}/aggregate")
    read(chair_client, f"/jury/rounds/{result.round.public_id}/scores.csv")
    save = chair_client.post(
        f"/jury/assignments/{result.assignments(chair)[0].public_id}/save/",
        {},
        HTTP_HX_REQUEST="true",
    )
    seen.append(("save", save.content.decode()))

    with scope(tenant=ing):
        services.decision_confirm(round=result.round, actor=chair)
    for juror in (chair, jorge):
        client = client_for(ing, juror)
        everything(client, juror)
        read(client, f"/api/v1/jury/rounds/{result.round.public_id}/decision")
    owner_client = client_for(ing, owner)
    campaign = result.round.campaign
    read(owner_client, f"/console/challenges/{campaign.slug}/jury/decisions.csv")
    read(
        owner_client,
        f"/console/challenges/{campaign.slug}/jury/rounds/{result.round.public_id}/scores.csv",
    )

    assert len(seen) > 30
    shown_ideas = [str(idea.public_id) for idea in blind_round[1]]
    for path, text in seen:
        assert_blind(text, path)
        # Not even a media address may lead back to the idea's public page.
        for public_id in shown_ideas:
            assert public_id not in text, f"an idea's public id in {path}"


def test_no_email_to_a_juror_shows_the_author(ing, blind_round, chair, jorge, score):
    result, _ideas = blind_round
    deadline = result.shortlist.deadline
    with scope(tenant=ing):
        services.reminders_send(shortlist=result.shortlist, now=deadline - dt.timedelta(hours=2))
        services.reminders_send(shortlist=result.shortlist, now=deadline + dt.timedelta(hours=2))
        told = list(
            Notification.objects.filter(
                event__in=["jury.shortlist_ready", "jury.deadline_reminder", "jury.jurors_late"]
            )
        )
        assert {n.event for n in told} == {
            "jury.shortlist_ready",
            "jury.deadline_reminder",
            "jury.jurors_late",
        }
        for notification in told:
            assert notification_services.email_deliver(delivery_id=notification.email.pk) == "sent"
    assert len(mail.outbox) == len(told)
    for message in mail.outbox:
        parts = [message.subject, message.body, *(html for html, _type in message.alternatives)]
        for part in parts:
            assert_blind(part, f"e-mail {message.subject!r}")
    # The author, not blind to themselves, was told their ideas are shortlisted.
    with scope(tenant=ing):
        told = Notification.objects.filter(event="idea.shortlisted", recipient__email=EMAIL)
        assert told.count() == 2


def test_without_blind_review_the_jury_sees_the_public_name_only(
    client_for, ing, owner, genios, blind_round, chair
):
    from campaigns import services as campaign_services

    with scope(tenant=ing):
        campaign_services.campaign_update(campaign=genios, actor=owner, jury_blind=False)
    result, (photo, _text) = blind_round
    page = (
        client_for(ing, chair)
        .get(f"/jury/assignments/{result.assignment(chair, photo).public_id}/")
        .content.decode()
    )
    assert f"By {PUBLIC_NAME}" in page
    assert EMAIL not in page and FILE_NAME not in page and ACCOUNT_NAME not in page
