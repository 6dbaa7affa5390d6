"""The dashboard's filters, read from the page's address (GET): a period, a
round, a round to compare it with. Bad values are refused with a message on
the field; the page then shows its default period."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insights.labels import round_label
from insights.selection import Selection, last_local_day, local_day

MAX_DAYS = 366  # a year of days still reads as a chart, and stays cheap to draw
ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format=ISO_DATE, **kwargs)


class DashboardFilters(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, input_formats=[ISO_DATE], widget=DateInput()
    )
    end = forms.DateField(
        label=_("To"), required=False, input_formats=[ISO_DATE], widget=DateInput()
    )
    round = forms.ChoiceField(label=_("Round"), required=False)
    compare = forms.ChoiceField(label=_("Compare with"), required=False)

    def __init__(self, data=None, *, tenant, campaign=None, rounds=()):
        super().__init__(data, label_suffix="")
        self.tenant, self.campaign, self.rounds = tenant, campaign, list(rounds)
        self.by_id = {str(r.public_id): r for r in self.rounds}
        choices = [("", _("All rounds"))] + [(key, round_label(r)) for key, r in self.by_id.items()]
        self.fields["round"].choices = choices
        self.fields["compare"].choices = [("", _("No comparison")), *choices[1:]]
        if campaign is None:  # the brand's dashboard spans challenges: no rounds to pick
            del self.fields["round"], self.fields["compare"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period comes before its start."))
        elif start and end and (end - start).days + 1 > MAX_DAYS:
            self.add_error(
                "end", _("Choose a period of at most %(days)s days.") % {"days": MAX_DAYS}
            )
        if data.get("compare"):
            if not data.get("round"):
                self.add_error("compare", _("Choose a round first, then one to compare it with."))
            elif data["compare"] == data.get("round"):
                self.add_error("compare", _("Choose two different rounds."))
        return data

    def selection(self) -> Selection:
        """What to show: the valid filters, or the defaults when they are not."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        chosen = self.by_id.get(data.get("round") or "")
        compare = self.by_id.get(data.get("compare") or "")
        start, end = data.get("start"), data.get("end")
        default_start, default_end = self._default_period(chosen)
        start = start or (default_start if not end else min(default_start, end))
        end = end or max(default_end, start)
        if (end - start).days + 1 > MAX_DAYS:
            start = end - dt.timedelta(days=MAX_DAYS - 1)
        return Selection(
            tenant=self.tenant,
            campaign=self.campaign,
            round=chosen,
            compare=compare,
            rounds=tuple(self.rounds),
            start_day=start,
            end_day=end,
        )

    def _default_period(self, chosen) -> tuple[dt.date, dt.date]:
        """A round's days; a challenge's days up to today; the brand's last 30 days."""
        today = timezone.localdate()
        if chosen is not None:
            return local_day(chosen.starts_at), last_local_day(chosen.ends_at)
        if self.campaign is not None:
            first = local_day(self.campaign.starts_at)
            last = min(today, last_local_day(self.campaign.ends_at))
            return first, max(first, last)
        return today - dt.timedelta(days=29), today
