"""The demo's prize engine: a brand three weeks into a challenge, replayed
through the real services with the clock moved back (called by `seed_demo`).

Auchan (auchan.<platform domain>, French) runs "Les astuces de la maison" with
weekly rounds, the reference challenge's prizes (500 € a week shared equally
between an idea's co-authors — the Quirky model —, 1500 € at the end), rubric
and a jury of three. It started on the Monday three weeks ago: weeks 1 and 2
were judged, announced and paid (the winners entered their IBAN, the owner
approved, exported the SEPA file and recorded the bank run); week 3's voting is
over and its shortlist is with the jury (two jurors have scored, the chair has
not decided); week 4 is open. Ideas have votes and comments; week 1's winner
has a co-author, so its prize is shared.

The past is replayed with time-machine (the demo runs with the development
dependencies): every service reads the moved clock, so votes, decisions and
payments carry the dates they would have had. Idempotent: a brand that has
the challenge is left alone.
"""

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts import services as account_services
from accounts.models import Membership, User
from accounts.selectors import has_accepted_current_terms
from campaigns import round_cycle
from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from campaigns.models import Campaign, Round
from ideas import services as idea_services
from juries import services as jury_services
from juries.models import Assignment, JuryMember, RoundCriterion
from rewards import services
from rewards.models import Payout
from tenants import services as tenant_services
from tenants.models import Tenant
from voting import services as voting_services

TENANT = {
    "slug": "auchan",
    "name": "Auchan",
    "default_language": "fr",
    "time_zone": "Europe/Paris",
    "primary_colour": "#e2001a",
    "accent_colour": "#1f7a3a",
}
SLUG = "astuces-de-la-maison"
OWNER = ("owner@auchan.localhost", "Claire Lefèvre")
JURORS = [
    ("jury1@auchan.localhost", "Hugo Bernard", JuryMember.Role.CHAIR),
    ("jury2@auchan.localhost", "Inès Moreau", JuryMember.Role.MEMBER),
    ("jury3@auchan.localhost", "Paul Girard", JuryMember.Role.MEMBER),
]
AUTHORS = ["ana@example.com", "marc@example.com", "sam@example.com"]
# Where the demo's winners are paid (valid test IBANs).
IBANS = {
    "ana@example.com": "ES91 2100 0418 4502 0005 1332",
    "marc@example.com": "FR14 2004 1010 0505 0001 3M02 606",
    "sam@example.com": "DE89 3704 0044 0532 0130 00",
}
BRAND_ACCOUNT = ("Auchan France", "FR76 3000 6000 0112 3456 7890 189")
# Per week: (author, title, text, votes). The first of each week wins.
WEEKS = [
    [
        ("ana@example.com", "Une multiprise à interrupteur",
         "Télé, box et console branchées dessus : un clic le soir, 60 € de moins par an.", 6),
        ("marc@example.com", "Laver à 30 degrés",
         "La moitié de l'énergie d'un lavage à 60 degrés, et le linge est aussi propre.", 4),
        ("sam@example.com", "Des rideaux épais l'hiver",
         "Fermés à la tombée de la nuit, ils gardent la chaleur dans la maison.", 1),
    ],
    [
        ("marc@example.com", "Cuisiner pour la semaine le dimanche",
         "Un seul four allumé pour cinq repas, et rien ne finit à la poubelle.", 6),
        ("sam@example.com", "Comparer son contrat d'électricité",
         "Une fois par an : changer de fournisseur ne coûte rien.", 3),
        ("ana@example.com", "Des mousseurs sur les robinets",
         "Un mousseur à 3 € divise par deux l'eau du robinet.", 2),
    ],
    [
        ("sam@example.com", "Des LED partout",
         "Remplacez d'abord les ampoules les plus allumées : elles se remboursent vite.", 5),
        ("ana@example.com", "Un couvercle sur la casserole",
         "L'eau bout plus vite et on consomme moins de gaz.", 4),
        ("marc@example.com", "Chauffage à 19 degrés",
         "Chaque degré de plus l'hiver, c'est environ 7 % de plus sur la facture.", 2),
    ],
]  # fmt: skip
COMMENTS = ["Très bonne idée, je l'essaie cette semaine !", "Je le fais depuis un an, ça se voit."]
VOTERS = [(f"voisin{n}@example.com", f"Voisin {n}") for n in range(1, 9)]


