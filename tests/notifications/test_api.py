"""The notifications API: the same services as the pages, the same 404s."""

import pytest

from notifications import services

pytestmark = pytest.mark.django_db

IDEA = {"idea_title": "Redondea", "url": "/ideas/1/"}


def _notify(tenant, user, n=1):
    return [
        services.notify(recipient=user, event="idea.approved", tenant=tenant, context=IDEA)
        for _ in range(n)
    ]


def test_list_unread_count_and_mark_read(ing, participant, client_for):
    [first, _second] = _notify(ing, participant, 2)
    client = client_for(ing, participant)
    listing = client.get("/api/v1/notifications").json()
    assert [n["event"] for n in listing["results"]] == ["idea.approved"] * 2
    assert listing["results"][0]["text"] == "Tu idea «Redondea» está publicada"
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 2}

    marked = client.post(f"/api/v1/notifications/{first.public_id}/read")
    assert marked.status_code == 200
    assert marked.json()["read"] is True
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 1}
    assert client.post("/api/v1/notifications/read-all").json() == {"marked": 1}


def test_visitor_needs_to_sign_in(ing, client_for):
    assert client_for(ing).get("/api/v1/notifications").status_code in (401, 403)
    assert client_for(ing).get("/api/v1/notifications/preferences").status_code in (401, 403)


def test_other_tenants_user_gets_404(ing, decathlon, participant, stranger, client_for):
    [notification] = _notify(ing, participant)
    for tenant in (ing, decathlon):
        response = client_for(tenant, stranger).post(
            f"/api/v1/notifications/{notification.public_id}/read"
        )
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    response = client_for(decathlon, participant).post(
        f"/api/v1/notifications/{notification.public_id}/read"
    )
    assert response.status_code == 404
    assert client_for(ing, stranger).get("/api/v1/notifications").json()["results"] == []


def test_preferences(ing, participant, client_for):
    client = client_for(ing, participant)
    rows = {row["event"]: row for row in client.get("/api/v1/notifications/preferences").json()}
    assert rows["comment.on_my_idea"]["delivery"] == "daily"
    assert rows["payout.paid"] == {
        "event": "payout.paid",
        "label": "Mi pago se ha realizado",
        "transactional": True,
        "delivery": "immediate",
        "choices": [],
    }
    changed = client.patch(
        "/api/v1/notifications/preferences/comment.on_my_idea",
        data={"delivery": "weekly"},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert changed.json()["delivery"] == "weekly"


@pytest.mark.parametrize(
    ("event", "body", "status", "code"),
    [
        ("payout.paid", {"delivery": "off"}, 400, "transactional"),
        ("idea.approved", {"delivery": "hourly"}, 400, "invalid"),
        ("idea.approved", {}, 400, "invalid"),
        ("idea.exploded", {"delivery": "off"}, 404, "unknown_event"),
    ],
)
def test_bad_preferences_are_clear_4xx(ing, participant, client_for, event, body, status, code):
    response = client_for(ing, participant).patch(
        f"/api/v1/notifications/preferences/{event}", data=body, content_type="application/json"
    )
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
