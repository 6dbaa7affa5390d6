"""French elides "de", "le", "la" before a name that starts with a vowel sound:
"Les défis d'Auchan", but "Les défis de Decathlon"."""

import pytest
from django.template import Context, Template
from django.utils import translation

from core.elision import elide, fr_de


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Auchan", "d'Auchan"), ("Hermès", "d'Hermès"), ("Decathlon", "de Decathlon")],
)
def test_fr_de(name, expected):
    assert fr_de(name) == expected


def test_elide_only_in_french_and_before_a_vowel():
    assert elide("Les défis de Auchan.", "Auchan", "fr") == "Les défis d'Auchan."
    assert elide("L'espace de Auchan, le site de Auchan", "Auchan", "fr") == (
        "L'espace d'Auchan, le site d'Auchan"
    )
    assert elide("Les défis de Decathlon.", "Decathlon", "fr") == "Les défis de Decathlon."
    assert elide("Los retos de Auchan.", "Auchan", "es") == "Los retos de Auchan."
    # Only the name itself: another word after "de" is left alone.
    assert elide("Le prix de Ana pour Auchan", "Auchan", "fr") == "Le prix de Ana pour Auchan"


def test_the_template_filter_keeps_html_safe():
    template = Template(
        "{% load i18n french %}{% blocktranslate asvar text with name=brand"
        " platform='Ruche' %}{{ name }}'s challenges, powered by {{ platform }}."
        "{% endblocktranslate %}{{ text|elide:brand }}"
    )
    with translation.override("fr"):
        assert template.render(Context({"brand": "Auchan"})) == (
            "Les défis d'Auchan, propulsés par Ruche."
        )
        assert template.render(Context({"brand": "Decathlon"})) == (
            "Les défis de Decathlon, propulsés par Ruche."
        )
        assert "<b>" not in template.render(Context({"brand": "<b>Orange</b>"}))


@pytest.mark.django_db
def test_the_footer_elides_the_brand_in_french(make_tenant, decathlon, client_for):
    auchan = make_tenant("auchan", "Auchan", default_language="fr")
    assert "Les défis d'Auchan, propulsés par" in client_for(auchan).get("/").text
    assert "Les défis de Decathlon, propulsés par" in client_for(decathlon).get("/").text
