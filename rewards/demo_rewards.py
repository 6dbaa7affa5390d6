"""The demo's prize engine: an ING challenge three weeks in, replayed through
the real services with the clock moved back (called by `seed_demo`).

"Ahorro en casa" started on the Monday three weeks ago, with weekly rounds
and Genios del Ahorro's prizes, rubric and jury of three. Weeks 1 and 2 were
judged, announced and paid (their winners entered their IBAN, the owner
approved, exported the SEPA file and recorded the bank run); week 3's voting
is over and its shortlist is with the jury (two jurors have scored, the chair
has not decided); week 4 is open. Ideas have votes and comments.

The past is replayed with time-machine (the demo runs with the development
dependencies): every service reads the moved clock, so votes, decisions and
payments carry the dates they would have had. Idempotent: a tenant that has
the challenge is left alone.
"""

import datetime as dt
import zoneinfo

from django.utils import timezone
from django_scopes import scope

from accounts import services as account_services
from accounts.models import User
from accounts.selectors import has_accepted_current_terms
from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from campaigns.models import Campaign, Round
from ideas import services as idea_services
from juries import services as jury_services
from juries.models import Assignment, JuryMember, RoundCriterion
from rewards import cycle, services
from rewards.models import Payout
from voting import services as voting_services

SLUG = "ahorro-en-casa"
JURORS = [
    ("juror1@ing.localhost", JuryMember.Role.CHAIR),
    ("juror2@ing.localhost", JuryMember.Role.MEMBER),
    ("juror3@ing.localhost", JuryMember.Role.MEMBER),
]
AUTHORS = ["ana@example.com", "marc@example.com", "sam@example.com"]
# Where the demo's winners are paid (valid test IBANs).
IBANS = {
    "ana@example.com": "ES91 2100 0418 4502 0005 1332",
    "marc@example.com": "FR14 2004 1010 0505 0001 3M02 606",
    "sam@example.com": "DE89 3704 0044 0532 0130 00",
}
BRAND_ACCOUNT = ("ING Bank NV, sucursal en España", "ES79 2100 0813 6101 2345 6789")
# Per week: (author, title, text, votes). The first of each week wins.
WEEKS = [
    [
        ("ana@example.com", "Apaga el standby",
         "Una regleta con interruptor para la tele y la consola: hasta 60 € al año.", 6),
        ("marc@example.com", "Lavadora en frío",
         "Lavar a 30 grados gasta la mitad de energía y la ropa queda igual de limpia.", 4),
        ("sam@example.com", "Cortinas gruesas en invierno",
         "Ciérralas al anochecer y la casa pierde menos calor.", 1),
    ],
    [
        ("marc@example.com", "Cocina por tandas el domingo",
         "Cocinar para toda la semana de una vez ahorra horno, tiempo y comida.", 6),
        ("sam@example.com", "Compara la tarifa de la luz",
         "Una vez al año, compara tu tarifa: cambiar es gratis.", 3),
        ("ana@example.com", "Grifos con aireador",
         "Un aireador de 3 € reduce a la mitad el agua del grifo.", 2),
    ],
    [
        ("sam@example.com", "Bombillas LED en toda la casa",
         "Cambia primero las que más horas están encendidas: se pagan solas.", 5),
        ("ana@example.com", "La tapa en la olla",
         "Cocinar con tapa hierve antes el agua y gasta menos gas.", 4),
        ("marc@example.com", "Termostato a 20 grados",
         "Cada grado de más en invierno sube la factura un 7 %.", 2),
    ],
]  # fmt: skip
COMMENTS = ["¡Muy buena idea, la pruebo esta semana!", "Yo lo hago desde hace un año y se nota."]
VOTERS = [(f"vecino{n}@example.com", f"Vecino {n}") for n in range(1, 9)]


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
        title="Ahorro en casa",
        slug=SLUG,
        pitch="Tus trucos para gastar menos en casa: luz, agua, calefacción y cocina.",
        description=(
            "<p>Cada semana, el jurado elige el mejor truco para ahorrar en casa entre "
            "los más votados y lo premia con 500 €.</p>"
        ),
        themes=["luz", "agua", "calefacción", "cocina"],
    )
    return values


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


def seed_rewards(*, tenant, owner) -> bool:
    """Replay "Ahorro en casa" up to today; returns whether it was created."""
    import time_machine  # a development dependency, like the demo itself

    with scope(tenant=tenant):
        if Campaign.objects.filter(tenant=tenant, slug=SLUG).exists():
            return False
        tz = zoneinfo.ZoneInfo(tenant.time_zone)
        today = timezone.now().astimezone(tz).date()
        monday = today - dt.timedelta(days=today.weekday() + 21)
        start = dt.datetime.combine(monday, dt.time(0, 0), tzinfo=tz)
        jurors = [User.objects.get(email=email) for email, _role in JURORS]

        with time_machine.travel(start - dt.timedelta(days=2), tick=True) as clock:
            campaign = campaign_services.campaign_create(
                tenant=tenant, actor=owner, **_values(start)
            )
            campaign = campaign_services.campaign_publish(campaign=campaign, actor=owner)
            for user, (_email, role) in zip(jurors, JURORS, strict=True):
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
                campaign_services.campaign_advance(campaign=campaign, now=timezone.now())
                ideas = []
                for n, (email, title, body, votes) in enumerate(tips):
                    idea = idea_services.idea_submit(
                        campaign=campaign, author=authors[email], title=title, body=body
                    )
                    ideas.append(idea)
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
                cycle.round_advance(round=round_, now=timezone.now())
                clock.shift(dt.timedelta(days=1))
                decided = week < 3
                judging = jurors if decided else jurors[1:]  # week 3: the chair has not decided
                _judge(round_, ideas[0], judging, decide=decided, now=timezone.now())
                if not decided:
                    break
                clock.shift(dt.timedelta(minutes=2))
                cycle.round_advance(round=round_, now=timezone.now())
                # The winner says where to pay; the brand approves, exports, pays.
                winner = authors[tips[0][0]]
                clock.shift(dt.timedelta(hours=6))
                services.payout_details_save(
                    tenant=tenant,
                    user=winner,
                    holder_name=winner.display_name,
                    iban=IBANS[winner.email],
                )
                clock.shift(dt.timedelta(days=1))
                ready = list(Payout.objects.filter(campaign=campaign, state=Payout.State.READY))
                services.payouts_approve(tenant=tenant, payouts=ready, actor=owner)
                batch = services.batch_export(tenant=tenant, actor=owner, now=timezone.now())
                clock.shift(dt.timedelta(days=2))
                services.batch_mark_paid(batch=batch, actor=owner, now=timezone.now())

        # Back to today: week 4 is open.
        campaign_services.campaign_advance(campaign=campaign)
    return True
