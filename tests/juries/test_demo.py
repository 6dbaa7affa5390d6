"""The demo's jury: three jurors for "Genios del Ahorro", juror1 in the chair."""

import pytest
from django.core.management import call_command
from django_scopes import scope

from campaigns.models import Campaign
from juries.models import JuryMember
from tenants.models import Tenant

pytestmark = pytest.mark.django_db


def test_seed_demo_seats_the_genios_jury_once():
    call_command("seed_demo")
    call_command("seed_demo")
    ing = Tenant.objects.get(slug="ing")
    with scope(tenant=ing):
        genios = Campaign.objects.get(slug="genios-del-ahorro")
        seats = dict(
            JuryMember.objects.filter(jury__campaign=genios).values_list("user__email", "role")
        )
    assert seats == {
        "juror1@ing.localhost": "chair",
        "juror2@ing.localhost": "member",
        "juror3@ing.localhost": "member",
    }
