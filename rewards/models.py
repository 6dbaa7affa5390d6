"""Awards, payouts, the brand's payout settings and the exported batches.

Thin on purpose: every write is in `services.py` (payouts) and `cycle.py` (the
round cycle that creates awards), every shared read in `selectors.py`. The
database holds what must never be wrong with money:

- one award per prize and round (`award_one_per_prize_and_round`: the prize is
  the round's kind and place, so (round, place) names it) and an idea wins a
  round once;
- one live payout per recipient and award, one payout per idempotency key;
- amounts above zero, shares between 0 and 100 %;
- a payout is in at most one live batch line (`batchline_one_live_per_payout`):
  it can never be exported twice while a bank run is pending or paid;
- money in the books is never deleted on the side: a challenge, round, award
  or payout with money attached refuses deletion (RESTRICT), unless its whole
  tenant goes.

Money is `Decimal` with a currency code, never a float. Awards copy the
prize's amount, currency and split rule when they are created: the promise
made at the announcement is what is paid, whatever the brand edits later.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from campaigns.models import CURRENCIES, Campaign, Prize, Round
from ideas.models import Idea
from tenants.models import Tenant

FULL_SHARE = 10_000  # basis points: 100 %


class PayoutSettings(models.Model):
    """The brand's bank account that pays the prizes (the SEPA file's debtor)."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="+")
    debtor_name = models.CharField(_("account holder"), max_length=70)
    # The brand's own account: not personal data, stored as entered (normalised).
    debtor_iban = models.CharField(_("IBAN"), max_length=34)
    debtor_bic = models.CharField(_("BIC"), max_length=11, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("payout settings")
        verbose_name_plural = _("payout settings")

    def __str__(self):
        return f"{self.tenant} · {self.debtor_name}"


class Award(models.Model):
    """A prize won by an idea in a round, created when the round is announced."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.RESTRICT, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.RESTRICT, related_name="+")
    # The brand may rewrite its prizes later (campaigns replaces the rows): the
    # award keeps its place and a copy of what was promised.
    prize = models.ForeignKey(
        Prize, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(_("place"))
    # An idea removed with its author's account leaves the award in the books.
    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idea_title = models.CharField(_("idea"), max_length=120)
    label = models.CharField(_("label"), max_length=120, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    split_rule = models.CharField(
        _("split between co-authors"), max_length=8, choices=Prize.SplitRule.choices
    )
    created_at = models.DateTimeField()

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["round_id", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "round", "rank"], name="award_one_per_prize_and_round"
            ),
            models.UniqueConstraint(
                fields=["tenant", "round", "idea"],
                condition=models.Q(idea__isnull=False),
                name="award_idea_once_per_round",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=Decimal("0")), name="award_amount_positive"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "campaign"], name="award_by_campaign")]

    def __str__(self):
        return f"{self.round} #{self.rank}: {self.amount} {self.currency}"


class PayoutDetails(models.Model):
    """Where a person wants a brand's prizes paid. The IBAN is encrypted
    (accounts.crypto, Fernet); only its country and last four characters are
    kept in clear, to show it masked."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="payout_details"
    )
    holder_name = models.CharField(_("account holder"), max_length=70)
    iban_encrypted = models.TextField()
    iban_country = models.CharField(max_length=2)
    iban_last4 = models.CharField(max_length=4)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("payout details")
        verbose_name_plural = _("payout details")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user"], name="payoutdetails_one_per_person"),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.masked_iban}"

    @property
    def masked_iban(self) -> str:
        return f"{self.iban_country}•• •••• •••• {self.iban_last4}"


class PayoutBatch(models.Model):
    """One export of approved payouts for the bank (a SEPA credit-transfer file)."""

    class State(models.TextChoices):
        EXPORTED = "exported", _("Sent to the bank")
        CLOSED = "closed", _("Bank run recorded")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(max_length=32)
    state = models.CharField(max_length=10, choices=State.choices, default=State.EXPORTED)
    reference = models.CharField(max_length=35)  # the file's message id
    currency = models.CharField(max_length=3, choices=CURRENCIES)
    total = models.DecimalField(max_digits=14, decimal_places=2)
    count = models.PositiveIntegerField()
    # The file as it was given to the brand, encrypted (it carries IBANs).
    file_encrypted = models.TextField(blank=True)
    file_name = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__gt=Decimal("0")) & models.Q(count__gt=0),
                name="batch_not_empty",
            ),
        ]

    def __str__(self):
        return f"{self.reference} · {self.count} · {self.total} {self.currency}"


