"""The SEPA export at scale: a thousand approved payouts go out in one file,
each exported once and on record, in a number of queries that does not grow
with the payouts."""

import pytest
from django.db import transaction
from django_scopes import scope

from accounts.models import AuditEntry
from rewards import services
from rewards.models import Award, Payout, PayoutBatchLine
from rewards.providers import PayoutError
from rewards.providers.sepa import validate_pain001


def _copy(row, **changes):
    """A new, unsaved row of the same model with `row`'s values but for `changes`
    (its key and unique values left to their defaults)."""
    fields = type(row)._meta.concrete_fields
    values = {f.attname: getattr(row, f.attname) for f in fields if not f.unique}
    return type(row)(**(values | changes))


@pytest.fixture
def many_approved(genios, owner, approved_payouts):
    """`make(n)`: n approved payouts of 500 € in round 1. The first is made
    through the services (announced, details entered, approved); the others
    copy it row by row, one award each, because a thousand judged rounds
    would take minutes to set up and the export is what is measured."""

    def make(n):
        with scope(tenant=genios.tenant):
            first = Payout.objects.select_related("award").get()
            award = first.award
            awards = Award.objects.bulk_create(
                _copy(award, rank=award.rank + i, idea_id=None, idea_title=f"Idea {i}")
                for i in range(1, n)
            )
            Payout.objects.bulk_create(
                _copy(
                    first,
                    award_id=a.pk,
                    amount=a.amount,
                    currency=a.currency,
                    state=Payout.State.APPROVED,
                    idempotency_key=f"{a.pk}:{first.recipient_id}:1",
                )
                for a in awards
            )
            assert Payout.objects.filter(state="approved").count() == n
        return genios.tenant

    return make


@pytest.mark.parametrize("count", [10, 1000])
def test_exporting_payouts_costs_the_same_few_queries_however_many(
    many_approved, owner, count, django_assert_max_num_queries
):
    tenant = many_approved(count)
    with scope(tenant=tenant):
        approved = {str(p.public_id): p.amount for p in Payout.objects.filter(state="approved")}
        with django_assert_max_num_queries(12):
            batch = services.batch_export(tenant=tenant, actor=owner)
        content = services.batch_file(batch).decode()
        # Each payout once in the file, on one batch line, exported, and on record.
        assert batch.count == count and batch.total == sum(approved.values())
        assert f"<NbOfTxs>{count}</NbOfTxs>" in content
        assert content.count("<EndToEndId>") == count
        lines = PayoutBatchLine.objects.filter(batch=batch)
        assert sorted(lines.values_list("end_to_end_id", flat=True)) == sorted(
            key.replace("-", "")[:35] for key in approved
        )
        assert (
            Payout.objects.filter(state="exported", exported_at=batch.created_at).count() == count
        )
        assert not Payout.objects.filter(state="approved").exists()
        entries = AuditEntry.objects.filter(action="payout.exported")
        assert sorted(entries.values_list("target_id", flat=True)) == sorted(approved)
        assert {(e.actor_id, e.data["from"], e.data["batch"]) for e in entries} == {
            (owner.pk, "approved", str(batch.public_id))
        }
        assert {e.data["amount"] for e in entries} == {str(a) for a in approved.values()}
        with pytest.raises(services.RewardsError) as again:
            services.batch_export(tenant=tenant, actor=owner)
    assert again.value.code == "nothing_to_export"


def test_moving_many_payouts_refuses_them_all_if_one_may_not_move(many_approved, owner):
    tenant = many_approved(3)
    with scope(tenant=tenant):
        payouts = list(Payout.objects.order_by("pk"))
        with transaction.atomic():
            services.payouts_move(tenant=tenant, payouts=payouts[:1], to="exported", actor=owner)
        with pytest.raises(services.PayoutStateError), transaction.atomic():
            services.payouts_move(tenant=tenant, payouts=payouts, to="exported", actor=owner)
        states = list(Payout.objects.order_by("pk").values_list("state", flat=True))
        assert states == ["exported", "approved", "approved"]
        assert AuditEntry.objects.filter(action="payout.exported").count() == 1


def test_a_file_that_does_not_match_the_schema_is_refused(many_approved, owner):
    tenant = many_approved(2)
    with scope(tenant=tenant):
        batch = services.batch_export(tenant=tenant, actor=owner)
        content = services.batch_file(batch)
    validate_pain001(content)
    tampered = content.replace(b"<CtrlSum>", b"<CtrlSum>x", 1)
    for broken in (tampered, content[:-20], b"<Document/>"):
        with pytest.raises(PayoutError) as refused:
            validate_pain001(broken)
        assert refused.value.code == "sepa_invalid" and refused.value.permanent
