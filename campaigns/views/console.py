"""The brand's console: its challenges, the guided challenge form with its live
preview, publishing, and the brand settings.

Everyone on the team (owner, admin, moderator) sees the challenges; changing
them, publishing and the brand settings need an admin. Jurors get 403 and
people outside the team 404 (accounts.permissions).
"""

import copy

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import extensions, forms, lifecycle, selectors, services
from campaigns.models import CURRENCY_CODES, Campaign, Prize
from campaigns.pages import challenge_summary
from campaigns.schedule import round_windows
from campaigns.services import CampaignError
from core.permissions import CONSOLE_ROLES, Role, console_view
from core.views import in_tenant_time_zone
from tenants.branding import palette
from tenants.services import platform_hostname

MANAGERS = (Role.ADMIN,)  # owners and admins


# --- Overview --------------------------------------------------------------------------


@require_GET
@console_view(*CONSOLE_ROLES)
@in_tenant_time_zone
def overview(request):
    """Every challenge of the brand with its status and key numbers."""
    campaigns = selectors.console_campaigns(tenant=request.tenant)
    now = timezone.now()
    numbers = [(n, n.counts(campaigns) if campaigns else {}) for n in extensions.console_numbers()]
    rows = []
    for campaign in campaigns:
        rounds = list(campaign.rounds.all())
        current = lifecycle.current_round(campaign, now, rounds)
        phase = lifecycle.campaign_phase(campaign, now)
        rows.append(
            {
                "campaign": campaign,
                "phase": phase,
                "phase_label": lifecycle.Phase.labels[phase],
                "current": current,
                "round_count": sum(1 for r in rounds if r.kind == "weekly"),
                "pool": selectors.prize_pool(campaign),
                "numbers": [(n.label, counts.get(campaign.pk, 0)) for n, counts in numbers],
            }
        )
    totals = {
        "open": sum(1 for r in rows if r["phase"] == lifecycle.Phase.OPEN),
        "upcoming": sum(1 for r in rows if r["phase"] == lifecycle.Phase.UPCOMING),
        "drafts": sum(1 for r in rows if r["phase"] == lifecycle.Phase.DRAFT),
    }
    return render(
        request,
        "campaigns/console/overview.html",
        {
            "rows": rows,
            "totals": totals,
            "number_labels": [n.label for n, _counts in numbers],
            "can_manage": _can_manage(request),
        },
    )


def _can_manage(request) -> bool:
    return request.user.has_perm("campaigns.manage_challenges", request.tenant)


# --- The guided form ---------------------------------------------------------------------


def _step_context(request, form, campaign, step_index):
    return {
        "form": form,
        "campaign": campaign,
        "steps": [(f.step, f.title_text) for f in forms.STEPS],
        "step_index": step_index,
        "step": forms.STEPS[step_index].step,
        "next_label": _("Save and continue")
        if step_index < len(forms.STEPS) - 1
        else _("Save and review"),
    }


@require_http_methods(["GET", "POST"])
@console_view(*MANAGERS)
@in_tenant_time_zone
def challenge_new(request):
    """Step one of a new challenge: saving it makes the draft."""
    if request.method == "POST":
        form = forms.BasicsForm(request.POST, request.FILES)
        if form.is_valid():
            changes = form.changes()
            changes.pop("remove_cover", None)
            try:
                campaign = services.campaign_create(
                    tenant=request.tenant, actor=request.user, **changes
                )
            except CampaignError as exc:
                forms.show_service_errors(form, exc.fields, exc.message)
            else:
                messages.success(request, _("Draft saved. Next: who takes part."))
                return redirect("console:challenge_step", slug=campaign.slug, step="participation")
    else:
        form = forms.BasicsForm()
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "campaigns/console/step.html",
        _step_context(request, form, None, 0),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@console_view(*MANAGERS)
@in_tenant_time_zone
def challenge_step(request, slug, step):
    campaign = selectors.campaign_for_console(request, slug)
    form_class = forms.STEP_BY_NAME.get(step)
    if form_class is None:
        return redirect("console:challenge_step", slug=campaign.slug, step="basics")
    step_index = forms.STEPS.index(form_class)
    if campaign.status in (Campaign.Status.CLOSED, Campaign.Status.ARCHIVED):
        messages.error(request, _("This challenge is over: it cannot change."))
        return redirect("console:challenge", slug=campaign.slug)

    extra = {"initial": form_class.initial_from(campaign)}
    if form_class is forms.PrizesForm:
        extra["criteria_initial"] = forms.PrizesForm.criteria_initial(campaign)
        extra["prizes"] = list(campaign.prizes.all())
    if request.method == "POST":
        form = _with_locks(form_class(request.POST, request.FILES, **extra), campaign)
        if form.is_valid():
            try:
                campaign = services.campaign_update(
                    campaign=campaign, actor=request.user, **form.changes()
                )
            except CampaignError as exc:
                forms.show_service_errors(form, exc.fields, exc.message)
            else:
                if step_index + 1 < len(forms.STEPS):
                    next_step = forms.STEPS[step_index + 1].step
                    return redirect("console:challenge_step", slug=campaign.slug, step=next_step)
                return redirect("console:challenge", slug=campaign.slug)
        status = 400
    else:
        form = _with_locks(form_class(**extra), campaign)
        status = 200
    context = _step_context(request, form, campaign, step_index)
    return render(request, "campaigns/console/step.html", context, status=status)


