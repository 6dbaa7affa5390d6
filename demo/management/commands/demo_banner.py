"""What `make run` prints once the servers answer: where to go, who to be."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from demo.management.commands.seed_demo import DEMO_PASSWORD, OPERATOR, TENANTS
from tenants.models import Tenant
from tenants.selectors import primary_hostname


class Command(BaseCommand):
    help = "Print the demo's addresses and sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")

    def handle(self, *args, port, **options):
        line = "=" * 72
        out = [line, "Ruche is running. Ctrl-C stops the web server, the worker and beat.", ""]
        out.append(f"  Platform (operators)  http://{settings.PLATFORM_DOMAIN}:{port}/admin/")
        with scopes_disabled():
            for tenant in Tenant.objects.filter(slug__in=[t["slug"] for t in TENANTS]):
                out.append(f"  {tenant.name:<21} http://{primary_hostname(tenant)}:{port}/")
        out += ["", f"  Demo sign-ins (password: {DEMO_PASSWORD})", f"    operator   {OPERATOR[0]}"]
        for spec in TENANTS:
            for email, _name, role in spec["team"]:
                out.append(f"    {role:<10} {email}")
        out.append(line)
        self.stdout.write("\n".join(out))
