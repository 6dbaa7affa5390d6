"""The weekly report: claimed once per tenant and week, then sent to the team.

Each member of the brand's console team (owners, administrators, moderators)
is told through `notify()`, so the report follows their preferences (the
"weekly report" line of their notification settings, and the one-click
unsubscribe link of the e-mail) and comes in their own language.
"""

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction

from campaigns import selectors as campaign_selectors
from core.permissions import CONSOLE_ROLES, team_members
from insights import reports
from insights.models import WeeklyReport
from notifications.services import notify
from tenants.models import Tenant

logger = logging.getLogger(__name__)

EVENT = "insights.weekly_report"


def weekly_report_send(*, tenant: Tenant, now: datetime) -> WeeklyReport | None:
    """Send `tenant`'s report of the last complete week before `now`, unless it
    went already (None then). Call it in the tenant's scope.

    The week is claimed by inserting its row: a second run, or a second worker
    at the same moment, hits the (tenant, week) constraint and sends nothing.
    The claim and the notifications commit together; the e-mails are queued
    after commit."""
    zone = ZoneInfo(tenant.time_zone)
    monday, start, end = reports.last_week(now, zone)
    if WeeklyReport.objects.filter(tenant=tenant, week_start=monday).exists():
        return None
    figures = reports.week_figures(tenant=tenant, start=start, end=end)
    figures["tenant_name"] = tenant.name
    team = team_members(tenant, *CONSOLE_ROLES)
    try:
        with transaction.atomic():
            report = WeeklyReport.objects.create(
                tenant=tenant, week_start=monday, figures=figures, recipients=len(team)
            )
            for member in team:
                notify(
                    recipient=member,
                    event=EVENT,
                    tenant=tenant,
                    context=figures,
                    dedupe_key=f"weekly-report:{monday.isoformat()}",
                )
    except IntegrityError:
        logger.info("weekly report of %s for %s: already sent", tenant.slug, monday)
        return None
    return report


def weekly_reports_send_due(*, now: datetime) -> list[WeeklyReport]:
    """Every active tenant's report whose Monday morning has come (the beat
    task, hourly). Tenants that started after the week, or have no challenge,
    get none."""
    from django_scopes import scope

    sent = []
    for tenant in Tenant.objects.filter(status=Tenant.Status.ACTIVE).order_by("pk"):
        zone = ZoneInfo(tenant.time_zone)
        if not reports.is_due(now, zone):
            continue
        _monday, _start, end = reports.last_week(now, zone)
        if tenant.created_at >= end:
            continue
        with scope(tenant=tenant):
            if not campaign_selectors.console_campaigns(tenant=tenant):
                continue
            report = weekly_report_send(tenant=tenant, now=now)
        if report is not None:
            sent.append(report)
    return sent
