"""The rewards API with every persona: the same services as the pages, the
same error format, 404 for another tenant's objects."""

import pytest
from django_scopes import scope

from rewards import services
from rewards.models import Award, Payout

from .conftest import BRAND_IBAN, IBAN_ES


def test_winners_and_leaderboard_are_public(announced, genios, client_for, decathlon):
    client = client_for(genios.tenant)
    winners = client.get(f"/api/v1/challenges/{genios.slug}/winners")
    assert winners.status_code == 200
    [row] = winners.json()
    assert row["idea_title"] == "Idea A" and row["amount"] == "500.00"
    assert row["shares"][0]["percent"] == "100.00"
    board = client.get(f"/api/v1/challenges/{genios.slug}/leaderboard").json()
    assert board[0]["points"] > 0
    assert client.get("/api/v1/leaderboard").status_code == 200
    assert client_for(decathlon).get(f"/api/v1/challenges/{genios.slug}/winners").status_code == 404


def test_a_winner_puts_details_and_lists_payouts(announced, genios, client_for):
    _round, winner, _other, _now = announced
    client = client_for(genios.tenant, winner.author)
    assert client.get("/api/v1/me/payout-details").status_code == 204
    bad = client.put(
        "/api/v1/me/payout-details",
        {"holder_name": "", "iban": "ES91 2100 0418 4502 0005 1331"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    body = bad.json()["error"]
    assert (
        set(body["fields"]) == {"holder_name", "iban"} and body["code"] == "payout_details_invalid"
    )
    good = client.put(
        "/api/v1/me/payout-details",
        {"holder_name": "Ana", "iban": IBAN_ES},
        content_type="application/json",
    )
    assert good.status_code == 200 and good.json()["iban"] == "ES•• •••• •••• 1332"
    [payout] = client.get("/api/v1/me/payouts").json()
    assert payout["state"] == "ready" and payout["amount"] == "500.00"
    assert client_for(genios.tenant).get("/api/v1/me/payouts").status_code in (401, 403)


def test_console_payouts_need_an_admin(
    announced, genios, owner, moderator, participant, stranger, client_for
):
    assert (
        client_for(genios.tenant, owner).get("/api/v1/console/payouts?state=all").status_code == 200
    )
    assert client_for(genios.tenant, moderator).get("/api/v1/console/payouts").status_code == 403
    assert client_for(genios.tenant, participant).get("/api/v1/console/payouts").status_code == 404
    assert client_for(genios.tenant, stranger).get("/api/v1/console/payouts").status_code == 404


def test_approve_export_and_pay_through_the_api(announced, genios, owner, client_for, pay_details):
    _round, winner, _other, _now = announced
    pay_details(winner.author, genios.tenant)
    client = client_for(genios.tenant, owner)
    refused = client.post("/api/v1/console/payout-batches")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "no_debtor"
    settings = client.put(
        "/api/v1/console/payout-settings",
        {"debtor_name": "ING Bank NV", "debtor_iban": BRAND_IBAN},
        content_type="application/json",
    )
    assert settings.status_code == 200
    with scope(tenant=genios.tenant):
        payout = Payout.objects.get()
    approved = client.post(
        "/api/v1/console/payouts/approve",
        {"ids": [str(payout.public_id)]},
        content_type="application/json",
    )
    assert approved.status_code == 200 and approved.json()[0]["state"] == "approved"
    batch = client.post("/api/v1/console/payout-batches")
    assert batch.status_code == 201 and batch.json()["total"] == "500.00"
    again = client.post("/api/v1/console/payout-batches")
    assert again.status_code == 400 and again.json()["error"]["code"] == "nothing_to_export"
    batch_id = batch.json()["id"]
    file = client.get(f"/api/v1/console/payout-batches/{batch_id}/file")
    assert file.status_code == 200 and b"CstmrCdtTrfInitn" in file.content
    paid = client.post(f"/api/v1/console/payout-batches/{batch_id}/paid")
    assert paid.status_code == 200 and paid.json()["state"] == "closed"
    books = client.get(f"/api/v1/console/challenges/{genios.slug}/books").json()
    assert books[0]["paid"] == "500.00" and books[0]["balanced"] is True
    fail = client.post(
        f"/api/v1/console/payouts/{payout.public_id}/fail",
        {"reason": "late"},
        content_type="application/json",
    )
    assert fail.status_code == 409 and fail.json()["error"]["code"] == "payout_state"


def test_split_through_the_api(announced, genios, owner, client_for, make_person):
    _round, winner, _other, _now = announced
    with scope(tenant=genios.tenant):
        award = Award.objects.get()
    client = client_for(genios.tenant, owner)
    url = f"/api/v1/console/awards/{award.public_id}/split"
    wrong = client.put(
        url, {"shares": {str(make_person().public_id): "100"}}, content_type="application/json"
    )
    assert wrong.status_code == 400
    half = client.put(
        url, {"shares": {str(winner.author.public_id): "50"}}, content_type="application/json"
    )
    assert half.status_code == 400 and "100%" in half.json()["error"]["message"]
    ok = client.put(
        url, {"shares": {str(winner.author.public_id): "100"}}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()[0]["share_percent"] == "100.00"


@pytest.mark.usefixtures("brand_account")
def test_other_tenant_objects_are_404_in_the_api(
    announced, genios, owner, stranger, decathlon, client_for, pay_details
):
    _round, winner, _other, _now = announced
    pay_details(winner.author, genios.tenant)
    with scope(tenant=genios.tenant):
        payout = Payout.objects.get()
        services.payouts_approve(tenant=genios.tenant, payouts=[payout], actor=owner)
        batch = services.batch_export(tenant=genios.tenant, actor=owner)
        award = Award.objects.get()
    client = client_for(decathlon, stranger)
    assert client.get(f"/api/v1/console/payout-batches/{batch.public_id}/file").status_code == 404
    assert client.post(f"/api/v1/console/payout-batches/{batch.public_id}/paid").status_code == 404
    assert (
        client.post(f"/api/v1/console/payouts/{payout.public_id}/fail", {"reason": "x"}).status_code
        == 404
    )
    assert (
        client.put(
            f"/api/v1/console/awards/{award.public_id}/split", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/console/payouts/approve",
            {"ids": [str(payout.public_id)]},
            content_type="application/json",
        ).status_code
        == 400
    )  # not one of theirs
