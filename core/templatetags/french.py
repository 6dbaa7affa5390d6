"""{% load french %}: French elision around a name (core/elision.py).

{% blocktranslate asvar text with name=tenant.name %}…{% endblocktranslate %}
{{ text|elide:tenant.name }}     → "Les défis d'Auchan"
{{ tenant.name|fr_de }}          → "d'Auchan" / "de Decathlon"
"""

from django import template

from core import elision

register = template.Library()


@register.filter(is_safe=True)
def elide(text, name):
    return elision.elide(text, str(name or ""))


@register.filter
def fr_de(name):
    return elision.fr_de(str(name or ""))
