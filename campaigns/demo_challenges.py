"""The demo's challenges, created through the services (used by `seed_demo`).

"Genios del Ahorro" is DESIGN.md's reference scenario: ING Direct asks for
money-saving tips for one month, in weekly rounds; every week the jury picks
the best of the 10 most-voted ideas and awards 500 EUR; a 1500 EUR grand prize
at the end; a jury of 3 with the rubric originality 40 / usefulness 40 /
clarity 20.
"""

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign

GENIOS_SLUG = "genios-del-ahorro"
DECATHLON_SLUG = "sport-au-quotidien"

GENIOS_TERMS = "\n\n".join(
    [
        "Bases del concurso «Genios del Ahorro»",
        "1. Organiza ING Bank N.V., sucursal en España. Pueden participar personas mayores "
        "de 18 años residentes en España, sean o no clientes de ING.",
        "2. Cada participante puede enviar tantos trucos de ahorro como quiera, como texto "
        "(hasta 500 caracteres), imagen o vídeo. Deben ser originales y propios.",
        "3. Cada semana, un jurado de tres personas elige el mejor de los 10 trucos más "
        "votados de la semana según su originalidad (40 %), utilidad (40 %) y claridad "
        "(20 %). El ganador recibe 500 EUR.",
        "4. Al final del concurso, el jurado elige entre todos los trucos el ganador del "
        "gran premio de 1500 EUR.",
        "5. Los premios se pagan por transferencia bancaria a una cuenta a nombre del "
        "ganador y están sujetos a la fiscalidad vigente.",
        "6. ING puede retirar cualquier contenido que incumpla estas bases o la ley.",
    ]
)

DECATHLON_TERMS = "\n\n".join(
    [
        "Règlement du défi « Le sport au quotidien »",
        "1. Organisé par Decathlon France. Ouvert à toute personne majeure résidant en France.",
        "2. Chaque participant peut proposer autant d'idées qu'il le souhaite, en texte ou "
        "en image.",
        "3. Toutes les deux semaines, le jury choisit la meilleure des 5 idées les plus "
        "votées de la période et offre une carte cadeau de 200 EUR.",
        "4. Les idées doivent être originales ; Decathlon peut retirer tout contenu "
        "contraire au règlement.",
    ]
)


def _local_midnight(tenant, days_from_today: int = 0) -> dt.datetime:
    tz = zoneinfo.ZoneInfo(tenant.time_zone)
    today = timezone.now().astimezone(tz).date() + dt.timedelta(days=days_from_today)
    return dt.datetime.combine(today, dt.time(0, 0), tzinfo=tz)


def genios_del_ahorro(starts_at: dt.datetime) -> dict:
    """The reference challenge's settings, for `services.campaign_create`."""
    tz = starts_at.tzinfo
    local_start = starts_at.astimezone(tz).replace(tzinfo=None)
    ends_at = (local_start + dt.timedelta(days=28)).replace(tzinfo=tz)
    return {
        "title": "Genios del Ahorro",
        "slug": GENIOS_SLUG,
        "pitch": (
            "Comparte tu mejor truco para ahorrar: cada semana el jurado premia uno con 500 €."
        ),
        "description": (
            "<p>En ING creemos que los mejores trucos de ahorro no los inventan los bancos: "
            "los inventas tú.</p><p>Cuéntanos cómo ahorras en la compra, en casa, en el "
            "transporte o en vacaciones. Vota los trucos que te parezcan más geniales y "
            "compártelos.</p>"
        ),
        "themes": ["compras", "hogar", "transporte", "vacaciones"],
        "audience": Campaign.Audience.PUBLIC,
        "allow_text": True,
        "allow_image": True,
        "allow_video": True,
        "text_max_chars": 500,
        "image_max_mb": 10,
        "video_max_mb": 200,
        "video_max_seconds": 120,
        "moderation": Campaign.Moderation.POST,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "cadence": Campaign.Cadence.WEEKLY,
        "shortlist_size": 10,
        "jury_size": 3,
        "terms_text": GENIOS_TERMS,
        "prizes": [
            {"round_kind": "weekly", "amount": Decimal("500"), "currency": "EUR"},
            {"round_kind": "grand", "amount": Decimal("1500"), "currency": "EUR"},
        ],
        "criteria": [
            {"name": "Originalidad", "weight": 40, "scale_min": 1, "scale_max": 10},
            {"name": "Utilidad", "weight": 40, "scale_min": 1, "scale_max": 10},
            {"name": "Claridad", "weight": 20, "scale_min": 1, "scale_max": 10},
        ],
    }


def sport_au_quotidien(starts_at: dt.datetime) -> dict:
    tz = starts_at.tzinfo
    local_start = starts_at.astimezone(tz).replace(tzinfo=None)
    return {
        "title": "Le sport au quotidien",
        "slug": DECATHLON_SLUG,
        "pitch": "Vos idées pour bouger plus chaque jour, au travail comme à la maison.",
        "description": (
            "<p>Monter les escaliers, aller au bureau à vélo, s'étirer devant la télé : "
            "partagez vos astuces pour faire du sport sans y penser.</p>"
        ),
        "themes": ["vélo", "maison", "travail"],
        "allow_text": True,
        "allow_image": True,
        "allow_video": False,
        "text_max_chars": 800,
        "moderation": Campaign.Moderation.PRE,
        "starts_at": starts_at,
        "ends_at": (local_start + dt.timedelta(days=42)).replace(tzinfo=tz),
        "cadence": Campaign.Cadence.DAYS,
        "cadence_days": 14,
        "shortlist_size": 5,
        "votes_per_round": 5,
        "jury_size": 2,
        "terms_text": DECATHLON_TERMS,
        "prizes": [
            {
                "round_kind": "weekly",
                "amount": Decimal("200"),
                "currency": "EUR",
                "label": "Carte cadeau",
            },
            {"round_kind": "grand", "amount": Decimal("1000"), "currency": "EUR"},
        ],
        "criteria": [
            {"name": "Simplicité", "weight": 50},
            {"name": "Impact sur la santé", "weight": 50},
        ],
    }


def seed_challenges(*, ing, ing_owner, decathlon, decathlon_owner) -> None:
    """Add the demo challenges that are missing; call inside each tenant's scope
    (`scope(tenant=…)` is entered here). Existing ones are left as they are."""
    from django_scopes import scope

    with scope(tenant=ing):
        if not Campaign.objects.filter(tenant=ing, slug=GENIOS_SLUG).exists():
            campaign = services.campaign_create(
                tenant=ing, actor=ing_owner, **genios_del_ahorro(_local_midnight(ing))
            )
            services.campaign_publish(campaign=campaign, actor=ing_owner)
    with scope(tenant=decathlon):
        if not Campaign.objects.filter(tenant=decathlon, slug=DECATHLON_SLUG).exists():
            campaign = services.campaign_create(
                tenant=decathlon,
                actor=decathlon_owner,
                **sport_au_quotidien(_local_midnight(decathlon, days_from_today=-3)),
            )
            services.campaign_publish(campaign=campaign, actor=decathlon_owner)
