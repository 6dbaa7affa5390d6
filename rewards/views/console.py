"""The brand's side of prizes: payouts to approve, the bank export and its
outcome, the paying account, how a prize is shared, and each challenge's books.
Owners and administrators only (money moves on their word)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Membership
from core.errors import DomainError
from core.permissions import console_view
from core.views import in_tenant_time_zone, run_and_say, valid_uuids
from rewards import selectors, services, splits
from rewards.models import Payout

ADMIN = Membership.Role.ADMIN


@console_view(ADMIN)
@require_GET
@in_tenant_time_zone
def payouts(request):
    state = request.GET.get("state") or "ready"
    if state not in selectors.CONSOLE_FILTERS:
        state = "ready"
    campaign = request.GET.get("challenge", "")[:60]
    return render(
        request,
        "rewards/console/payouts.html",
        {
            "payouts": selectors.console_payouts(
                tenant=request.tenant, state=state, campaign=campaign
            ),
            "state": state,
            "filters": [
                (s, Payout.State(s).label if s != "all" else _("All"))
                for s in selectors.CONSOLE_FILTERS
            ],
            "counts": selectors.state_counts(tenant=request.tenant),
            "batches": selectors.batches(tenant=request.tenant, limit=10),
            "settings": selectors.payout_settings(tenant=request.tenant),
        },
    )


@console_view(ADMIN)
@require_POST
def approve(request):
    chosen = selectors.payouts_by_ids(
        tenant=request.tenant, public_ids=valid_uuids(request.POST.getlist("payouts"))
    )
    try:
        done = services.payouts_approve(tenant=request.tenant, payouts=chosen, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(n)s payout approved.", "%(n)s payouts approved.", len(done))
            % {"n": len(done)},
        )
    return redirect("console:payouts")


@console_view(ADMIN)
@require_POST
def export(request):
    try:
        batch = services.batch_export(tenant=request.tenant, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("console:payouts")
    messages.success(
        request,
        _("The bank file is ready: download it and give it to your bank."),
    )
    return redirect("console:payout_batch", public_id=batch.public_id)


@console_view(ADMIN)
@require_GET
@in_tenant_time_zone
def batch(request, public_id):
    found = selectors.batch_for_console(request, public_id)
    return render(
        request,
        "rewards/console/batch.html",
        {"batch": found, "lines": selectors.batch_lines(found)},
    )


@console_view(ADMIN)
@require_GET
def batch_download(request, public_id):
    found = selectors.batch_for_console(request, public_id)
    response = HttpResponse(services.batch_file(found), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{found.file_name}"'
    response["Cache-Control"] = "no-store"
    return response


@console_view(ADMIN)
@require_POST
def batch_paid(request, public_id):
    found = selectors.batch_for_console(request, public_id)
    run_and_say(
        request,
        lambda: services.batch_mark_paid(batch=found, actor=request.user),
        _("The bank run is recorded: the payouts are paid."),
    )
    return redirect("console:payout_batch", public_id=found.public_id)


@console_view(ADMIN)
@require_POST
def payout_fail(request, public_id):
    payout = selectors.payout_for_console(request, public_id)
    reason = request.POST.get("reason", "")
    run_and_say(
        request,
        lambda: services.payout_mark_failed(payout=payout, actor=request.user, reason=reason),
        _("The payout is marked failed; the winner is told why."),
    )
    line = payout.batch_lines.order_by("-pk").select_related("batch").first()
    if line is not None:
        return redirect("console:payout_batch", public_id=line.batch.public_id)
    return redirect("console:payouts")


@console_view(ADMIN)
@require_POST
def payout_cancel(request, public_id):
    payout = selectors.payout_for_console(request, public_id)
    reason = request.POST.get("reason", "")
    run_and_say(
        request,
        lambda: services.payout_cancel(payout=payout, actor=request.user, reason=reason),
        _("The payout is cancelled."),
    )
    return redirect("console:payouts")


@console_view(ADMIN)
@require_http_methods(["GET", "POST"])
def payout_settings(request):
    current = selectors.payout_settings(tenant=request.tenant)
    values = {
        "debtor_name": current.debtor_name if current else request.tenant.name,
        "debtor_iban": current.debtor_iban if current else "",
        "debtor_bic": current.debtor_bic if current else "",
    }
    errors, status = {}, 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "").strip() for name in values}
        try:
            services.payout_settings_save(tenant=request.tenant, actor=request.user, **values)
        except DomainError as error:
            errors, status = error.fields or {"debtor_iban": [error.message]}, 400
        else:
            messages.success(request, _("The paying account is saved."))
            return redirect("console:payout_settings")
    return render(
        request,
        "rewards/console/settings.html",
        {"values": values, "errors": errors},
        status=status,
    )


@console_view(ADMIN)
@require_http_methods(["GET", "POST"])
@in_tenant_time_zone
def award(request, public_id):
    """How a prize is shared between the idea's author and co-authors."""
    found = selectors.award_for_console(request, public_id)
    people = services.contributors_of(found)
    current = {
        p.recipient_id: p.share_bp for p in found.payouts.exclude(state=Payout.State.CANCELLED)
    }
    values = {
        str(u.public_id): str(splits.percent(current.get(u.pk, 0))) if u.pk in current else ""
        for u in people
    }
    errors, status = {}, 200
    if request.method == "POST":
        values = {
            str(u.public_id): request.POST.get(f"share-{u.public_id}", "").strip() for u in people
        }
        shares, bad = [], False
        for person in people:
            text = values[str(person.public_id)]
            if not text or text in ("0", "0.00"):
                continue
            share = splits.parse_percent(text)
            if share is None:
                bad = True
                continue
            shares.append((person, share))
        try:
            if bad:
                raise services.RewardsError(
                    _("Enter each share as a percentage, such as 50 or 33.33."),
                    fields={
                        "shares": [_("Enter each share as a percentage, such as 50 or 33.33.")]
                    },
                )
            services.award_split_set(award=found, shares=shares, actor=request.user)
        except DomainError as error:
            errors, status = error.fields or {"shares": [error.message]}, 400
        else:
            messages.success(request, _("The prize's shares are saved."))
            return redirect("console:award", public_id=found.public_id)
    return render(
        request,
        "rewards/console/award.html",
        {
            "award": found,
            "people": [(u, values.get(str(u.public_id), "")) for u in people],
            "payouts": list(found.payouts.order_by("-created_at")),
            "errors": errors,
        },
        status=status,
    )


@console_view(ADMIN)
@require_GET
def books(request):
    campaigns = selectors.books_campaigns(tenant=request.tenant)
    chosen = request.GET.get("challenge", "")
    campaign = next((c for c in campaigns if c.slug == chosen), campaigns[0] if campaigns else None)
    return render(
        request,
        "rewards/console/books.html",
        {
            "campaigns": campaigns,
            "campaign": campaign,
            "books": selectors.books_of(campaign) if campaign else [],
            "awards": selectors.awards_for_books(campaign) if campaign else [],
        },
    )