def _person(tenant, email: str, name: str = "") -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = account_services.user_create(email=email, display_name=name)
    if not has_accepted_current_terms(user, tenant):
        account_services.consent_accept(
            tenant=tenant, user=user, version=1, display_name=user.display_name or name
        )
    return user


def _values(start: dt.datetime) -> dict:
    values = genios_del_ahorro(start)
    values.update(
        title="Les astuces de la maison",
        slug=SLUG,
        pitch="Vos astuces pour dépenser moins à la maison : électricité, eau, chauffage.",
        description=(
            "<p>Chaque semaine, le jury choisit la meilleure astuce parmi les plus votées "
            "et la récompense de 500 €, partagés entre les co-auteurs de l'idée.</p>"
        ),
        themes=["électricité", "eau", "chauffage", "cuisine"],
        terms_text=(
            "Règlement « Les astuces de la maison ». Ouvert aux personnes majeures. "
            "Chaque semaine, le jury récompense la meilleure des 10 idées les plus votées "
            "(500 €, partagés à parts égales entre les co-auteurs) ; 1500 € à la fin."
        ),
    )
    # A French brand's jury scores in French (the reference challenge's rubric is Spanish).
    values["criteria"] = [
        {"name": "Originalité", "weight": 40, "scale_min": 1, "scale_max": 10},
        {"name": "Utilité", "weight": 40, "scale_min": 1, "scale_max": 10},
        {"name": "Clarté", "weight": 20, "scale_min": 1, "scale_max": 10},
    ]
    values["prizes"] = [
        {
            "round_kind": "weekly",
            "amount": Decimal("500"),
            "currency": "EUR",
            "split_rule": "equal",
        },
        {"round_kind": "grand", "amount": Decimal("1500"), "currency": "EUR"},
    ]
    return values


def _brand(password: str) -> tuple[Tenant, User, list[User]]:
    """The brand, its owner and its jurors (created the first time)."""
    with scopes_disabled():
        tenant = Tenant.objects.filter(slug=TENANT["slug"]).first()
    if tenant is None:
        tenant = tenant_services.tenant_create(**TENANT)
    team = [(*OWNER, Membership.Role.OWNER)] + [
        (email, name, Membership.Role.JUROR) for email, name, _seat in JURORS
    ]
    users = []
    with scope(tenant=tenant):
        for email, name, role in team:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = account_services.user_create(
                    email=email, password=password, display_name=name, language="fr"
                )
            if not Membership.objects.filter(tenant=tenant, user=user).exists():
                account_services.membership_grant(tenant=tenant, user=user, role=role)
            users.append(user)
    return tenant, users[0], users[1:]


def _judge(round_: Round, winner, jurors: list[User], *, decide: bool, now) -> None:
    criteria = list(RoundCriterion.objects.filter(shortlist__round=round_).order_by("position"))
    for juror in jurors:
        for assignment in Assignment.objects.filter(round=round_, juror=juror).select_related(
            "idea", "round"
        ):
            best = assignment.idea_id == winner.pk
            jury_services.assignment_submit(
                assignment=assignment,
                juror=juror,
                values={str(c.public_id): (9 if best else 6) for c in criteria},
            )
    if decide:
        jury_services.decision_confirm(round=round_, actor=jurors[0], now=now)


