"""What `make run` prints once the servers answer: where to go, who to be."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from accounts.models import Membership, User
from demo.management.commands.seed_demo import DEMO_PASSWORD, PARTICIPANTS
from tenants.models import Tenant
from tenants.selectors import primary_hostname

ROLE_ORDER = {role: index for index, role in enumerate(Membership.Role.values)}


class Command(BaseCommand):
    help = "Print the demo's addresses and sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")

    def handle(self, *args, port, **options):
        line = "=" * 72
        out = [line, "Ruche is running. Ctrl-C stops the web server, the worker and beat.", ""]
        out.append(
            f"  {'Platform (operators)':<24} http://{settings.PLATFORM_DOMAIN}:{port}/admin/"
        )
        # An operator's view of every tenant: one of the reviewed unscoped places.
        with scopes_disabled():
            tenants = list(Tenant.objects.filter(status=Tenant.Status.ACTIVE).order_by("name"))
            members = list(
                Membership.objects.select_related("user", "tenant").order_by("tenant__name")
            )
        for tenant in tenants:
            out.append(f"  {tenant.name:<24} http://{primary_hostname(tenant)}:{port}/")
        out += ["", f"  Demo sign-ins (password: {DEMO_PASSWORD})"]
        for operator in User.objects.filter(is_staff=True).order_by("email"):
            out.append(f"    {'operator':<10} {operator.email}")
        participants = ", ".join(email for email, _name, _language in PARTICIPANTS)
        out.append(f"    {'people':<10} {participants}")
        for tenant in tenants:
            team = sorted(
                (m for m in members if m.tenant_id == tenant.pk),
                key=lambda m: (ROLE_ORDER[m.role], m.user.email),
            )
            if team:
                out.append(f"    {tenant.name}")
                out += [f"      {m.role:<10} {m.user.email}" for m in team]
        out.append(line)
        self.stdout.write("\n".join(out))