class Payout(models.Model):
    """What one recipient is owed for one award, and where its payment stands.

    The state machine is declared here once (`TRANSITIONS`); `services.payout_move`
    is the only code that changes `state`, and refuses anything else.
    """

    class State(models.TextChoices):
        AWAITING_DETAILS = "awaiting_details", _("Waiting for payment details")
        READY = "ready", _("Ready for approval")
        APPROVED = "approved", _("Approved")
        EXPORTED = "exported", _("Sent to the bank")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS = {
        State.AWAITING_DETAILS: {State.READY, State.CANCELLED},
        # Back to awaiting details when the recipient's details are erased;
        # approved goes back to ready when the details change (approve again).
        State.READY: {State.APPROVED, State.AWAITING_DETAILS, State.CANCELLED},
        State.APPROVED: {State.EXPORTED, State.READY, State.CANCELLED},
        State.EXPORTED: {State.PAID, State.FAILED},
        State.FAILED: {State.READY, State.AWAITING_DETAILS, State.CANCELLED},
        State.PAID: set(),
        State.CANCELLED: set(),
    }
    # Money promised and still to pay, in the books.
    OPEN_STATES = (State.AWAITING_DETAILS, State.READY, State.FAILED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    award = models.ForeignKey(Award, on_delete=models.RESTRICT, related_name="payouts")
    campaign = models.ForeignKey(Campaign, on_delete=models.RESTRICT, related_name="+")
    # Null once the person's account is gone: a paid prize stays in the books.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payouts",
    )
    # The recipient's name when the award was split (for the console and the
    # books); erased with the person.
    recipient_name = models.CharField(max_length=150, blank=True)
    share_bp = models.PositiveIntegerField(_("share (basis points)"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.AWAITING_DETAILS
    )
    # "<award>:<recipient>:<n>": the same payout is never created twice.
    idempotency_key = models.CharField(max_length=120)
    provider = models.CharField(max_length=32, default="sepa_file")
    failure_reason = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    exported_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "idempotency_key"], name="payout_idempotency_key"
            ),
            models.UniqueConstraint(
                fields=["tenant", "award", "recipient"],
                condition=~models.Q(state="cancelled") & models.Q(recipient__isnull=False),
                name="payout_one_live_per_recipient",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=Decimal("0")), name="payout_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(share_bp__gt=0) & models.Q(share_bp__lte=FULL_SHARE),
                name="payout_share_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    state__in=[
                        "awaiting_details",
                        "ready",
                        "approved",
                        "exported",
                        "paid",
                        "failed",
                        "cancelled",
                    ]
                ),
                name="payout_state_known",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "state", "created_at"], name="payout_by_state"),
            models.Index(fields=["tenant", "campaign", "state"], name="payout_by_campaign"),
        ]

    def __str__(self):
        return f"{self.award_id} → {self.recipient_id}: {self.amount} {self.currency}"

    def can_move_to(self, state: str) -> bool:
        return state in self.TRANSITIONS.get(self.State(self.state), set())


class PayoutBatchLine(models.Model):
    """One payout in one batch, as the file carried it. A payout that failed
    at the bank and was approved again goes out in a new batch, on a new line;
    its failed line stays as the record of the first attempt."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting for the bank")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(PayoutBatch, on_delete=models.RESTRICT, related_name="lines")
    payout = models.ForeignKey(Payout, on_delete=models.RESTRICT, related_name="batch_lines")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    end_to_end_id = models.CharField(max_length=35)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    failure_reason = models.TextField(blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("batch line")
        verbose_name_plural = _("batch lines")
        ordering = ["batch_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "payout"],
                condition=~models.Q(outcome="failed"),
                name="batchline_one_live_per_payout",
            ),
            models.UniqueConstraint(
                fields=["tenant", "batch", "payout"], name="batchline_payout_once_per_batch"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=Decimal("0")), name="batchline_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.batch_id} · {self.payout_id} · {self.outcome}"
