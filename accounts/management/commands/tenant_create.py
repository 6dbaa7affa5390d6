"""Create a tenant, its host name, and (optionally) its owner.

    manage.py tenant_create --slug ing --name "ING Direct" --language es \
        --time-zone Europe/Madrid --owner owner@ing.example
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scope

from accounts import services as account_services
from accounts.models import Membership, User
from core.errors import DomainError
from tenants import services as tenant_services
from tenants.selectors import primary_hostname


class Command(BaseCommand):
    help = "Create a tenant (a brand) with its platform host name, and its owner."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--language", default="en", choices=["fr", "es", "en"])
        parser.add_argument("--time-zone", default="Europe/Paris")
        parser.add_argument("--primary-colour")
        parser.add_argument("--accent-colour")
        parser.add_argument("--owner", help="E-mail of the owner; the account is created if new.")

    def handle(self, *args, **opts):
        try:
            with transaction.atomic():
                tenant = tenant_services.tenant_create(
                    slug=opts["slug"],
                    name=opts["name"],
                    default_language=opts["language"],
                    time_zone=opts["time_zone"],
                    primary_colour=opts["primary_colour"],
                    accent_colour=opts["accent_colour"],
                )
                if opts["owner"]:
                    owner = User.objects.filter(email__iexact=opts["owner"]).first()
                    if owner is None:
                        owner = account_services.user_create(email=opts["owner"])
                    with scope(tenant=tenant):
                        account_services.membership_grant(
                            tenant=tenant, user=owner, role=Membership.Role.OWNER
                        )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Created {tenant.name} on {primary_hostname(tenant)}")
        )
