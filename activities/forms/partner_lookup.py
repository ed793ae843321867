"""Naming a partner in the staff forms: a text box (thousands of partners make a select
too heavy) with suggestions, that reveals no partner that is not public."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Participation,
)
from partners.models import Partner


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
        queryset = choosable if kind is None else choosable.cities()
        chosen = [p for p in collaborators if kind is None or p.kind == kind][:limit]
        chosen_ids = {p.pk for p in chosen}
        # Twice the limit by name leaves at least ``limit`` after removing the chosen ones.
        others = [p for p in queryset.order_by("name")[: limit * 2] if p.pk not in chosen_ids]
        chosen += others[: limit - len(chosen)]
        suggestions[key] = sorted(chosen, key=lambda p: p.name.casefold())
    return suggestions


def datalist_partner_label(partner):
    return f"{partner.name} ({partner.country.name})" if partner.country else partner.name