def _with_locks(form, campaign):
    """Settings fixed once published are shown but not editable (nor sent)."""
    if campaign.is_published:
        for name in services.LOCKED_WHEN_PUBLISHED & set(form.fields):
            form.fields[name].disabled = True
    return form


@require_POST
@console_view(*MANAGERS)
@in_tenant_time_zone
def challenge_preview_panel(request, slug=None):
    """The live preview beside the form (htmx): the step's unsaved values over the
    challenge's saved ones, with rounds, rules and prizes computed as they would be."""
    campaign = selectors.campaign_for_console(request, slug) if slug else None
    form_class = forms.STEP_BY_NAME.get(request.POST.get("_step", ""))
    if form_class is None:
        return HttpResponseBadRequest()
    extra = {"criteria_initial": []} if form_class is forms.PrizesForm else {}
    form = form_class(request.POST, **extra)
    form.is_valid()  # keep whatever is valid; the rest stays as saved
    preview, rounds, prizes = _preview_of(request, campaign, form)
    summary = challenge_summary(preview, rounds=rounds, prizes=prizes)
    return render(
        request,
        "campaigns/console/_preview.html",
        {"campaign": preview, "preview": True, **summary},
    )


def _preview_of(request, campaign, form):
    if campaign is None:
        preview = Campaign(tenant=request.tenant, **services.campaign_defaults(request.tenant))
        prizes = []
    else:
        preview = copy.copy(campaign)
        prizes = list(campaign.prizes.all())
    preview.pk = None
    valid = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    for name, value in valid.items():
        if name not in services.SETTINGS:
            continue
        if value is None and name not in ("votes_per_round", "cadence_days"):
            continue
        if name == "themes":
            value = [t.strip() for t in (value or "").split(",") if t.strip()]
        elif name == "employee_email_domains":
            value = [d.strip() for d in (value or "").split(",") if d.strip()]
        elif name == "description":
            value = services.sanitise_description(value)
        elif name == "cadence" and value != Campaign.Cadence.DAYS:
            preview.cadence_days = None
        setattr(preview, name, value)
    if isinstance(form, forms.PrizesForm):
        data = form.cleaned_data
        currency = data.get("currency") if data.get("currency") in CURRENCY_CODES else "EUR"
        split_rule = data.get("split_rule") or Prize.SplitRule.AUTHOR
        prizes = [
            Prize(round_kind=kind, amount=amount, currency=currency, split_rule=split_rule)
            for kind, amount in (
                ("weekly", data.get("weekly_prize")),
                ("grand", data.get("grand_prize")),
            )
            if amount is not None and amount > 0
        ]
        # The next places, set through the API, are kept by saving the step.
        kinds = {prize.round_kind for prize in prizes}
        if campaign is not None:
            prizes += [p for p in campaign.prizes.all() if p.rank > 1 and p.round_kind in kinds]
    try:
        rounds = round_windows(
            starts_at=preview.starts_at,
            ends_at=preview.ends_at,
            round_days=preview.round_days,
            time_zone=request.tenant.time_zone,
        )
    except (ValueError, TypeError):
        rounds = []
    return preview, rounds, prizes


# --- A challenge --------------------------------------------------------------------------


@require_GET
@console_view(*CONSOLE_ROLES)
@in_tenant_time_zone
def challenge(request, slug):
    """A challenge in the console: where it stands, what it still needs, its
    rounds, its invitation links, and the actions."""
    campaign = selectors.campaign_for_console(request, slug)
    summary = challenge_summary(
        campaign, rounds=campaign.rounds.all(), prizes=campaign.prizes.all()
    )
    problems = services.publish_problems(campaign) if not campaign.is_published else {}
    warnings = extensions.readiness_warnings(campaign) if not campaign.is_published else []
    invitations = (
        list(selectors.invitations_of(campaign))
        if campaign.audience == Campaign.Audience.INVITE_ONLY
        else []
    )
    return render(
        request,
        "campaigns/console/challenge.html",
        {
            "campaign": campaign,
            "problems": problems,
            "problem_steps": _problem_steps(problems),
            "warnings": warnings,
            "invitations": invitations,
            "invitation_form": forms.InvitationForm(),
            "can_manage": _can_manage(request),
            "steps": [(f.step, f.title_text) for f in forms.STEPS],
            "criteria": list(campaign.criteria.all()),
            "public_url": request.build_absolute_uri(
                reverse("campaigns:detail", kwargs={"slug": campaign.slug})
            ),
            **summary,
        },
    )


