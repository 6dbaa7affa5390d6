"""The demo's ideas for "Genios del Ahorro", through the services (called by
`seed_demo`): text tips and tips with an image, a comment, and one idea
waiting for a moderator. Idempotent: a challenge that has ideas is left alone."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django_scopes import scope
from PIL import Image, ImageDraw

from accounts import services as account_services
from accounts.selectors import has_accepted_current_terms
from campaigns.demo_challenges import GENIOS_SLUG
from campaigns.models import Campaign
from ideas import services
from ideas.models import Idea, Media

TIPS = [
    # (author's e-mail, title, text, tags, image colours or None)
    (
        "ana@example.com",
        "Redondea cada compra al euro",
        "Activa el redondeo en la app: cada pago con tarjeta se redondea al euro y la "
        "diferencia va a tu cuenta de ahorro. Sin darte cuenta, 15 € al mes.",
        ["compras"],
        ("#ff6200", "#ffd3b5"),
    ),
    (
        "marc@example.com",
        "Baja la calefacción un grado",
        "Un grado menos en invierno es hasta un 7 % menos en la factura. Con un "
        "termostato programable, la casa está caliente solo cuando estás.",
        ["hogar"],
        None,
    ),
    (
        "sam@example.com",
        "La hucha de las monedas de 2 €",
        "Cada moneda de 2 € que recibes va a la hucha. A final de año, las vacaciones "
        "están casi pagadas.",
        ["vacaciones"],
        ("#525199", "#c9c8f2"),
    ),
    (
        "ana@example.com",
        "Lista de la compra antes de salir",
        "Haz la lista en casa mirando la nevera y no compres nada que no esté en ella: "
        "menos caprichos y menos comida tirada.",
        ["compras", "hogar"],
        None,
    ),
    (
        "marc@example.com",
        "Compartir coche para ir al trabajo",
        "Con dos compañeros, el gasto en gasolina y aparcamiento se divide entre tres.",
        ["transporte"],
        ("#0a7d5a", "#bff0dc"),
    ),
]
HELD = ("sam@example.com", "Mira esta web de ofertas",
        "Encontré descuentos en https://ofertas.example.com/chollos", ["compras"])  # fmt: skip


def _picture(colours, title: str) -> SimpleUploadedFile:
    """A simple illustrated card: two colours and the tip's initial."""
    background, accent = colours
    image = Image.new("RGB", (1600, 1000), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((900, 150, 1500, 750), fill=accent)
    draw.rectangle((120, 620, 1000, 700), fill=accent)
    draw.text((180, 300), title[:1], fill="white", font_size=320)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return SimpleUploadedFile("tip.jpg", out.getvalue(), content_type="image/jpeg")


def _render(tenant, media_id: int) -> None:
    with scope(tenant=tenant):
        services.media_process(media_id=media_id)


def seed_ideas(*, tenant, moderator_email: str | None = None) -> int:
    """Add the demo ideas to the tenant's "Genios del Ahorro"; returns how many."""
    from accounts.models import User

    with scope(tenant=tenant):
        campaign = Campaign.objects.filter(tenant=tenant, slug=GENIOS_SLUG).first()
        if campaign is None or Idea.objects.filter(campaign=campaign).exists():
            return 0
        people = {u.email: u for u in User.objects.filter(email__endswith="@example.com")}
        for person in people.values():
            if not has_accepted_current_terms(person, tenant):
                account_services.consent_accept(
                    tenant=tenant, user=person, version=1, display_name=person.display_name
                )
        created = []
        for email, title, body, tags, colours in TIPS:
            if email not in people:
                continue
            image = _picture(colours, title) if colours else None
            created.append(
                services.idea_submit(
                    campaign=campaign,
                    author=people[email],
                    title=title,
                    body=body,
                    tags=tags,
                    image=image,
                )
            )
        # The images are rendered now, so the demo shows them at once (the
        # worker's copy of the task then finds them done).
        for row in Media.objects.filter(idea__in=created):
            transaction.on_commit(lambda pk=row.pk: _render(tenant, pk))
        published = [i for i in created if i.state == Idea.State.PUBLISHED]
        if published and "sam@example.com" in people:
            services.comment_post(
                idea=published[0], author=people["sam@example.com"], body="¡Yo ya lo hago! 👏"
            )
            email, title, body, tags = HELD
            created.append(
                services.idea_submit(
                    campaign=campaign, author=people[email], title=title, body=body, tags=tags
                )
            )
    return len(created)
