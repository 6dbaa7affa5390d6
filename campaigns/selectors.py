"""Reads on challenges: the public lists, the console list, and who may see what.

Lists prefetch what their templates read (rounds, prizes), so a page runs the
same number of queries for one challenge or a hundred.
"""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from campaigns import lifecycle
from campaigns.models import Campaign, Criterion, Invitation, Prize, Round
from core.access import tenant_row_or_404
from core.permissions import is_team

SESSION_INVITES = "campaign_invites"

VISIBLE_STATUSES = (
    Campaign.Status.SCHEDULED,
    Campaign.Status.OPEN,
    Campaign.Status.CLOSED,
    Campaign.Status.ARCHIVED,
)


def with_details(queryset: QuerySet[Campaign]) -> QuerySet[Campaign]:
    return queryset.select_related("tenant").prefetch_related(
        Prefetch("rounds", queryset=Round.objects.order_by("index")),
        Prefetch("prizes", queryset=Prize.objects.order_by("round_kind", "rank")),
    )


# --- Who may see a challenge ---------------------------------------------------------


def _verified_email_domains(request) -> set[str]:
    """Domains of the signed-in person's verified e-mail addresses (cached per request)."""
    if not request.user.is_authenticated:
        return set()
    if not hasattr(request, "_campaign_email_domains"):
        from allauth.account.models import EmailAddress

        emails = EmailAddress.objects.filter(user=request.user, verified=True).values_list(
            "email", flat=True
        )
        request._campaign_email_domains = {e.rsplit("@", 1)[-1].lower() for e in emails}
    return request._campaign_email_domains


def round_for_console(request, public_id, *, campaign: Campaign | None = None) -> Round:
    """A round of the tenant (of `campaign` when given), or 404."""
    rounds = Round.objects.select_related("campaign", "campaign__tenant")
    if campaign is not None:
        rounds = rounds.filter(campaign=campaign)
    return tenant_row_or_404(request, rounds, public_id=public_id)


def is_tenant_staff(request) -> bool:
    """Staff as the brand's sign-in settings define them (verified address at a
    staff domain, or its own OpenID Connect sign-in): the accounts app's rule."""
    if not hasattr(request, "_campaign_is_staff"):
        request._campaign_is_staff = request.user.has_perm(
            "accounts.enter_staff_challenge", request.tenant
        )
    return request._campaign_is_staff


def is_employee(request, campaign: Campaign) -> bool:
    """May enter this employees-only challenge: the brand's staff, or a verified
    address at one of the extra domains the challenge itself admits."""
    if is_tenant_staff(request):
        return True
    return bool(set(campaign.employee_email_domains) & _verified_email_domains(request))


def has_invitation(request, campaign: Campaign) -> bool:
    return str(campaign.public_id) in request.session.get(SESSION_INVITES, [])


def can_view(request, campaign: Campaign) -> bool:
    """The public page of a published challenge: everyone for a public one; the
    brand's team, employees or invited people for the others."""
    if campaign.status not in VISIBLE_STATUSES:
        return False
    if campaign.audience == Campaign.Audience.PUBLIC:
        return True
    if is_team(request.user, request.tenant):
        return True
    if campaign.audience == Campaign.Audience.EMPLOYEES:
        return is_employee(request, campaign)
    return has_invitation(request, campaign)


def vote_totals_shown(request, campaign: Campaign, at=None, rounds=None) -> bool:
    """May this visitor see the challenge's vote totals, and the orders made of
    them (most voted, trending)? Yes, unless the challenge hides its totals
    while voting is open; then only the brand's team (owners, admins and
    moderators — not jurors) sees them. Pages, the API and exports ask this."""
    if campaign.show_vote_counts or is_team(request.user, request.tenant):
        return True
    return not lifecycle.totals_hidden(campaign, at, rounds)


def can_take_part(request, campaign: Campaign) -> bool:
    """May this person submit, vote and comment (audience only: the phase and the
    terms are checked by the lifecycle and the accounts app)."""
    if not request.user.is_authenticated:
        return False
    if campaign.audience == Campaign.Audience.PUBLIC:
        return True
    if campaign.audience == Campaign.Audience.EMPLOYEES:
        return is_employee(request, campaign)
    return has_invitation(request, campaign)


def remember_invitation(request, campaign: Campaign) -> None:
    invites = list(request.session.get(SESSION_INVITES, []))
    if str(campaign.public_id) not in invites:
        invites.append(str(campaign.public_id))
        request.session[SESSION_INVITES] = invites[-50:]


# --- Public ------------------------------------------------------------------------------


