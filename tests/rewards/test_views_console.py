"""The console's payouts, bank files, paying account, shares and books, with
every persona: owners and admins act; moderators and jurors get 403; people
not on the team 404; another tenant's objects 404."""

import pytest
from django_scopes import scope

from accounts.models import AuditEntry
from rewards import services
from rewards.models import Award, Payout, PayoutBatch
from rewards.providers.sepa import validate_pain001

from .conftest import BRAND_IBAN, IBAN_DE

PAGES = ["/console/payouts/", "/console/payouts/settings/", "/console/payouts/books/"]


@pytest.fixture
def ready(announced, genios, pay_details):
    _round, winner, _other, _now = announced
    pay_details(winner.author, genios.tenant, iban=IBAN_DE)
    with scope(tenant=genios.tenant):
        return Payout.objects.get()


@pytest.mark.parametrize("path", PAGES)
def test_owners_and_admins_see_the_payout_pages(ready, genios, owner, admin, client_for, path):
    for person in (owner, admin):
        assert client_for(genios.tenant, person).get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_moderators_and_jurors_get_403_others_404(
    ready, genios, moderator, juror, participant, stranger, client_for, path
):
    assert client_for(genios.tenant, moderator).get(path).status_code == 403
    assert client_for(genios.tenant, juror).get(path).status_code == 403
    assert client_for(genios.tenant, participant).get(path).status_code == 404
    assert client_for(genios.tenant, stranger).get(path).status_code == 404
    assert client_for(genios.tenant).get(path).status_code == 302


def test_approve_export_download_and_mark_paid(ready, genios, owner, client_for, brand_account):
    client = client_for(genios.tenant, owner)
    listing = client.get("/console/payouts/").content.decode()
    assert "Idea A" in listing
    client.post("/console/payouts/approve/", {"payouts": [str(ready.public_id)]})
    ready.refresh_from_db()
    assert ready.state == "approved"
    exported = client.post("/console/payouts/export/")
    with scope(tenant=genios.tenant):
        batch = PayoutBatch.objects.get()
    assert exported.status_code == 302 and str(batch.public_id) in exported["Location"]
    page = client.get(f"/console/payouts/batches/{batch.public_id}/")
    assert page.status_code == 200 and batch.reference in page.content.decode()
    download = client.get(f"/console/payouts/batches/{batch.public_id}/file/")
    assert download["Content-Type"] == "application/xml"
    validate_pain001(download.content)
    again = client.post("/console/payouts/export/", follow=True)
    assert "Nothing to export" in again.content.decode()
    client.post(f"/console/payouts/batches/{batch.public_id}/paid/")
    ready.refresh_from_db()
    assert ready.state == "paid"


def test_a_failed_payout_needs_a_reason(ready, genios, owner, client_for, brand_account):
    with scope(tenant=genios.tenant):
        services.payouts_approve(tenant=genios.tenant, payouts=[ready], actor=owner)
        batch = services.batch_export(tenant=genios.tenant, actor=owner)
    client = client_for(genios.tenant, owner)
    refused = client.post(f"/console/payouts/{ready.public_id}/fail/", {"reason": ""}, follow=True)
    assert "Write the reason." in refused.content.decode()
    ready.refresh_from_db()
    assert ready.state == "exported"
    client.post(f"/console/payouts/{ready.public_id}/fail/", {"reason": "Cuenta cerrada"})
    ready.refresh_from_db()
    assert ready.state == "failed" and ready.failure_reason == "Cuenta cerrada"
    with scope(tenant=genios.tenant):
        assert batch.lines.get().outcome == "failed"


def test_the_paying_account_form_checks_the_iban(genios, owner, client_for):
    client = client_for(genios.tenant, owner)
    bad = client.post(
        "/console/payouts/settings/",
        {"debtor_name": "ING", "debtor_iban": "ES00 1234", "debtor_bic": ""},
    )
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.content.decode()
    good = client.post(
        "/console/payouts/settings/",
        {"debtor_name": "ING Bank NV", "debtor_iban": BRAND_IBAN, "debtor_bic": ""},
    )
    assert good.status_code == 302
    with scope(tenant=genios.tenant):
        assert AuditEntry.objects.filter(action="payout.settings").exists()


def test_the_award_page_sets_shares(announced, genios, owner, client_for):
    _round, winner, _other, _now = announced
    with scope(tenant=genios.tenant):
        award = Award.objects.get()
    client = client_for(genios.tenant, owner)
    page = client.get(f"/console/awards/{award.public_id}/")
    assert page.status_code == 200
    bad = client.post(
        f"/console/awards/{award.public_id}/", {f"share-{winner.author.public_id}": "80"}
    )
    assert bad.status_code == 400 and "add up to 100%" in bad.content.decode()
    junk = client.post(
        f"/console/awards/{award.public_id}/", {f"share-{winner.author.public_id}": "lots"}
    )
    assert junk.status_code == 400
    ok = client.post(
        f"/console/awards/{award.public_id}/", {f"share-{winner.author.public_id}": "100"}
    )
    assert ok.status_code == 302


def test_the_books_page_adds_up(ready, genios, owner, client_for):
    page = client_for(genios.tenant, owner).get(f"/console/payouts/books/?challenge={genios.slug}")
    text = page.content.decode()
    assert page.status_code == 200 and "The books add up" in text and "€500" in text


def test_other_tenant_objects_are_404(
    ready, genios, stranger, decathlon, client_for, brand_account, owner
):
    with scope(tenant=genios.tenant):
        services.payouts_approve(tenant=genios.tenant, payouts=[ready], actor=owner)
        batch = services.batch_export(tenant=genios.tenant, actor=owner)
        award = Award.objects.get()
    client = client_for(decathlon, stranger)
    for path in [
        f"/console/payouts/batches/{batch.public_id}/",
        f"/console/payouts/batches/{batch.public_id}/file/",
        f"/console/awards/{award.public_id}/",
    ]:
        assert client.get(path).status_code == 404
    for path in [
        f"/console/payouts/batches/{batch.public_id}/paid/",
        f"/console/payouts/{ready.public_id}/fail/",
        f"/console/payouts/{ready.public_id}/cancel/",
    ]:
        assert client.post(path, {"reason": "x"}).status_code == 404
    ready.refresh_from_db()
    assert ready.state == "exported"


def test_the_payouts_list_runs_constant_queries(
    genios, owner, client_for, make_idea, vote, decide, advance
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = vote(make_idea(title="Idea A"), 3)
    grand_winner = vote(make_idea(title="Grand idea"), 5)
    round_, now = decide([first])
    advance(round_, now)
    client = client_for(genios.tenant, owner)
    client.get("/console/payouts/?state=awaiting_details")
    with CaptureQueriesContext(connection) as one:
        client.get("/console/payouts/?state=awaiting_details")
    grand, now = decide([grand_winner], index=5)
    advance(grand, now)
    with CaptureQueriesContext(connection) as two:
        page = client.get("/console/payouts/?state=awaiting_details")
    assert "Grand idea" in page.content.decode()
    assert len(two) == len(one)