def seed_rewards(*, password: str) -> bool:
    """Replay Auchan's challenge up to today; returns whether it was created."""
    import time_machine  # a development dependency, like the demo itself

    tenant, owner, jurors = _brand(password)
    with scope(tenant=tenant):
        if Campaign.objects.filter(tenant=tenant, slug=SLUG).exists():
            return False
        tz = zoneinfo.ZoneInfo(tenant.time_zone)
        today = timezone.now().astimezone(tz).date()
        monday = today - dt.timedelta(days=today.weekday() + 21)
        start = dt.datetime.combine(monday, dt.time(0, 0), tzinfo=tz)

        with time_machine.travel(start - dt.timedelta(days=2), tick=True) as clock:
            campaign = campaign_services.campaign_create(
                tenant=tenant, actor=owner, **_values(start)
            )
            campaign = campaign_services.campaign_publish(campaign=campaign, actor=owner)
            for user, (_email, _name, role) in zip(jurors, JURORS, strict=True):
                jury_services.jury_member_add(campaign=campaign, user=user, actor=owner, role=role)
            services.payout_settings_save(
                tenant=tenant,
                actor=owner,
                debtor_name=BRAND_ACCOUNT[0],
                debtor_iban=BRAND_ACCOUNT[1],
            )
            authors = {email: _person(tenant, email) for email in AUTHORS}
            voters = [_person(tenant, email, name) for email, name in VOTERS]
            rounds = list(Round.objects.filter(campaign=campaign).order_by("index"))

            for week, (round_, tips) in enumerate(zip(rounds, WEEKS, strict=False), start=1):
                clock.move_to(round_.starts_at + dt.timedelta(days=1, hours=10))
                round_cycle.campaign_catch_up(campaign=campaign, now=timezone.now())
                ideas = []
                for n, (email, title, body, votes) in enumerate(tips):
                    idea = idea_services.idea_submit(
                        campaign=campaign, author=authors[email], title=title, body=body
                    )
                    ideas.append(idea)
                    if week == 1 and n == 0:  # Marc improved Ana's idea: they share its prize
                        invitation = idea_services.coauthor_invite(idea=idea, actor=authors[email])
                        idea_services.coauthor_accept(
                            invitation=invitation, user=authors["marc@example.com"]
                        )
                    clock.shift(dt.timedelta(hours=3))
                    for v, voter in enumerate(voters[:votes]):
                        voting_services.vote_cast(
                            idea=idea,
                            voter=voter,
                            ip=f"192.0.2.{20 + v}",
                            user_agent="Mozilla/5.0 (Android 15) Chrome/139",
                        )
                    commenter = authors[AUTHORS[(AUTHORS.index(email) + 1) % len(AUTHORS)]]
                    idea_services.comment_post(
                        idea=idea, author=commenter, body=COMMENTS[(week + n) % len(COMMENTS)]
                    )
                # The week is over: the round cycle closes it and the jury reviews it.
                clock.move_to(round_.voting_ends_at + dt.timedelta(minutes=5))
                round_cycle.round_advance(round=round_, now=timezone.now())
                clock.shift(dt.timedelta(days=1))
                decided = week < 3
                judging = jurors if decided else jurors[1:]  # week 3: the chair has not decided
                _judge(round_, ideas[0], judging, decide=decided, now=timezone.now())
                if not decided:
                    break
                clock.shift(dt.timedelta(minutes=2))
                round_cycle.round_advance(round=round_, now=timezone.now())
                # The winners say where to pay; the brand approves, exports, pays.
                clock.shift(dt.timedelta(hours=6))
                for payout in Payout.objects.filter(award__round=round_).select_related(
                    "recipient"
                ):
                    services.payout_details_save(
                        tenant=tenant,
                        user=payout.recipient,
                        holder_name=payout.recipient.display_name,
                        iban=IBANS[payout.recipient.email],
                    )
                clock.shift(dt.timedelta(days=1))
                ready = list(Payout.objects.filter(campaign=campaign, state=Payout.State.READY))
                services.payouts_approve(tenant=tenant, payouts=ready, actor=owner)
                batch = services.batch_export(tenant=tenant, actor=owner, now=timezone.now())
                clock.shift(dt.timedelta(days=2))
                services.batch_mark_paid(batch=batch, actor=owner, now=timezone.now())

        # Back to today: week 4 is open.
        round_cycle.campaign_catch_up(campaign=campaign)
    return True