def _problem_steps(problems: dict) -> list[tuple[str, str]]:
    """Each problem with the step of the form that fixes it."""
    where = {}
    for form_class in forms.STEPS:
        for name in form_class.base_fields:
            where[name] = form_class.step
    return [
        (where.get(field, "basics"), message)
        for field, messages_ in problems.items()
        for message in messages_
    ]


@require_GET
@console_view(*CONSOLE_ROLES)
@in_tenant_time_zone
def challenge_preview(request, slug):
    """The public page as it will look, drafts included."""
    campaign = selectors.campaign_for_console(request, slug)
    summary = challenge_summary(
        campaign, rounds=campaign.rounds.all(), prizes=campaign.prizes.all()
    )
    return render(
        request,
        "campaigns/public/challenge.html",
        {
            "campaign": campaign,
            "preview": True,
            "can_take_part": False,
            "share_url": request.build_absolute_uri(
                reverse("campaigns:detail", kwargs={"slug": campaign.slug})
            ),
            **summary,
        },
    )


def _confirmed_step(service, *, done, title, question, button):
    """A console view for a step the owner confirms first: GET asks the
    question, POST calls the service with the reason given."""

    @require_http_methods(["GET", "POST"])
    @console_view(*MANAGERS)
    @in_tenant_time_zone
    def view(request, slug):
        campaign = selectors.campaign_for_console(request, slug)
        form = forms.ReasonForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                result = service(
                    campaign=campaign, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except CampaignError as exc:
                messages.error(request, exc.message)
                return redirect("console:challenge", slug=campaign.slug)
            messages.success(request, done)
            return redirect("console:challenge", slug=result.slug)
        context = {"campaign": campaign, "form": form, "title": title, "question": question}
        return render(request, "campaigns/console/confirm.html", {**context, "button": button})

    return view


@require_http_methods(["GET", "POST"])
@console_view(*MANAGERS)
@in_tenant_time_zone
def challenge_publish(request, slug):
    """GET: what publishing does, and the button that does it (no script needed);
    POST: publish."""
    campaign = selectors.campaign_for_console(request, slug)
    if request.method == "GET":
        if campaign.status != Campaign.Status.DRAFT:
            return redirect("console:challenge", slug=campaign.slug)
        return render(
            request,
            "campaigns/console/publish_confirm.html",
            {
                "campaign": campaign,
                "problems": services.publish_problems(campaign),
                "warnings": extensions.readiness_warnings(campaign),
                "opens_now": campaign.starts_at <= timezone.now(),
                "public_url": request.build_absolute_uri(
                    reverse("campaigns:detail", kwargs={"slug": campaign.slug})
                ),
            },
        )
    try:
        campaign = services.campaign_publish(campaign=campaign, actor=request.user)
    except CampaignError as exc:
        messages.error(request, exc.message)
        return redirect("console:challenge", slug=campaign.slug)
    if campaign.status == Campaign.Status.OPEN:
        messages.success(request, _("Published: the challenge is open."))
    else:
        messages.success(request, _("Published: the challenge opens at its start."))
    return redirect("console:challenge", slug=campaign.slug)


challenge_unpublish = _confirmed_step(
    services.campaign_unpublish,
    done=gettext_lazy("The challenge is a draft again: only your team sees it."),
    title=gettext_lazy("Unpublish this challenge?"),
    question=gettext_lazy(
        "It goes back to draft and disappears from your site until you publish it again. "
        "Anyone who saved its link will find nothing there."
    ),
    button=gettext_lazy("Unpublish"),
)

challenge_close = _confirmed_step(
    services.campaign_close,
    done=gettext_lazy(
        "The challenge is closed. Its last round and the grand round are judged now."
    ),
    title=gettext_lazy("Close this challenge now?"),
    question=gettext_lazy(
        "Nobody can submit or vote any more. The running round and the grand round end "
        "now and go to the jury; the rounds that had not started are dropped. "
        "This cannot be undone."
    ),
    button=gettext_lazy("Close the challenge now"),
)

challenge_archive = _confirmed_step(
    services.campaign_archive,
    done=gettext_lazy("Archived: the challenge no longer appears on your home page."),
    title=gettext_lazy("Archive this challenge?"),
    question=gettext_lazy(
        "It leaves your site's home page; its page stays reachable through its link. "
        "It cannot be changed any more."
    ),
    button=gettext_lazy("Archive"),
)


@require_POST
@console_view(*MANAGERS)
@in_tenant_time_zone
def challenge_duplicate(request, slug):
    campaign = selectors.campaign_for_console(request, slug)
    copy_ = services.campaign_duplicate(campaign=campaign, actor=request.user)
    messages.success(request, _("Copied as a new draft. Check its dates before publishing."))
    return redirect("console:challenge_step", slug=copy_.slug, step="basics")


# --- Invitation links ------------------------------------------------------------------


@require_POST
@console_view(*MANAGERS)
def invitation_create(request, slug):
    campaign = selectors.campaign_for_console(request, slug)
    form = forms.InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                campaign=campaign, actor=request.user, label=form.cleaned_data["label"]
            )
        except CampaignError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Invitation link created."))
    else:
        messages.error(request, _("Keep the label under 120 characters."))
    return redirect(reverse("console:challenge", kwargs={"slug": campaign.slug}) + "#invitations")