def visible_campaigns(request) -> QuerySet[Campaign]:
    """Published challenges this visitor may see (the `can_view` rule as a query),
    archived ones included; prefetched for lists."""
    campaigns = Campaign.objects.filter(tenant=request.tenant, status__in=VISIBLE_STATUSES)
    if not is_team(request.user, request.tenant):
        visible = Q(audience=Campaign.Audience.PUBLIC)
        if is_tenant_staff(request):
            visible |= Q(audience=Campaign.Audience.EMPLOYEES)
        else:
            domains = sorted(_verified_email_domains(request))
            if domains:
                visible |= Q(
                    audience=Campaign.Audience.EMPLOYEES, employee_email_domains__overlap=domains
                )
        invited = request.session.get(SESSION_INVITES, []) if hasattr(request, "session") else []
        if invited:
            visible |= Q(audience=Campaign.Audience.INVITE_ONLY, public_id__in=invited)
        campaigns = campaigns.filter(visible)
    return with_details(campaigns)


def public_campaigns(request) -> list[Campaign]:
    """What the home page lists: visible challenges, archived ones left out."""
    return list(
        visible_campaigns(request)
        .exclude(status=Campaign.Status.ARCHIVED)
        .order_by("-starts_at", "pk")
    )


def embeddable_campaigns(*, tenant) -> list[Campaign]:
    """The challenges a brand may embed on its site: visible, not archived."""
    return list(
        Campaign.objects.filter(tenant=tenant, status__in=VISIBLE_STATUSES)
        .exclude(status=Campaign.Status.ARCHIVED)
        .order_by("-starts_at", "pk")
    )


def home_sections(campaigns: list[Campaign], at=None) -> dict[str, list[Campaign]]:
    """Open challenges first (ending soonest first), then coming ones, then past ones."""
    sections = {"open": [], "upcoming": [], "past": []}
    for campaign in campaigns:
        phase = lifecycle.campaign_phase(campaign, at)
        if phase == lifecycle.Phase.OPEN:
            sections["open"].append(campaign)
        elif phase == lifecycle.Phase.UPCOMING:
            sections["upcoming"].append(campaign)
        else:
            sections["past"].append(campaign)
    sections["open"].sort(key=lambda c: c.ends_at)
    sections["upcoming"].sort(key=lambda c: c.starts_at)
    sections["past"].sort(key=lambda c: c.ends_at, reverse=True)
    return sections


def campaign_for_viewer(request, slug: str) -> Campaign:
    """The published challenge with this address that this visitor may see, or
    404 — the same 404 for "missing", "draft" and "not for you"."""
    campaign = tenant_row_or_404(request, with_details(Campaign.objects.all()), slug=slug)
    if not can_view(request, campaign):
        raise Http404
    return campaign


def campaign_published(request, slug: str) -> Campaign:
    """A published challenge by address whatever its audience (invitation links
    land here before the visitor has access), or 404."""
    return tenant_row_or_404(
        request,
        Campaign.objects.select_related("tenant"),
        slug=slug,
        status__in=VISIBLE_STATUSES,
    )


# --- Console -------------------------------------------------------------------------------


def console_campaigns(*, tenant) -> list[Campaign]:
    return list(with_details(Campaign.objects.filter(tenant=tenant)).order_by("-created_at"))


def campaign_for_console(request, slug: str) -> Campaign:
    """Any challenge of the request's tenant (drafts too), or 404."""
    rubric = Prefetch("criteria", queryset=Criterion.objects.order_by("position"))
    return tenant_row_or_404(
        request, with_details(Campaign.objects.all()).prefetch_related(rubric), slug=slug
    )


def invitations_of(campaign: Campaign) -> QuerySet[Invitation]:
    return Invitation.objects.filter(campaign=campaign).order_by("-created_at")


def invitation_for_console(campaign: Campaign, public_id) -> Invitation:
    invitation = Invitation.objects.filter(campaign=campaign, public_id=public_id).first()
    if invitation is None:
        raise Http404
    return invitation


def prize_pool(campaign: Campaign) -> dict[str, object]:
    """Everything the challenge promises, per currency: each round's prizes times
    the number of rounds, plus the grand prizes. Uses prefetched rows."""
    rounds = list(campaign.rounds.all())
    weekly_count = sum(1 for r in rounds if r.kind == Round.Kind.WEEKLY)
    totals: dict[str, object] = {}
    for prize in campaign.prizes.all():
        times = weekly_count if prize.round_kind == Round.Kind.WEEKLY else 1
        totals[prize.currency] = totals.get(prize.currency, 0) + prize.amount * times
    return totals


# --- For the dashboard's figures (insights) ------------------------------------------


def campaign_ids_by_slug(*, tenant, slugs) -> dict[str, int]:
    """The ids of the tenant's challenges at these addresses (one query)."""
    rows = Campaign.objects.filter(tenant=tenant, slug__in=set(slugs)).values_list("slug", "pk")
    return dict(rows)


def rounds_of_tenant(*, tenant) -> list[Round]:
    """Every round of the tenant's challenges, in order (one query)."""
    return list(Round.objects.filter(tenant=tenant).order_by("campaign_id", "index"))


def rounds_of(*, campaign: Campaign) -> list[Round]:
    """A challenge's rounds in order, with their tenant (its time zone), one query."""
    return list(Round.objects.filter(campaign=campaign).select_related("tenant").order_by("index"))
