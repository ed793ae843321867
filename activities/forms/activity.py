"""The staff form of a training (or another activity) and its partner rows."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.forms.languages import WrittenInLanguages
from activities.forms.partner_lookup import PartnerLookupField
from activities.models import (
    MAX_ATTENDEES,
    MAX_TRAINING_HOURS,
    MIN_TRAINING_HOURS,
    Activity,
    Participation,
)
from allas.fields import KeyMultipleChoiceField
from allas.translation import columns
from partners.models import Partner, Theme

# A date further than this from today is probably a typing mistake: the form asks to confirm.
PAST_WARNING_YEARS = 5
FUTURE_WARNING_YEARS = 2


class ActivityForm(WrittenInLanguages, forms.ModelForm):
    """Log or edit a training (or, when editing, another kind of activity), its texts in the
    writer's language and, optionally, in the others."""

    translated_names = ("title", "venue_name")

    organiser = forms.ModelChoiceField(
        label=_("Logged by"),
        queryset=Partner.objects.none(),
        empty_label=None,
        help_text=_("Your organisation that organised it; it is listed as organiser."),
    )
    organiser_attendees = forms.IntegerField(
        label=_("Attendees from your organisation"),
        required=False,
        min_value=0,
        max_value=MAX_ATTENDEES,
        initial=0,
    )
    # The limits are the model's validators; these are their messages for staff.
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=5,
        decimal_places=1,
        help_text=_("Length of the session in hours, e.g. 3 or 1.5."),
        widget=forms.NumberInput(
            attrs={"step": "0.5", "min": MIN_TRAINING_HOURS, "max": MAX_TRAINING_HOURS}
        ),
        error_messages={
            "min_value": _("A session lasts at least half an hour (0.5)."),
            "max_value": _(
                "%(value)s hours is more than a training can last (%(limit_value)s); check "
                "the figure."
            ),
        },
    )
    venue_partner = PartnerLookupField(
        label=_("Host city"),
        required=False,
        widget=forms.TextInput(attrs={"list": "city-suggestions", "autocomplete": "off"}),
        # The model's rule (a city venue names its city), worded for staff.
        error_messages={"city_missing": _("Type the partner city that hosted it.")},
    )
    confirm_dates = forms.BooleanField(
        label=_("Yes, the dates are right"),
        required=False,
        help_text=_("Tick it if a date far in the past or the future is correct."),
    )

    class Meta:
        model = Activity
        fields = [
            "original_language",
            *columns("title"),
            "starts_on",
            "ends_on",
            "hours",
            "format",
            "trainers",
            "themes",
            "venue_type",
            "venue_partner",
            *columns("venue_name"),
            "venue_country",
            "notes",
        ]
        field_classes = {"themes": KeyMultipleChoiceField}  # refuses ids no theme can have
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "themes": forms.CheckboxSelectMultiple,
            "venue_type": forms.RadioSelect,
            "trainers": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, partners, creating, choosable=None, **kwargs):
        """``partners``: the user's organisations; ``creating``: a new record (log or
        duplicate), which asks which organisation logs it."""
        initial = kwargs.get("initial") or {}
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.fields["starts_on"].error_messages["required"] = _("When did it start?")
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["venue_partner"].queryset = (
            choosable if choosable is not None else Partner.objects.all()
        ).cities()
        if creating:
            self.fields["organiser"].queryset = Partner.objects.filter(
                pk__in=[p.pk for p in partners]
            )
            if len(partners) == 1:
                self.fields["organiser"].widget = forms.HiddenInput()
                self.fields["organiser"].initial = partners[0].pk
                self.fields["organiser"].required = False
                self._only_partner = partners[0]
        else:
            del self.fields["organiser"]
            del self.fields["organiser_attendees"]
        if "venue_partner" not in initial:
            # The box shows a slug (names can be shared), not the primary key.
            venue = self.instance.venue_partner if self.instance.venue_partner_id else None
            self.initial["venue_partner"] = venue.slug if venue else ""
        kind = self.instance.kind or Activity.Kind.TRAINING
        if kind == Activity.Kind.TRAINING:
            self.fields["format"].required = True
        else:
            for name in ("hours", "format", "trainers"):
                del self.fields[name]
        self.arrange_languages()

    @property
    def dates_need_confirmation(self):
        return getattr(self, "_dates_warned", False) or bool(self.data.get("confirm_dates"))

    def clean_organiser(self):
        organiser = self.cleaned_data.get("organiser")
        return organiser or getattr(self, "_only_partner", None)

    def clean(self):
        data = super().clean()
        # The rules of the record itself (end before start, a venue without its city or
        # place) are the model's: they come next to the fields when the form validates it.
        earliest = _add_years(self.today, -PAST_WARNING_YEARS)
        latest = _add_years(self.today, FUTURE_WARNING_YEARS)
        if not data.get("confirm_dates"):
            for name in ("starts_on", "ends_on"):
                value = data.get(name)
                if value and not earliest <= value <= latest:
                    self._dates_warned = True
                    self.add_error(
                        name,
                        forms.ValidationError(
                            _(
                                "%(date)s is more than %(years)s years away from today. If it "
                                "is right, tick “Yes, the dates are right” and save again."
                            ),
                            code="date_warning",
                            params={
                                "date": value.isoformat(),
                                "years": PAST_WARNING_YEARS
                                if value < earliest
                                else FUTURE_WARNING_YEARS,
                            },
                        ),
                    )
        return data

    def activity_fields(self):
        """The cleaned values to hand to the service, venue made consistent."""
        data = self.cleaned_data
        names = [
            "original_language",
            *columns("title"),
            "starts_on",
            "ends_on",
            "venue_type",
            "notes",
        ]
        fields = {name: data[name] for name in names if name in data}
        for name in ("hours", "format", "trainers"):
            if name in self.fields:
                fields[name] = data.get(name)
        venue_type = data.get("venue_type")
        fields["venue_partner"] = (
            data.get("venue_partner") if venue_type == Activity.VenueType.CITY else None
        )
        for column in columns("venue_name"):
            fields[column] = data.get(column, "") if venue_type == Activity.VenueType.PLACE else ""
        fields["venue_country"] = (
            data.get("venue_country", "") if venue_type == Activity.VenueType.PLACE else ""
        )
        return fields


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class ParticipationRowForm(forms.Form):
    """One participating partner with its role and number of attendees."""

    partner = PartnerLookupField(
        label=_("Partner"),
        required=False,
        widget=forms.TextInput(
            attrs={"list": "partner-suggestions", "autocomplete": "off", "class": "partner-input"}
        ),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Participation.Role.choices, initial=Participation.Role.PARTICIPANT
    )
    attendees = forms.IntegerField(
        label=_("Attendees"),
        required=False,
        min_value=0,
        max_value=MAX_ATTENDEES,
        error_messages={
            "min_value": _("Attendees cannot be negative."),
            "max_value": _("More than %(limit_value)s attendees? Check the figure."),
        },
    )

    def __init__(self, *args, choosable=None, **kwargs):
        """``choosable``: the partners a row may name (the formset's ``form_kwargs``)."""
        super().__init__(*args, **kwargs)
        if choosable is not None:
            self.fields["partner"].queryset = choosable

    def has_changed(self):
        # A row whose partner box is empty is an unused row, whatever its role says.
        return bool((self.data.get(self.add_prefix("partner")) or "").strip())


