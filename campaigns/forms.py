"""The console's forms: one per step of the guided challenge form, and the brand
settings. They only parse input; the services judge it and their messages are
put back on the fields (`show_service_errors`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import CURRENCIES, Campaign, Prize
from campaigns.money import format_money
from tenants.models import TIME_ZONES, Tenant

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_INPUT, **kwargs)


def _number(**attrs):
    return forms.NumberInput(attrs={"inputmode": "numeric", **attrs})


class ConsoleForm(forms.Form):
    """Labels without a trailing colon: the layout sets them apart already."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class StepForm(ConsoleForm):
    """A step of the challenge form. `changes()` is what the service receives."""

    step: str = ""
    title_text = ""
    intro = ""

    def changes(self) -> dict:
        return dict(self.cleaned_data)

    @classmethod
    def initial_from(cls, campaign: Campaign) -> dict:
        return {
            name: getattr(campaign, name) for name in cls.base_fields if hasattr(campaign, name)
        }


class BasicsForm(StepForm):
    step = "basics"
    title_text = _("The basics")
    intro = _("What you ask your community, in a few words people remember.")

    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.CharField(
        label=_("Address"),
        max_length=80,
        required=False,
        help_text=_(
            "The end of the challenge's web address. Leave empty to make it from the title."
        ),
    )
    pitch = forms.CharField(
        label=_("Short pitch"),
        max_length=400,
        required=False,
        help_text=_("One or two sentences, shown on cards and when the link is shared."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Plain text, or simple HTML: paragraphs, bold, italics, lists and links. "
            "Anything else is removed."
        ),
    )
    themes = forms.CharField(
        label=_("Themes"),
        required=False,
        help_text=_("Separated by commas, such as: savings, mobile app, families."),
    )
    cover = forms.FileField(
        label=_("Cover image"),
        required=False,
        help_text=_(
            "JPEG, PNG or WebP, up to 5 MB. A wide picture (1200 by 630 pixels) works best."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("cover"):
            data.pop("cover", None)
        return data

    @classmethod
    def initial_from(cls, campaign):
        initial = super().initial_from(campaign)
        initial["themes"] = ", ".join(campaign.themes)
        initial.pop("cover", None)
        return initial


class ParticipationForm(StepForm):
    step = "participation"
    title_text = _("Who takes part, and how")
    intro = _("Who may join, what they may submit, and how ideas are checked.")

    audience = forms.ChoiceField(
        label=_("Who can take part"), choices=Campaign.Audience.choices, widget=forms.RadioSelect
    )
    employee_email_domains = forms.CharField(
        label=_("Employee e-mail domains"),
        required=False,
        help_text=_(
            "Employees are recognised by your sign-in settings (staff e-mail domains or "
            "your company sign-in). Add domains here to also admit people from them, "
            "such as a partner: partner.com."
        ),
    )
    allow_text = forms.BooleanField(label=_("Text"), required=False)
    allow_image = forms.BooleanField(label=_("Image"), required=False)
    allow_video = forms.BooleanField(label=_("Video"), required=False)
    text_max_chars = forms.IntegerField(
        label=_("Longest text (characters)"), widget=_number(min=20, max=20000)
    )
    image_max_mb = forms.IntegerField(label=_("Largest image (MB)"), widget=_number(min=1, max=50))
    video_max_mb = forms.IntegerField(
        label=_("Largest video (MB)"), widget=_number(min=1, max=2000)
    )
    video_max_seconds = forms.IntegerField(
        label=_("Longest video (seconds)"), widget=_number(min=5, max=3600)
    )
    moderation = forms.ChoiceField(
        label=_("Moderation"), choices=Campaign.Moderation.choices, widget=forms.RadioSelect
    )
    flags_to_hide = forms.IntegerField(
        label=_("Reports before an idea is hidden for review"), widget=_number(min=1, max=100)
    )

    @classmethod
    def initial_from(cls, campaign):
        initial = super().initial_from(campaign)
        initial["employee_email_domains"] = ", ".join(campaign.employee_email_domains)
        return initial


class ScheduleForm(StepForm):
    step = "schedule"
    title_text = _("Dates, rounds and votes")
    intro = _(
        "Rounds are cut from the start in your time zone; the last one ends with the "
        "challenge, and the grand round follows."
    )

    starts_at = forms.DateTimeField(
        label=_("Start"), widget=DateTimeLocalInput(), input_formats=[DATETIME_INPUT]
    )
    ends_at = forms.DateTimeField(
        label=_("End"), widget=DateTimeLocalInput(), input_formats=[DATETIME_INPUT]
    )
    cadence = forms.ChoiceField(
        label=_("Rounds"), choices=Campaign.Cadence.choices, widget=forms.RadioSelect
    )
    cadence_days = forms.IntegerField(
        label=_("Days per round"),
        required=False,
        widget=_number(min=1, max=90),
        help_text=_("Only for “Every N days”."),
    )
    voters = forms.ChoiceField(
        label=_("Who may vote"), choices=Campaign.Voters.choices, widget=forms.RadioSelect
    )
    votes_per_round = forms.IntegerField(
        label=_("Votes per person per round"),
        required=False,
        widget=_number(min=1, max=1000),
        help_text=_(
            "Leave empty for unlimited votes (one per idea). Once the challenge has "
            "started, a change applies from the next round: the round under way keeps "
            "its rule."
        ),
    )
    self_vote_allowed = forms.BooleanField(
        label=_("Authors may vote for their own ideas"), required=False
    )
    show_vote_counts = forms.BooleanField(
        label=_("Show vote totals while a round is open"), required=False
    )
    round_covers = forms.ChoiceField(
        label=_("Ideas each round judges"),
        choices=Campaign.RoundCovers.choices,
        widget=forms.RadioSelect,
    )


class CriterionForm(ConsoleForm):
    name = forms.CharField(label=_("Criterion"), max_length=80, required=False)
    description = forms.CharField(label=_("Description"), max_length=240, required=False)
    weight = forms.IntegerField(
        label=_("Weight (%)"), required=False, widget=_number(min=1, max=100)
    )
    scale_min = forms.IntegerField(label=_("From"), initial=1, widget=_number())
    scale_max = forms.IntegerField(label=_("To"), initial=10, widget=_number())


CriterionFormSet = forms.formset_factory(CriterionForm, extra=0, max_num=10, absolute_max=10)
CRITERIA_ROWS = 5


class PrizesForm(StepForm):
    step = "prizes"
    title_text = _("Prizes and jury")
    intro = _("What the winners receive, and how the jury judges the shortlist.")

    weekly_prize = forms.DecimalField(
        label=_("Prize of each round"),
        required=False,
        localize=True,
        help_text=_("Leave empty for no round prize."),
    )
    grand_prize = forms.DecimalField(
        label=_("Grand prize"),
        required=False,
        localize=True,
        help_text=_("Leave empty for no grand prize."),
    )
    currency = forms.CharField(
        label=_("Currency"), widget=forms.Select(choices=CURRENCIES), initial="EUR"
    )
    split_rule = forms.ChoiceField(
        label=_("When an idea has several authors"), choices=Prize.SplitRule.choices
    )
    shortlist_size = forms.IntegerField(
        label=_("Shortlist size"),
        widget=_number(min=1, max=100),
        help_text=_("How many of the most-voted ideas the jury judges each round."),
    )
    weekly_winners_can_win_grand = forms.BooleanField(
        label=_("Round winners may also win the grand prize"), required=False
    )
    jury_size = forms.IntegerField(label=_("Jurors"), widget=_number(min=1, max=50))
    jury_blind = forms.BooleanField(label=_("Jurors do not see who wrote an idea"), required=False)
    jury_guidance = forms.CharField(
        label=_("Guidance for jurors"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    PRIZE_FIELDS = (("weekly", "weekly_prize"), ("grand", "grand_prize"))

    def __init__(self, *args, criteria_initial=None, prizes=(), **kwargs):
        super().__init__(*args, **kwargs)
        data = args[0] if args else kwargs.get("data")
        initial = list(criteria_initial or [])
        initial += [{"scale_min": 1, "scale_max": 10}] * (CRITERIA_ROWS - len(initial))
        self.criteria = CriterionFormSet(data, prefix="criteria", initial=initial)
        # The step edits the first place of each prize. The API may set more
        # (labels, the next places): saving the step keeps what it does not show.
        self.saved_prizes = {(p.round_kind, p.rank): p for p in prizes}
        for kind, name in self.PRIZE_FIELDS:
            later = sorted(
                (p for (k, rank), p in self.saved_prizes.items() if k == kind and rank > 1),
                key=lambda p: p.rank,
            )
            if later:
                places = ", ".join(f"#{p.rank} {format_money(p.amount, p.currency)}" for p in later)
                kept = _("The next places keep their prizes: %(places)s.") % {"places": places}
                self.fields[name].help_text = f"{self.fields[name].help_text} {kept}"

    def is_valid(self):
        own = super().is_valid()
        return self.criteria.is_valid() and own

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        currency = data.pop("currency")
        split_rule = data.pop("split_rule")
        prizes = []
        for kind, name in self.PRIZE_FIELDS:
            amount = data.pop(name)
            if amount is None:
                continue  # no prize of this kind: no first place, nor any after it
            first = self.saved_prizes.get((kind, 1))
            prizes.append(
                {
                    "round_kind": kind,
                    "rank": 1,
                    "label": first.label if first else "",
                    "amount": amount,
                    "currency": currency,
                    "split_rule": split_rule,
                }
            )
            for (saved_kind, rank), prize in sorted(self.saved_prizes.items()):
                if saved_kind != kind or rank == 1:
                    continue
                # A currency or split rule changed here is the whole challenge's.
                prizes.append(
                    {
                        "round_kind": kind,
                        "rank": rank,
                        "label": prize.label,
                        "amount": prize.amount,
                        "currency": currency if "currency" in self.changed_data else prize.currency,
                        "split_rule": split_rule
                        if "split_rule" in self.changed_data
                        else prize.split_rule,
                    }
                )
        data["prizes"] = prizes
        data["criteria"] = [
            {
                "name": row["name"],
                "description": row["description"],
                "weight": row["weight"],
                "scale_min": row["scale_min"],
                "scale_max": row["scale_max"],
            }
            for row in self.criteria.cleaned_data
            if row and (row.get("name") or row.get("weight"))
        ]
        return data

    @classmethod
    def initial_from(cls, campaign):
        initial = super().initial_from(campaign)
        prizes = {p.round_kind: p for p in campaign.prizes.all() if p.rank == 1}
        any_prize = next(iter(prizes.values()), None)
        initial["weekly_prize"] = prizes["weekly"].amount if "weekly" in prizes else None
        initial["grand_prize"] = prizes["grand"].amount if "grand" in prizes else None
        initial["currency"] = any_prize.currency if any_prize else "EUR"
        initial["split_rule"] = any_prize.split_rule if any_prize else Prize.SplitRule.AUTHOR
        return initial

    @staticmethod
    def criteria_initial(campaign) -> list[dict]:
        return [
            {
                "name": c.name,
                "description": c.description,
                "weight": c.weight,
                "scale_min": c.scale_min,
                "scale_max": c.scale_max,
            }
            for c in campaign.criteria.all()
        ]


class TermsForm(StepForm):
    step = "terms"
    title_text = _("Terms and conditions")
    intro = _(
        "The rules people accept before they take part. Changing them after publishing "
        "makes a new version that people accept again."
    )

    terms_text = forms.CharField(
        label=_("Terms and conditions"), required=False, widget=forms.Textarea(attrs={"rows": 14})
    )


STEPS = [BasicsForm, ParticipationForm, ScheduleForm, PrizesForm, TermsForm]
STEP_BY_NAME = {form.step: form for form in STEPS}


def show_service_errors(form: forms.Form, fields: dict, message: str) -> None:
    """Put a service's messages next to the form's fields (or at the top)."""
    placed = False
    for name, messages in fields.items():
        target = name if name in form.fields else None
        for text in messages:
            form.add_error(target, text)
            placed = True
    if not placed:
        form.add_error(None, message)


class BrandForm(ConsoleForm):
    name = forms.CharField(label=_("Brand name"), max_length=200)
    default_language = forms.ChoiceField(
        label=_("Language of the site"),
        choices=Tenant.Language.choices,
        help_text=_("Visitors who have not chosen a language see the site in this one."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"),
        choices=Tenant.Language.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Visitors can switch between these; every page exists in each of them."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=TIME_ZONES,
        help_text=_("Rounds start and end on this clock."),
    )
    primary_colour = forms.CharField(
        label=_("Main colour"), max_length=7, widget=forms.TextInput(attrs={"type": "color"})
    )
    accent_colour = forms.CharField(
        label=_("Accent colour"), max_length=7, widget=forms.TextInput(attrs={"type": "color"})
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)


class DomainForm(ConsoleForm):
    hostname = forms.CharField(
        label=_("Custom domain"),
        max_length=253,
        help_text=_("Such as ideas.example.com. Point its DNS at the platform first."),
    )


class InvitationForm(ConsoleForm):
    label = forms.CharField(
        label=_("Label"),
        max_length=120,
        required=False,
        help_text=_("Who this link is for, such as “Newsletter of May”."),
    )


class ReasonForm(ConsoleForm):
    reason = forms.CharField(
        label=_("Reason (kept on record)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
