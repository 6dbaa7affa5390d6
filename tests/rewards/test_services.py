"""Payouts through their states, splits, payout details, the SEPA export and
the books, through the services."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django_scopes import scope

from accounts.models import AuditEntry
from core.errors import NotAllowed
from ideas import services as idea_services
from ideas.models import Coauthor
from notifications.models import Notification
from rewards import banking, selectors, services, splits
from rewards.models import Award, Payout, PayoutBatch, PayoutBatchLine, PayoutDetails
from rewards.providers.sepa import validate_pain001

from .conftest import IBAN_DE, IBAN_ES, IBAN_FR


def the_payout(tenant, **filters) -> Payout:
    with scope(tenant=tenant):
        return Payout.objects.select_related("award", "tenant").get(**filters)


# --- Splits ------------------------------------------------------------------------------------


def test_split_parts_add_up_to_the_prize_to_the_cent():
    for amount in [Decimal("500"), Decimal("100.01"), Decimal("1500"), Decimal("0.05")]:
        for count in range(1, 8):
            shares = splits.equal_shares(count)
            parts = splits.split_amount(amount, shares)
            assert sum(parts) == amount
            # Each part is its share rounded down to the cent; the last takes what is left.
            for part, share in zip(parts, shares, strict=True):
                assert abs(part - amount * share / 10_000) < Decimal("0.01") * count
    assert splits.split_amount(Decimal("100"), [7000, 3000]) == [Decimal("70.00"), Decimal("30.00")]
    assert splits.split_amount(Decimal("0.10"), [3333, 3333, 3334]) == [
        Decimal("0.03"),
        Decimal("0.03"),
        Decimal("0.04"),
    ]
    with pytest.raises(ValueError):
        splits.split_amount(Decimal("100"), [6000, 3000])
    assert splits.parse_percent("33,33") == 3333
    assert splits.parse_percent("0") is None and splits.parse_percent("abc") is None


@pytest.fixture
def coauthored(genios, make_idea, make_person, vote):
    """An idea by Ana with Marc as co-author (joined through the invitation link)."""
    ana, marc = make_person("Ana"), make_person("Marc")
    idea = vote(make_idea(title="Idea with two authors", author=ana), 2)
    with scope(tenant=genios.tenant):
        invitation = idea_services.coauthor_invite(idea=idea, actor=ana)
        idea_services.coauthor_accept(invitation=invitation, user=marc)
        assert Coauthor.objects.filter(idea=idea, status="accepted").count() == 1
    return idea, ana, marc


def test_equal_split_shares_the_prize_between_author_and_coauthors(
    genios, coauthored, decide, advance
):
    idea, ana, marc = coauthored
    with scope(tenant=genios.tenant):
        genios.prizes.filter(round_kind="weekly").update(split_rule="equal")
    round_, now = decide([idea])
    advance(round_, now)
    with scope(tenant=genios.tenant):
        shares = {p.recipient_id: (p.share_bp, p.amount) for p in Payout.objects.all()}
        winners = selectors.winners_of(genios)
    assert shares == {ana.pk: (5000, Decimal("250.00")), marc.pk: (5000, Decimal("250.00"))}
    assert [(s.name, s.percent) for s in winners[0].shares] == [
        ("Ana", Decimal("50.00")),
        ("Marc", Decimal("50.00")),
    ]


def test_the_brand_sets_shares_until_a_payout_is_approved(
    genios, coauthored, decide, advance, owner, moderator, pay_details
):
    idea, ana, marc = coauthored
    round_, now = decide([idea])
    advance(round_, now)
    with scope(tenant=genios.tenant):
        award = Award.objects.get(round=round_)
        assert list(Payout.objects.values_list("recipient_id", "share_bp")) == [(ana.pk, 10_000)]
        with pytest.raises(NotAllowed):
            services.award_split_set(award=award, shares=[(ana, 10_000)], actor=moderator)
        with pytest.raises(services.RewardsError) as bad:
            services.award_split_set(award=award, shares=[(ana, 6000), (marc, 3000)], actor=owner)
        assert "100%" in bad.value.message and "90.00%" in bad.value.message
        services.award_split_set(award=award, shares=[(ana, 7000), (marc, 3000)], actor=owner)
        live = Payout.objects.exclude(state="cancelled").order_by("-share_bp")
        assert [(p.recipient_id, p.amount) for p in live] == [
            (ana.pk, Decimal("350.00")),
            (marc.pk, Decimal("150.00")),
        ]
        assert sum(p.amount for p in live) == award.amount
        assert AuditEntry.objects.filter(action="award.split").count() == 1
    pay_details(ana, genios.tenant)
    with scope(tenant=genios.tenant):
        ana_payout = Payout.objects.get(recipient=ana, state="ready")
        services.payouts_approve(tenant=genios.tenant, payouts=[ana_payout], actor=owner)
        with pytest.raises(services.RewardsError) as locked:
            services.award_split_set(award=award, shares=[(ana, 10_000)], actor=owner)
    assert locked.value.code == "split_locked"


def test_only_the_idea_s_people_share_its_prize(announced, owner, make_person, genios):
    round_, winner, _other, _now = announced
    with scope(tenant=genios.tenant):
        award = Award.objects.get(round=round_)
        with pytest.raises(services.RewardsError):
            services.award_split_set(
                award=award, shares=[(winner.author, 5000), (make_person(), 5000)], actor=owner
            )


# --- Payout details --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"iban": "ES91 2100 0418 4502 0005 1331"}, "iban", "check digits"),
        ({"iban": "BR18 0036 0305 0000 1000 9795 493C 1"}, "iban", "SEPA zone"),
        ({"iban": "US12 3456 7890 1234"}, "iban", "country is not supported"),
        ({"holder_name": "   "}, "holder_name", "holder"),
        ({"iban": ""}, "iban", "Enter the IBAN"),
        ({"iban": "CH93 0076 2011 6238 5295 7"}, "bic", "BIC"),
        ({"bic": "NOTABIC"}, "bic", "not a valid BIC"),
    ],
)
def test_bad_payout_details_are_refused_with_the_field_to_fix(
    ing, participant, values, field, words
):
    data = {"holder_name": "Ana García", "iban": IBAN_ES, "bic": "", **values}
    with scope(tenant=ing), pytest.raises(services.RewardsError) as refused:
        services.payout_details_save(tenant=ing, user=participant, **data)
    assert field in refused.value.fields
    assert words in refused.value.fields[field][0]
    with scope(tenant=ing):
        assert not PayoutDetails.objects.exists()


def test_details_are_stored_encrypted_and_shown_masked(ing, participant, pay_details):
    details = pay_details(participant, ing, iban=IBAN_DE)
    assert "DE89" not in details.iban_encrypted and "3000" not in details.iban_encrypted
    assert banking.decrypt_iban(details.iban_encrypted) == "DE89370400440532013000"
    assert details.masked_iban == "DE•• •••• •••• 3000"
    with scope(tenant=ing):
        entry = AuditEntry.objects.get(action="payout.details_save")
    assert "370400440532" not in str(entry.data)


def test_entering_details_makes_the_payout_ready_and_tells_the_admins(
    announced, genios, owner, pay_details
):
    _round, winner, _other, _now = announced
    payout = the_payout(genios.tenant)
    assert payout.state == Payout.State.AWAITING_DETAILS
    pay_details(winner.author, genios.tenant)
    payout.refresh_from_db()
    assert payout.state == Payout.State.READY
    with scope(tenant=genios.tenant):
        assert Notification.objects.filter(recipient=owner, event="payout.requested").count() == 1


# --- The state machine -------------------------------------------------------------------------


def test_illegal_transitions_raise_a_domain_error(announced, genios):
    payout = the_payout(genios.tenant)
    with scope(tenant=genios.tenant), transaction.atomic():
        for state in ["approved", "exported", "paid", "failed"]:
            with pytest.raises(services.PayoutStateError):
                services.payout_move(payout=payout, to=state)
    assert Payout.TRANSITIONS[Payout.State.PAID] == set()
    assert all(Payout.State(s) for s in Payout.TRANSITIONS)


def test_approving_needs_details_and_a_manager(announced, genios, owner, moderator, pay_details):
    _round, winner, _other, _now = announced
    payout = the_payout(genios.tenant)
    with scope(tenant=genios.tenant):
        with pytest.raises(services.PayoutStateError):
            services.payouts_approve(tenant=genios.tenant, payouts=[payout], actor=owner)
        pay_details(winner.author, genios.tenant)
        with pytest.raises(NotAllowed):
            services.payouts_approve(tenant=genios.tenant, payouts=[payout], actor=moderator)
        approved = services.payouts_approve(tenant=genios.tenant, payouts=[payout], actor=owner)
        assert len(approved) == 1
        assert services.payouts_approve(tenant=genios.tenant, payouts=[payout], actor=owner) == []
        payout.refresh_from_db()
    assert payout.state == Payout.State.APPROVED and payout.approved_by == owner


def test_changing_an_approved_account_asks_for_approval_again(
    announced, genios, owner, pay_details
):
    _round, winner, _other, _now = announced
    pay_details(winner.author, genios.tenant)
    payout = the_payout(genios.tenant)
    with scope(tenant=genios.tenant):
        services.payouts_approve(tenant=genios.tenant, payouts=[payout], actor=owner)
    pay_details(winner.author, genios.tenant)  # the same account: nothing changes
    payout.refresh_from_db()
    assert payout.state == Payout.State.APPROVED
    pay_details(winner.author, genios.tenant, iban=IBAN_FR)
    payout.refresh_from_db()
    assert payout.state == Payout.State.READY


# --- The SEPA export and the bank run -------------------------------------------------------


def test_the_sepa_file_validates_and_its_totals_match_the_approved_payouts(
    genios, owner, approved_payouts
):
    with scope(tenant=genios.tenant):
        approved = list(Payout.objects.filter(state="approved"))
        batch = services.batch_export(tenant=genios.tenant, actor=owner)
        content = services.batch_file(batch)
    validate_pain001(content)  # the pain.001.001.03 XSD sepaxml ships
    text = content.decode()
    total = sum(p.amount for p in approved)
    assert batch.total == total and batch.count == len(approved) == 1
    assert f"<CtrlSum>{total:.2f}</CtrlSum>" in text
    assert f"<NbOfTxs>{len(approved)}</NbOfTxs>" in text
    assert "DE89370400440532013000" in text and "ES7921000813610123456789" in text
    assert f"<MsgId>{batch.reference}</MsgId>" in text
    assert "DE89370400440532013000" not in batch.file_encrypted
    with scope(tenant=genios.tenant):
        assert set(Payout.objects.values_list("state", flat=True)) == {"exported"}
        with pytest.raises(services.RewardsError) as again:
            services.batch_export(tenant=genios.tenant, actor=owner)
    assert again.value.code == "nothing_to_export"


def test_a_payout_is_never_in_two_live_batches(genios, owner, approved_payouts):
    with scope(tenant=genios.tenant):
        batch = services.batch_export(tenant=genios.tenant, actor=owner)
        line = PayoutBatchLine.objects.get(batch=batch)
        other = PayoutBatch.objects.create(
            tenant=genios.tenant,
            provider="sepa_file",
            reference="SECOND",
            currency="EUR",
            total=line.amount,
            count=1,
            created_at=batch.created_at,
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            PayoutBatchLine.objects.create(
                tenant=genios.tenant, batch=other, payout=line.payout, amount=line.amount
            )


def test_the_batch_is_paid_and_a_failed_payout_goes_round_again(
    genios, owner, approved_payouts, pay_details
):
    winner = approved_payouts.author
    with scope(tenant=genios.tenant):
        batch = services.batch_export(tenant=genios.tenant, actor=owner)
        payout = Payout.objects.get()
        services.payout_mark_failed(payout=payout, actor=owner, reason="Account closed")
        payout.refresh_from_db()
        batch.refresh_from_db()
        assert payout.state == "failed" and payout.failure_reason == "Account closed"
        assert batch.state == PayoutBatch.State.CLOSED  # its only line came back
        failed = Notification.objects.get(recipient=winner, event="payout.failed")
        assert failed.context["reason"] == "Account closed"
    pay_details(winner, genios.tenant, iban=IBAN_FR)
    with scope(tenant=genios.tenant):
        payout.refresh_from_db()
        assert payout.state == "ready"
        services.payouts_approve(tenant=genios.tenant, payouts=[payout], actor=owner)
        second = services.batch_export(tenant=genios.tenant, actor=owner)
        assert "FR1420041010050500013M02606" in services.batch_file(second).decode()
        services.batch_mark_paid(batch=second, actor=owner)
        services.batch_mark_paid(batch=second, actor=owner)  # twice: nothing more
        payout.refresh_from_db()
        assert payout.state == "paid" and payout.paid_at is not None
        assert list(payout.batch_lines.values_list("outcome", flat=True).order_by("pk")) == [
            "failed",
            "paid",
        ]
        assert Notification.objects.filter(recipient=winner, event="payout.paid").count() == 1
        assert AuditEntry.objects.filter(action="payout.paid").count() == 1


def test_export_needs_the_brand_s_account(genios, owner, announced, pay_details):
    _round, winner, _other, _now = announced
    pay_details(winner.author, genios.tenant)
    with scope(tenant=genios.tenant):
        services.payouts_approve(
            tenant=genios.tenant, payouts=list(Payout.objects.all()), actor=owner
        )
        with pytest.raises(services.RewardsError) as refused:
            services.batch_export(tenant=genios.tenant, actor=owner)
    assert refused.value.code == "no_debtor"


# --- The books ------------------------------------------------------------------------------


def test_the_books_of_a_challenge_add_up(genios, owner, approved_payouts, decide, advance):
    with scope(tenant=genios.tenant):
        batch = services.batch_export(tenant=genios.tenant, actor=owner)
        services.batch_mark_paid(batch=batch, actor=owner)
    # The grand round (all the challenge's ideas): the same idea wins 1500 €.
    grand, now = decide([approved_payouts], index=5)
    advance(grand, now)
    with scope(tenant=genios.tenant):
        books = selectors.books_of(genios)
        cancelled = Payout.objects.get(award__round=grand)
        services.payout_cancel(payout=cancelled, actor=owner, reason="Prize declined")
        after = selectors.books_of(genios)
    assert [(b.currency, b.awards, b.promised, b.paid, b.to_pay) for b in books] == [
        ("EUR", 2, Decimal("2000.00"), Decimal("500.00"), Decimal("1500.00"))
    ]
    assert books[0].balanced
    assert (after[0].withdrawn, after[0].to_pay, after[0].paid) == (
        Decimal("1500.00"),
        Decimal("0"),
        Decimal("500.00"),
    )
    assert after[0].balanced


def test_erasing_a_person_keeps_paid_prizes_in_the_books(genios, owner, approved_payouts):
    from accounts import services as account_services

    winner = approved_payouts.author
    with scope(tenant=genios.tenant):
        batch = services.batch_export(tenant=genios.tenant, actor=owner)
        services.batch_mark_paid(batch=batch, actor=owner)
    account_services.account_delete(user=winner, mode="anonymise")
    with scope(tenant=genios.tenant):
        payout = Payout.objects.get()
        assert payout.recipient_id is None and payout.recipient_name == ""
        assert payout.state == "paid" and payout.amount == Decimal("500.00")
        assert not PayoutDetails.objects.exists()
        assert selectors.books_of(genios)[0].paid == Decimal("500.00")


def test_the_execution_date_is_a_working_day(ing):
    friday = dt.datetime(2030, 3, 8, 12, tzinfo=dt.UTC)
    assert services._execution_date(ing, friday) == dt.date(2030, 3, 11)


def test_a_person_s_export_lists_payouts_and_masked_details(announced, genios, pay_details):
    from accounts import services as account_services

    _round, winner, _other, _now = announced
    pay_details(winner.author, genios.tenant)
    export = account_services.personal_data_export(user=winner.author, tenant=genios.tenant)
    section = export["tenants"][0]["data"]["payouts"]
    assert section["payment_details"]["iban"] == "ES•• •••• •••• 1332"
    assert [(p["amount"], p["state"]) for p in section["payouts"]] == [("500.00", "ready")]
    assert "0418" not in str(export)


def test_a_challenge_with_money_in_its_books_cannot_be_deleted(announced, genios):
    from django.db.models import RestrictedError

    with scope(tenant=genios.tenant):
        with pytest.raises(RestrictedError), transaction.atomic():
            genios.delete()
        assert Payout.objects.count() == Award.objects.count() == 1


def test_a_payout_ready_to_approve_reaches_the_team_s_chat(announced, genios, pay_details):
    """payout.ready: the winner's details are in, the team hears of it."""
    from django.test import override_settings

    from integrations import services as integrations
    from integrations import tasks as webhook_tasks
    from integrations.models import WebhookDelivery
    from tests.integrations.receiver import Receiver

    _round, winner, _other, _now = announced
    hook = Receiver([200]).start()
    try:
        with override_settings(WEBHOOKS_ALLOW_PRIVATE_HOSTS=True):
            with scope(tenant=genios.tenant):
                integrations.endpoint_create(
                    tenant=genios.tenant, url=hook.url, kind="teams", events=["payout.ready"]
                )
            pay_details(winner.author, genios.tenant)
            with scope(tenant=genios.tenant):
                delivery = WebhookDelivery.objects.get(event_type="payout.ready")
            webhook_tasks.webhook_deliver(tenant_id=delivery.tenant_id, delivery_id=delivery.pk)
    finally:
        hook.stop()
    payout = the_payout(genios.tenant)
    assert delivery.payload["data"]["payout_id"] == str(payout.public_id)
    card = json.loads(hook.received[0].body)["attachments"][0]["content"]
    assert card["body"][0]["inlines"][0]["text"] == "Un pago espera aprobación"
    assert card["actions"][0]["url"].endswith("/console/payouts/")
