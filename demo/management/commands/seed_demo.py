"""The demo platform: idempotent, so `make run` can call it on every start.

A platform operator, the tenants "ING Direct" (ing.<platform domain>, Spanish)
and "Decathlon" (decathlon.<platform domain>, French), their owners and team,
and a few participants. Every demo account's password is DEMO_PASSWORD.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scope, scopes_disabled

from accounts import services as account_services
from accounts.models import Membership, User
from campaigns.demo_challenges import seed_challenges
from tenants import services as tenant_services
from tenants.models import Tenant

DEMO_PASSWORD = "ruche-demo"  # noqa: S105 - printed on purpose: demo accounts only

OPERATOR = ("operator@ruche.localhost", "Platform operator")
TENANTS = [
    {
        "slug": "ing",
        "name": "ING Direct",
        "default_language": "es",
        "time_zone": "Europe/Madrid",
        "primary_colour": "#ff6200",
        "accent_colour": "#525199",
        "team": [
            ("owner@ing.localhost", "Lucía Martín", Membership.Role.OWNER),
            ("moderator@ing.localhost", "Pablo Ruiz", Membership.Role.MODERATOR),
            ("juror1@ing.localhost", "Carmen Vidal", Membership.Role.JUROR),
            ("juror2@ing.localhost", "Jorge Navarro", Membership.Role.JUROR),
            ("juror3@ing.localhost", "Elena Sáez", Membership.Role.JUROR),
        ],
    },
    {
        "slug": "decathlon",
        "name": "Decathlon",
        "default_language": "fr",
        "time_zone": "Europe/Paris",
        "primary_colour": "#0082c3",
        "accent_colour": "#7afe9f",
        "team": [("owner@decathlon.localhost", "Camille Durand", Membership.Role.OWNER)],
    },
]
PARTICIPANTS = [
    ("ana@example.com", "Ana G.", "es"),
    ("marc@example.com", "Marc D.", "fr"),
    ("sam@example.com", "Sam P.", "en"),
]


class Command(BaseCommand):
    help = "Load the demo platform (safe to run again: it only adds what is missing)."

    def handle(self, *args, **options):
        with transaction.atomic():
            self._user(*OPERATOR, staff=True)
            for email, name, language in PARTICIPANTS:
                self._user(email, name, language=language)
            for spec in TENANTS:
                tenant = self._tenant(spec)
                with scope(tenant=tenant):
                    for email, name, role in spec["team"]:
                        user = self._user(email, name, language=spec["default_language"])
                        if not Membership.objects.filter(tenant=tenant, user=user).exists():
                            account_services.membership_grant(tenant=tenant, user=user, role=role)
            self._challenges()
            self._ideas()
            self._jury()
        # After the commit: the ideas' images are processed then, so every tip is
        # published and can be voted for.
        self._votes()
        self._prizes()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def _challenges(self) -> None:
        """ING's "Genios del Ahorro" (open) and a Decathlon challenge in French."""
        with scopes_disabled():
            ing = Tenant.objects.get(slug="ing")
            decathlon = Tenant.objects.get(slug="decathlon")
        seed_challenges(
            ing=ing,
            ing_owner=User.objects.get(email="owner@ing.localhost"),
            decathlon=decathlon,
            decathlon_owner=User.objects.get(email="owner@decathlon.localhost"),
        )

    def _ideas(self) -> None:
        """Tips, some with an image, for "Genios del Ahorro" (ideas/demo_ideas.py)."""
        from ideas.demo_ideas import seed_ideas

        with scopes_disabled():
            ing = Tenant.objects.get(slug="ing")
        seed_ideas(tenant=ing)

    def _jury(self) -> None:
        """A jury of three for "Genios del Ahorro", juror1 in the chair (juries/demo_jury.py)."""
        from juries.demo_jury import seed_jury

        with scopes_disabled():
            ing = Tenant.objects.get(slug="ing")
        seed_jury(tenant=ing, actor=User.objects.get(email="owner@ing.localhost"))

    def _votes(self) -> None:
        """Votes on the demo tips, and a few held for review (voting/demo_votes.py)."""
        from voting.demo_votes import seed_votes

        with scopes_disabled():
            ing = Tenant.objects.get(slug="ing")
        seed_votes(tenant=ing)

    def _prizes(self) -> None:
        """Auchan, three weeks into a challenge: two weekly winners paid, week 3
        with the jury, replayed with the clock moved back (rewards/demo_rewards.py)."""
        from rewards.demo_rewards import seed_rewards

        seed_rewards(password=DEMO_PASSWORD)

    @staticmethod
    def _user(email, name, language="", staff=False) -> User:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = account_services.user_create(
                email=email, password=DEMO_PASSWORD, display_name=name, language=language
            )
            if staff:
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
        return user

    @staticmethod
    def _tenant(spec) -> Tenant:
        with scopes_disabled():
            tenant = Tenant.objects.filter(slug=spec["slug"]).first()
        if tenant is None:
            fields = {k: v for k, v in spec.items() if k != "team"}
            tenant = tenant_services.tenant_create(**fields)
        return tenant