class BaseParticipationFormSet(forms.BaseFormSet):
    """Partner rows: each partner once; when editing, one of the user's organisations stays.

    Set ``organiser`` (creating) or ``own_partners`` (editing) before validating.
    """

    organiser = None
    own_partners = ()

    def filled_forms(self):
        """The rows that name a partner and are not marked for deletion."""
        return [
            form
            for form in self.forms
            if form.has_changed()
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("partner") is not None
        ]

    def rows(self):
        """(partner, role, attendees) of the filled, kept rows."""
        return [
            (
                form.cleaned_data["partner"],
                form.cleaned_data["role"],
                form.cleaned_data.get("attendees") or 0,
            )
            for form in self.filled_forms()
        ]

    def clean(self):
        if any(self.errors):
            return
        kept = self.filled_forms()
        partners = [form.cleaned_data["partner"] for form in kept]
        if self.organiser is not None:
            kept.insert(0, None)
            partners.insert(0, self.organiser)
        for position in Participation.repeats(partners):
            kept[position].add_error(
                "partner",
                _("%(partner)s is already listed; give each partner one row.")
                % {"partner": partners[position].name},
            )
        seen = {partner.pk for partner in partners}
        if self.own_partners and not any(p.pk in seen for p in self.own_partners):
            raise forms.ValidationError(
                _(
                    "Keep one of your organisations (%(names)s) among the partners, or you will "
                    "no longer be able to see this record."
                )
                % {"names": ", ".join(p.name for p in self.own_partners)}
            )
        if any(self.errors):
            raise forms.ValidationError(_("Correct the partner rows marked below."))


ParticipationFormSet = forms.formset_factory(
    ParticipationRowForm,
    formset=BaseParticipationFormSet,
    extra=3,
    can_delete=True,
    max_num=200,
    absolute_max=300,
    validate_max=True,
)