@require_POST
@console_view(*MANAGERS)
def invitation_revoke(request, slug, public_id):
    campaign = selectors.campaign_for_console(request, slug)
    invitation = selectors.invitation_for_console(campaign, public_id)
    services.invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, _("The link no longer lets anyone in."))
    return redirect(reverse("console:challenge", kwargs={"slug": campaign.slug}) + "#invitations")


# --- Brand settings --------------------------------------------------------------------


def _brand_initial(tenant) -> dict:
    return {
        "name": tenant.name,
        "default_language": tenant.default_language,
        "languages": tenant.languages,
        "time_zone": tenant.time_zone,
        "primary_colour": tenant.primary_colour,
        "accent_colour": tenant.accent_colour,
    }


def _brand_page(request, *, form=None, domain_form=None, status=200):
    tenant = request.tenant
    return render(
        request,
        "campaigns/console/brand.html",
        {
            "form": form or forms.BrandForm(initial=_brand_initial(tenant)),
            "domain_form": domain_form or forms.DomainForm(),
            "domains": list(tenant.domains.order_by("-is_primary", "hostname")),
            "platform_hostname": platform_hostname(tenant.slug),
            "readable_fill": _readable_fill(tenant.primary_colour),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@console_view(*MANAGERS)
def brand(request):
    if request.method == "GET":
        return _brand_page(request)
    form = forms.BrandForm(request.POST, request.FILES, initial=_brand_initial(request.tenant))
    if not form.is_valid():
        return _brand_page(request, form=form, status=400)
    data = dict(form.cleaned_data)
    logo = data.pop("logo") or None
    remove_logo = data.pop("remove_logo")
    try:
        services.brand_update(
            tenant=request.tenant, actor=request.user, logo=logo, remove_logo=remove_logo, **data
        )
    except CampaignError as exc:
        forms.show_service_errors(form, exc.fields, exc.message)
        return _brand_page(request, form=form, status=400)
    messages.success(request, _("Brand settings saved."))
    return redirect("console:brand")


@require_POST
@console_view(*MANAGERS)
def brand_domain_add(request):
    form = forms.DomainForm(request.POST)
    if form.is_valid():
        try:
            services.brand_domain_add(
                tenant=request.tenant, actor=request.user, hostname=form.cleaned_data["hostname"]
            )
        except CampaignError as exc:
            forms.show_service_errors(form, exc.fields, exc.message)
        else:
            messages.success(request, _("Domain added. It works as soon as its DNS points here."))
            return redirect("console:brand")
    return _brand_page(request, domain_form=form, status=400)


def _domain_for_console(request, hostname: str):
    """One of this tenant's domains, or 404 (the same for another tenant's)."""
    domain = request.tenant.domains.filter(hostname=hostname.lower()).first()
    if domain is None:
        raise Http404
    return domain


@require_POST
@console_view(*MANAGERS)
def brand_domain_primary(request, hostname):
    domain = _domain_for_console(request, hostname)
    services.brand_domain_set_primary(tenant=request.tenant, actor=request.user, domain=domain)
    messages.success(request, _("%(host)s is now the main address.") % {"host": domain.hostname})
    return redirect("console:brand")


@require_http_methods(["GET", "POST"])
@console_view(*MANAGERS)
def brand_domain_remove(request, hostname):
    domain = _domain_for_console(request, hostname)
    if request.method == "GET":
        return render(request, "campaigns/console/domain_remove.html", {"domain": domain})
    try:
        services.brand_domain_remove(tenant=request.tenant, actor=request.user, domain=domain)
    except CampaignError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(host)s was removed.") % {"host": domain.hostname})
    return redirect("console:brand")


def _readable_fill(colour: str) -> str:
    """The main colour as the site wears it under text (header, buttons) when it
    had to be darkened to stay readable; "" when it is worn as chosen."""
    fill = palette(colour)["fill"]
    return fill if fill != colour.lower() else ""
