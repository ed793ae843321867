"""Texts that coordinators and staff write in several languages.

A translated field is one column per site language (django-translated-fields: ``title`` makes
``title_es``, ``title_pt``, ``title_fr`` and ``title_en``; no join, no magic in queries). Each
record says which language it was written in (``original_language``); its text in that
language is required (a constraint of each model, see ``written_in_original_language``), the
other languages may be missing.

Reading ``record.title`` gives the text in the active language or, where it is missing, the
text in the original language, as a ``TranslatedText`` that knows which language it is in.
Templates show a fallback with its ``lang`` attribute and a visible note ("in Spanish") through
the ``in_language`` filter of ``allas.templatetags.translations``: never silently (WCAG 2.1,
3.1.2 "language of parts").
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import Truncator, format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from translated_fields import TranslatedField, to_attribute

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
LANGUAGE_NAMES = dict(settings.LANGUAGES)

# "in Spanish", "in Portuguese"…: the visible note beside a text shown in another language.
IN_LANGUAGE = {
    "es": _("in Spanish"),
    "pt": _("in Portuguese"),
    "fr": _("in French"),
    "en": _("in English"),
}


def active_language():
    """The active language as one of the site's codes ("pt" for "pt-br"), else the default."""
    code = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in LANGUAGE_NAMES else settings.LANGUAGE_CODE


class TranslatedText(str):
    """A text that knows the language it is written in, and the language that was asked for."""

    def __new__(cls, text, language, requested):
        value = super().__new__(cls, text)
        value.language = language
        value.requested = requested
        return value

    @property
    def is_fallback(self):
        """True when the text is not in the language that was asked for."""
        return bool(self) and self.language != self.requested


def with_language_note(value, words=None):
    """The text (its first ``words`` words if given), followed by "(in Spanish)" when it is not
    in the language asked for: for places that cannot hold markup (page titles, meta
    descriptions, calendar feeds, e-mails)."""
    text = Truncator(value).words(words) if words else str(value)
    if not getattr(value, "is_fallback", False):
        return text
    return f"{text} ({IN_LANGUAGE[value.language]})"


def text_in(record, name, language):
    """The text of field ``name`` of ``record`` in ``language`` ("" where missing)."""
    return getattr(record, to_attribute(name, language)) or ""


def fallback_to_original(name, field):
    """The getter of a translated field: the active language, else the record's original
    language, else the first language that has a text."""

    def getter(record):
        requested = active_language()
        original = getattr(record, "original_language", "") or settings.LANGUAGE_CODE
        for language in [requested, original, *LANGUAGE_CODES]:
            text = text_in(record, name, language)
            if text:
                return TranslatedText(text, language, requested)
        return TranslatedText("", requested, requested)

    return getter


def set_in_original_language(name, field):
    """The setter of a translated field: ``record.title = text`` writes the original text."""

    def setter(record, value):
        language = getattr(record, "original_language", "") or settings.LANGUAGE_CODE
        setattr(record, to_attribute(name, language), value)

    return setter


class TranslatedTextField(TranslatedField):
    """django-translated-fields' field, readable and writable under its own name as a property,
    so that ``Activity(title=…)`` and ``Activity.objects.create(title=…)`` write the original
    text (Django's model constructor accepts properties, not other descriptors)."""

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        setattr(cls, name, property(self._getter, self._setter, doc=str(self.short_description)))


def in_active_language_only(name, field):
    """The getter of a field with no fallback: the active language's text or "" (official
    names: another language's official name is not this language's)."""

    def getter(record):
        return text_in(record, name, active_language())

    return getter


def translated(field, *, fallback=True):
    """A field written once per language: one column per language, each optional (the record's
    constraint requires the original language's), each labelled with its language. Reading it
    falls back to the original language unless ``fallback`` is False."""
    field.blank = True
    specific = {
        language: {"verbose_name": format_lazy("{} ({})", field.verbose_name, name)}
        for language, name in LANGUAGE_NAMES.items()
    }
    return TranslatedTextField(
        field,
        specific,
        attrgetter=fallback_to_original if fallback else in_active_language_only,
        attrsetter=set_in_original_language,
    )


def columns(*names, languages=None):
    """The columns of translated fields, language by language within each field:
    ``columns("title", "summary")`` → title_es, title_pt, …, summary_es, …"""
    return [
        to_attribute(name, language) for name in names for language in languages or LANGUAGE_CODES
    ]


def written_in_original_language(name):
    """The condition "field ``name`` has a text in the record's original language"."""
    condition = Q()
    for language in LANGUAGE_CODES:
        condition |= Q(original_language=language) & ~Q(**{to_attribute(name, language): ""})
    return condition


def matches_in_any_language(names, text):
    """Records whose translated fields ``names`` contain ``text`` in some language
    (case-insensitive): the simple search of the admin and of SQLite."""
    condition = Q()
    for column in columns(*names):
        condition |= Q(**{f"{column}__icontains": text})
    return condition


def missing_language(names, language):
    """Records that lack ``language`` for a field they have in their original language."""
    condition = Q()
    for name in names:
        condition |= written_in_original_language(name) & Q(**{to_attribute(name, language): ""})
    return condition & ~Q(original_language=language)


class Translatable(models.Model):
    """A record with texts in several languages. ``TRANSLATED_FIELDS`` names its translated
    fields; ``REQUIRED_IN_ORIGINAL`` those that must have a text in the original language (each
    model's constraint says the same to the database)."""

    TRANSLATED_FIELDS: tuple[str, ...] = ()
    REQUIRED_IN_ORIGINAL: tuple[str, ...] = ()

    original_language = models.CharField(
        _("original language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the texts were written in; the other languages translate it."),
    )

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        """Django's checks, then "required in the original language", reported on the column
        of that language (``title_pt`` for a record written in Portuguese)."""
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        skipped = set(exclude or ()) | set(errors)
        if "original_language" not in skipped:
            language = self.original_language
            for name in self.REQUIRED_IN_ORIGINAL:
                column = to_attribute(name, language)
                if column not in skipped and not text_in(self, name, language).strip():
                    errors[column] = [
                        ValidationError(
                            _("Write it in %(language)s, the original language."),
                            code="required_in_original_language",
                            params={"language": LANGUAGE_NAMES[language]},
                        )
                    ]
        if errors:
            raise ValidationError(errors)

    def text_in_original_language(self, name):
        return text_in(self, name, self.original_language)

    def missing_languages(self):
        """The languages (codes, in the site's order) that lack a text the original has."""
        original = self.original_language
        written = [name for name in self.TRANSLATED_FIELDS if text_in(self, name, original)]
        return [
            language
            for language in LANGUAGE_CODES
            if language != original and any(not text_in(self, name, language) for name in written)
        ]
