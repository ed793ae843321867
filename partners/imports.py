"""Spreadsheet import and export of partners and memberships (django-import-export).

Rows refer to partners by slug and to countries by ISO code or name, so a file written by a
person reads as well as one exported from the admin. Every widget turns a bad value into a
ValueError with a reason a person can act on; import-export shows it next to the row number.

Texts written in several languages (allas/translation.py) travel as ``original_language`` and
one column per language of each translated field (``description_es``, ``description_pt``, …),
see ``TranslatedResource``.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django_countries import countries
from import_export import fields, resources, widgets
from translated_fields import to_attribute

from allas import spreadsheets
from allas.translation import LANGUAGE_NAMES, columns
from partners.models import Membership, Partner


class IsoDateWidget(widgets.DateWidget):
    """Dates as YYYY-MM-DD (also accepts real date cells from a spreadsheet)."""

    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("Bad date format “%(value)s”: write dates as YYYY-MM-DD.") % {"value": value}
            ) from None


class ChoiceWidget(widgets.Widget):
    """A choice by its code (``city``) or its label (``City``), case-insensitive; ``choices``
    is a TextChoices class or (code, label) pairs."""

    def __init__(self, choices, *, blank=False):
        super().__init__()
        self.choices = list(getattr(choices, "choices", choices))
        self.blank = blank

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            if self.blank:
                return ""
            raise ValueError(_("This column cannot be empty."))
        for code, label in self.choices:
            if text.lower() in (str(code).lower(), str(label).lower()):
                return code
        known = ", ".join(str(code) for code, _label in self.choices)
        raise ValueError(
            _("Unknown value “%(value)s”; use one of: %(known)s.") % {"value": text, "known": known}
        )

    def render(self, value, obj=None, **kwargs):
        return value or ""


class LanguageWidget(ChoiceWidget):
    """The language a record's texts were written in, by code (``pt``) or name, in English,
    in itself or in the active language (``Portuguese``, ``Português``, ``Portugués``). An
    empty cell keeps the record's language: the site's default for a new record (with
    ``saves_null_values=False`` on its field)."""

    def __init__(self):
        super().__init__(settings.LANGUAGES)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().lower()
        if not text:
            return None
        for code, _label in self.choices:
            info = get_language_info(code)
            if text in (info["name"].lower(), info["name_local"].lower()):
                return code
        return super().clean(value, row, **kwargs)


class CountryWidget(widgets.Widget):
    """A country by ISO 3166 code (``UY``) or by name in English or the active language."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return ""
        if text.upper() in countries:
            return text.upper()
        code = countries.by_name(text, insensitive=True) or countries.by_name(
            text, insensitive=True, language="en"
        )
        if code:
            return code
        raise ValueError(
            _("Unknown country “%(value)s”: use its ISO code (e.g. UY) or its name.")
            % {"value": text}
        )

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


class PartnerSlugWidget(widgets.ForeignKeyWidget):
    """A partner by its slug, with a clear message when there is none."""

    def __init__(self, model=Partner, *, kind=None):
        super().__init__(model, field="slug")
        self.kind = kind

    def clean(self, value, row=None, **kwargs):
        slug = str(value or "").strip()
        if not slug:
            return None
        try:
            partner = self.model.objects.get(slug=slug)
        except self.model.DoesNotExist:
            raise ValueError(
                _("Unknown partner “%(slug)s”: import it first or check its slug.") % {"slug": slug}
            ) from None
        if self.kind and partner.kind != self.kind:
            raise ValueError(
                _("“%(slug)s” is not a %(kind)s.")
                % {"slug": slug, "kind": Partner.Kind(self.kind).label.lower()}
            )
        return partner


