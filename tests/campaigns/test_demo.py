"""The demo's challenges: "Genios del Ahorro" open for ING, one in French for Decathlon."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from campaigns import lifecycle
from campaigns.models import Campaign
from tenants.models import Tenant

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_the_reference_challenge_once(client):
    call_command("seed_demo")
    call_command("seed_demo")
    with scopes_disabled():
        ing = Tenant.objects.get(slug="ing")
        decathlon = Tenant.objects.get(slug="decathlon")
    with scope(tenant=ing):
        genios = Campaign.objects.get()
        assert genios.title == "Genios del Ahorro"
        assert lifecycle.campaign_phase(genios) == lifecycle.Phase.OPEN
        assert genios.status == Campaign.Status.OPEN
        assert genios.text_max_chars == 500
        assert genios.submission_kinds == ["text", "image", "video"]
        assert genios.moderation == Campaign.Moderation.POST
        assert genios.jury_size == 3 and genios.shortlist_size == 10
        assert genios.rounds.filter(kind="weekly").count() == 4
        assert sorted(genios.prizes.values_list("round_kind", "amount", "currency")) == [
            ("grand", Decimal("1500.00"), "EUR"),
            ("weekly", Decimal("500.00"), "EUR"),
        ]
        assert list(genios.criteria.values_list("name", "weight")) == [
            ("Originalidad", 40),
            ("Utilidad", 40),
            ("Claridad", 20),
        ]
        assert genios.terms_text
    with scope(tenant=decathlon):
        sport = Campaign.objects.get()
        assert sport.title == "Le sport au quotidien"
        assert sport.status == Campaign.Status.OPEN

    page = client.get("/", HTTP_HOST="ing.localhost").text
    assert "Genios del Ahorro" in page and "Abierto ahora" in page
    page = client.get("/challenges/sport-au-quotidien/", HTTP_HOST="decathlon.localhost").text
    assert "Le sport au quotidien" in page
    assert "À la fin de chaque manche (tous les 14 jours" in page
