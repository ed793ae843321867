"""The staff area's forms: one form for a training (or another activity) and its partner rows,
and one for a resource of the knowledge hub."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import (
    MAX_ATTENDEES,
    MAX_TRAINING_HOURS,
    Activity,
    Participation,
    Resource,
)
from partners.models import Partner, Theme

# A date further than this from today is probably a typing mistake: the form asks to confirm.
PAST_WARNING_YEARS = 5
FUTURE_WARNING_YEARS = 2


def partners_choosable(*, extra=()):
    """Partners staff may name in a form: public ones, plus ``extra`` (their own organisations
    and those already on the record), so a non-public partner is not revealed by the lookup."""
    extra_ids = [p.pk for p in extra]
    return Partner.objects.filter(Q(is_public=True) | Q(pk__in=extra_ids))


class PartnerLookupField(forms.CharField):
    """A partner typed by name, short name or slug (a text box with a datalist of suggestions).

    There may be thousands of partners, so no select lists them all; the datalist holds a
    short list of likely ones, a script fills it as one types, and without JavaScript the
    name typed in full is enough. Two queries at most per value.
    """

    default_error_messages = {
        "unknown": _("No partner is called “%(value)s”. Check the spelling or pick a suggestion."),
        "ambiguous": _(
            "Several partners are called “%(value)s”; type the identifier of the one you mean: "
            "%(slugs)s."
        ),
    }

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.queryset = queryset if queryset is not None else Partner.objects.all()

    def prepare_value(self, value):
        # The slug, which always names one partner (names can be shared).
        if isinstance(value, Partner):
            return value.slug
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        exact = self.queryset.filter(slug=value).first()
        if exact is not None:
            return exact
        matches = list(
            self.queryset.filter(Q(name__iexact=value) | Q(short_name__iexact=value))[:6]
        )
        if not matches:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": value}
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"value": value, "slugs": ", ".join(p.slug for p in matches)},
            )
        return matches[0]


class ActivityForm(forms.ModelForm):
    """Log or edit a training (or, when editing, another kind of activity)."""

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
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": MAX_TRAINING_HOURS}),
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
            "title",
            "starts_on",
            "ends_on",
            "hours",
            "format",
            "trainers",
            "themes",
            "venue_type",
            "venue_partner",
            "venue_name",
            "venue_country",
            "notes",
        ]
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
        self.fields["title"].error_messages["required"] = _("Give the training a title.")
        self.fields["starts_on"].error_messages["required"] = _("When did it start?")
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["venue_partner"].queryset = (
            choosable if choosable is not None else Partner.objects.all()
        ).filter(kind=Partner.Kind.CITY)
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
        fields = {
            name: data[name]
            for name in ("title", "starts_on", "ends_on", "venue_type", "notes")
            if name in data
        }
        for name in ("hours", "format", "trainers"):
            if name in self.fields:
                fields[name] = data.get(name)
        venue_type = data.get("venue_type")
        fields["venue_partner"] = (
            data.get("venue_partner") if venue_type == Activity.VenueType.CITY else None
        )
        fields["venue_name"] = (
            data.get("venue_name", "") if venue_type == Activity.VenueType.PLACE else ""
        )
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


# The partners suggested first are those met on the activities of the user's organisations'
# latest participations; a bound, so a large organisation's history is not read in full.
RECENT_PARTICIPATIONS = 500


def partner_suggestions(partners, *, limit=100):
    """Short lists for the datalists, each sorted by name: ``"all"`` partners and ``"city"``
    (host cities). First the user's organisations and the partners they worked with
    recently, then others by name, up to ``limit`` each. Three queries, whatever the data."""
    own_ids = [p.pk for p in partners]
    choosable = partners_choosable(extra=partners)
    met = Participation.objects.partners_met_by(own_ids, recent=RECENT_PARTICIPATIONS)
    collaborators = list(
        choosable.filter(Q(pk__in=own_ids) | Q(pk__in=met)).order_by("name")[: limit * 10]
    )
    suggestions = {}
    for key, kind in (("all", None), ("city", Partner.Kind.CITY)):
        queryset = choosable if kind is None else choosable.filter(kind=kind)
        chosen = [p for p in collaborators if kind is None or p.kind == kind][:limit]
        chosen_ids = {p.pk for p in chosen}
        # Twice the limit by name leaves at least ``limit`` after removing the chosen ones.
        others = [p for p in queryset.order_by("name")[: limit * 2] if p.pk not in chosen_ids]
        chosen += others[: limit - len(chosen)]
        suggestions[key] = sorted(chosen, key=lambda p: p.name.casefold())
    return suggestions


def datalist_partner_label(partner):
    return f"{partner.name} ({partner.country.name})" if partner.country else partner.name


# A resource links to activities chosen from a select; it lists at most this many of the
# organisation's latest ones (plus those already linked), never the whole history.
RECENT_ACTIVITIES = 100


class ActivityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.starts_on:%Y-%m-%d})"


class ResourceForm(forms.ModelForm):
    """Add or edit a resource that one of the user's organisations published."""

    publisher = forms.ModelChoiceField(
        label=_("Published by"),
        queryset=Partner.objects.none(),
        empty_label=None,
        help_text=_("Your organisation that published it; it is listed among the publishers."),
    )
    activities = ActivityChoiceField(
        label=_("Activities"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "The activities it came from or was used in. Only your organisations' %(count)s "
            "most recent activities (and those already linked) are listed; hold Ctrl (Cmd on a "
            "Mac) to choose several."
        )
        % {"count": RECENT_ACTIVITIES},
    )

    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("Or a link to where it is published (https://…)."),
    )

    class Meta:
        model = Resource
        fields = [
            "title",
            "kind",
            "description",
            "file",
            "url",
            "language",
            "themes",
            "published_on",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "themes": forms.CheckboxSelectMultiple,
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "file": _("A PDF, an office document, an image, a video or a ZIP file."),
        }

    def __init__(self, *args, partners, activities, **kwargs):
        """``partners``: the user's organisations (asked for a new resource only);
        ``activities``: the activities the select offers."""
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Give the resource a title.")
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["activities"].queryset = activities
        if self.instance.pk:
            self.initial.setdefault(
                "activities", list(self.instance.activities.values_list("pk", flat=True))
            )
            del self.fields["publisher"]
        else:
            self.fields["publisher"].queryset = Partner.objects.filter(
                pk__in=[p.pk for p in partners]
            )
            if len(partners) == 1:
                self.fields["publisher"].widget = forms.HiddenInput()
                self.fields["publisher"].initial = partners[0].pk
                self.fields["publisher"].required = False
                self._only_partner = partners[0]

    def clean_publisher(self):
        return self.cleaned_data.get("publisher") or getattr(self, "_only_partner", None)

    def clean(self):
        # The rule is the model's constraint (its message is for the whole record); here it
        # is said next to the link. Having an error, the link is then left out of the
        # model's validation, so the message is not repeated (nor after a refused file).
        data = super().clean()
        no_file = not data.get("file") and "file" not in self.errors
        if no_file and not data.get("url") and "url" not in self.errors:
            self.add_error("url", _("Upload a file or give a link."))
        return data

    def resource_fields(self):
        """The values to hand to the service (the file as the form left it on the instance:
        a new upload, the stored file, or none when cleared)."""
        return {
            name: getattr(self.instance, name)
            for name in ("title", "kind", "description", "file", "url", "language", "published_on")
        }