class BaseResource(resources.ModelResource):
    """Text columns left empty (an empty spreadsheet cell reads as None) import as "".

    Every exported value that a spreadsheet would run as a formula gets a ``'`` in front, and
    importing takes it away again (allas/spreadsheets.py), so an export re-imports unchanged.
    """

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "TextField": widgets.CharWidget,
        "SlugField": widgets.CharWidget,
    }

    def export_field(self, field, instance, **kwargs):
        return spreadsheets.escape(super().export_field(field, instance, **kwargs))

    def import_row(self, row, instance_loader, **kwargs):
        # In place, so every later step (before_import_row, the preview's row) sees the value.
        for key, value in row.items():
            row[key] = spreadsheets.unescape(value)
        return super().import_row(row, instance_loader, **kwargs)


class TranslatedResource(BaseResource):
    """A model with texts in several languages (``allas.translation.Translatable``): the
    column ``original_language`` (a code or a language's name; empty keeps the record's) and
    one column per language of each translated field, each field's languages together
    (``title_es``, ``title_pt``, ``title_fr``, ``title_en``, ``summary_es``, …). A row whose
    required text is empty in its original language gets the model's message on that column.

    Files written before texts had languages have one column per field, without a language
    (``title``); it is still read, as the text in the record's original language (the row's
    ``original_language``, else the record's, else the site's default). A row that gives that
    text twice, differently (``title`` and ``title_es`` for a Spanish record), is refused.
    Exports write only the columns per language.
    """

    original_language = fields.Field(
        attribute="original_language",
        column_name="original_language",
        widget=LanguageWidget(),
        saves_null_values=False,
    )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        text_widget = widgets.CharWidget()
        for name in self._meta.model.TRANSLATED_FIELDS:
            if name not in row:
                continue
            language = instance.original_language
            column = to_attribute(name, language)
            text = text_widget.clean(row[name])
            given = getattr(instance, column) if column in row else ""
            if text and given and text != given:
                errors[name] = [
                    ValidationError(
                        _(
                            "“%(name)s” and “%(column)s” both give the text in %(language)s; "
                            "keep one of the two columns."
                        )
                        % {"name": name, "column": column, "language": LANGUAGE_NAMES[language]}
                    )
                ]
            else:
                setattr(instance, column, text or given)
        if errors:
            raise ValidationError(errors)


class PartnerResource(TranslatedResource):
    """Partners of every kind, identified by slug: the name and acronym as the organisation
    writes them, its official names where it has them in a language, and its description in
    each language (a file with a plain ``description`` column is read as in
    ``TranslatedResource``)."""

    kind = fields.Field(attribute="kind", column_name="kind", widget=ChoiceWidget(Partner.Kind))
    institution_type = fields.Field(
        attribute="institution_type",
        column_name="institution_type",
        widget=ChoiceWidget(Partner.InstitutionType, blank=True),
    )
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())

    class Meta:
        model = Partner
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "short_name",
            *columns("official_name", "official_short_name"),
            "kind",
            "institution_type",
            "country",
            "locality",
            "latitude",
            "longitude",
            "website",
            "wikidata_id",
            "original_language",
            *columns("description"),
            "is_public",
            "note",
        ]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class MembershipResource(BaseResource):
    """Membership periods: one row per period, identified by member, network and joined_on,
    so a partner's earlier periods import as separate rows."""

    member = fields.Field(attribute="member", column_name="member", widget=PartnerSlugWidget())
    # Any partner may be named as the network: that it is one is the model's rule
    # (Membership.clean), checked with the row (clean_model_instances).
    network = fields.Field(attribute="network", column_name="network", widget=PartnerSlugWidget())
    role = fields.Field(attribute="role", column_name="role", widget=ChoiceWidget(Membership.Role))
    joined_on = fields.Field(attribute="joined_on", column_name="joined_on", widget=IsoDateWidget())
    left_on = fields.Field(attribute="left_on", column_name="left_on", widget=IsoDateWidget())

    class Meta:
        model = Membership
        import_id_fields = ["member", "network", "joined_on"]
        fields = ["member", "network", "role", "joined_on", "left_on", "note"]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def filter_export(self, queryset, **kwargs):
        # One query for the whole file instead of two per row.
        return super().filter_export(queryset, **kwargs).select_related("member", "network")
