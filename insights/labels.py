"""Names the dashboard gives things."""

from django.utils.translation import gettext as _


def round_label(round_) -> str:
    if round_.kind == "grand":
        return _("Grand round")
    return _("Round %(number)s") % {"number": round_.index}
