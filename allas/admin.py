"""What every app's back-office shares.

Base classes for the admins of the domain apps: autocomplete without a query per inline row,
deletion that gives a message instead of a server error when others depend on a record,
history with diff and revert (simple-history), import/export with size limits, bad list
filters refused with the admin's own message, and every language of a translated record on
one page (``TranslatedAdminMixin``). The site itself (its names, the dashboard) is
front/admin_site.py. This module imports no domain app.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views import main
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from allas.fields import KeyAutocompleteSelect, KeyFormFieldsMixin
from allas.import_forms import CSV, XLSX, LimitedImportForm, SafeConfirmImportForm
from allas.translation import (
    LANGUAGE_CODES,
    LANGUAGE_NAMES,
    active_language,
    columns,
    missing_language,
)


class ChangeList(main.ChangeList):
    """Django's changelist, with a date-hierarchy value too large for a date (``?year=9…9``)
    refused like any other bad filter (Django catches ValueError there, not OverflowError)."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class BadFiltersRefusedMixin:
    """ModelAdmin mixin: the changelist above."""

    def get_changelist(self, request, **kwargs):
        return ChangeList


class PreloadedAutocompleteSelect(KeyAutocompleteSelect):
    """An autocomplete that labels its selected option from the object loaded with the row.

    The stock widget runs one query per rendered select to find its label: one per inline row.
    When the form already holds the related object (select_related), this one runs none.
    """

    preloaded = None

    def optgroups(self, name, value, attr=None):
        # A submitted value that is not a key (" ", "abc") would crash Django's lookup of the
        # selected label when the form is shown again with its errors: leave it out.
        value = [v for v in value if self._is_key(v)]
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        obj = self.preloaded
        if obj is None or selected != [str(obj.pk)]:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(obj)
        options.append(self.create_option(name, obj.pk, label, set(selected), len(options)))
        return [(None, options, 0)]

    def _is_key(self, value):
        try:
            self.field.target_field.to_python(value)
        except ValidationError:
            return False
        return True


class PreloadedAutocompleteForm(forms.ModelForm):
    """Hands each autocomplete widget the related object its instance already holds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, PreloadedAutocompleteSelect):
                continue
            model_field = self._meta.model._meta.get_field(name)
            if model_field.is_cached(self.instance):
                widget.preloaded = getattr(self.instance, name)


class AutocompleteWidgetMixin(KeyFormFieldsMixin):
    """Use PreloadedAutocompleteSelect for every foreign key listed in autocomplete_fields."""

    form = PreloadedAutocompleteForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProtectedDeleteMixin:
    """Deleting a record others depend on gives a message, never a server error.

    The stock confirmation page already lists protected records and deletes nothing; this
    covers the remaining path where the delete itself is refused (e.g. a participation added
    between confirmation and deletion).
    """

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ProtectedError as error:
            self._protected_message(request, error)
            return HttpResponseRedirect(request.path.rsplit("/delete/", 1)[0] + "/change/")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            func, name, description = actions["delete_selected"]
            actions["delete_selected"] = (_safe_delete_selected(func), name, description)
        return actions

    def _protected_message(self, request, error):
        names = ", ".join(sorted({str(obj) for obj in list(error.protected_objects)[:10]}))
        self.message_user(
            request,
            _("Nothing was deleted: other records still refer to it (%(names)s).")
            % {"names": names},
            messages.ERROR,
        )


def _safe_delete_selected(action):
    def delete_selected(modeladmin, request, queryset):
        try:
            return action(modeladmin, request, queryset)
        except ProtectedError as error:
            modeladmin._protected_message(request, error)
            return None

    return delete_selected


class OperationsAdmin(
    BadFiltersRefusedMixin, AutocompleteWidgetMixin, ProtectedDeleteMixin, SimpleHistoryAdmin
):
    """Base for the network's records: history with diff and revert, autocomplete, safe delete."""

    list_per_page = 50


class ImportExportOperationsAdmin(ImportExportMixin, OperationsAdmin):
    formats = [CSV, XLSX]
    import_form_class = LimitedImportForm  # size, unpacked size and rows (allas/import_forms.py)

    def get_confirm_form_class(self, request):
        # Checks the hidden fields of the confirmation step (see allas/import_forms.py).
        return SafeConfirmImportForm.limited(
            formats=len(self.get_import_formats()),
            resources=len(self.get_import_resource_classes(request)),
        )

    def get_import_data_kwargs(self, **kwargs):
        # The confirmed import rolls everything back if any row fails validation.
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs


class AutocompleteInline(AutocompleteWidgetMixin, admin.TabularInline):
    extra = 0
    show_change_link = True


class ConstraintMessageFormSet(forms.BaseInlineFormSet):
    """Rows repeating a unique combination are refused by Django's check across the rows
    (``validate_unique``, which reads the model's UniqueConstraints); the message shown is
    the constraint's own ``violation_error_message`` rather than Django's generic one."""

    def get_unique_error_message(self, unique_check):
        for constraint in self.model._meta.total_unique_constraints:
            if set(constraint.fields) == set(unique_check):
                return constraint.get_violation_error_message()
        return super().get_unique_error_message(unique_check)


# The choices of the "missing language" filter, whole phrases for the translators.
MISSING_LANGUAGE = {
    "es": _("missing Spanish"),
    "pt": _("missing Portuguese"),
    "fr": _("missing French"),
    "en": _("missing English"),
}


class MissingLanguageFilter(admin.SimpleListFilter):
    """Records that lack a language (``?missing_language=pt``): a text they have in their
    original language is not written in it (``allas.translation.missing_language``, the rule
    the dashboard counts with). A value that is not a site language is a bad filter."""

    title = _("missing language")
    parameter_name = "missing_language"

    def lookups(self, request, model_admin):
        return [(code, MISSING_LANGUAGE[code]) for code in LANGUAGE_CODES]

    def queryset(self, request, queryset):
        language = self.value()
        if not language:
            return queryset
        if language not in LANGUAGE_NAMES:
            raise IncorrectLookupParameters(f"{language[:20]!r} is not a language of the site.")
        return queryset.filter(missing_language(queryset.model.TRANSLATED_FIELDS, language))


class TranslatedAdminMixin:
    """ModelAdmin mixin for a ``Translatable`` model (allas/translation.py): every language of
    a record on one page, one fieldset per language with the original first; on the
    changelist, the languages each record lacks as a column and as a filter.

    Declare the fieldsets (or fields) without the translated fields: their columns come in
    the language fieldsets, placed after the first fieldset, which also gets
    ``original_language``. ``language_fields`` names the fields written per language (by
    default the model's ``TRANSLATED_FIELDS``)."""

    language_fields = None
    textarea_rows = 4

    def get_language_fields(self):
        return tuple(self.language_fields or self.model.TRANSLATED_FIELDS)

    def original_language_of(self, request, obj):
        """The record's original language; for a new record, the one chosen in the form when
        it comes back with errors, else the coordinator's interface language."""
        if obj is not None:
            return obj.original_language
        chosen = request.POST.get("original_language")
        return chosen if chosen in LANGUAGE_NAMES else active_language()

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        # A new record is written in the language of the interface the coordinator reads.
        initial.setdefault("original_language", active_language())
        return initial

    def get_fieldsets(self, request, obj=None):
        (name, options), *others = super().get_fieldsets(request, obj)
        fields = list(options["fields"])
        if "original_language" not in fields:
            fields.append("original_language")
        return [
            (name, {**options, "fields": fields}),
            *self.language_fieldsets(request, obj),
            *others,
        ]

    def language_fieldsets(self, request, obj):
        original = self.original_language_of(request, obj)
        order = [original, *(code for code in LANGUAGE_CODES if code != original)]
        names = self.get_language_fields()
        return [
            (
                gettext("%(language)s (original)") % {"language": LANGUAGE_NAMES[code]}
                if code == original
                else LANGUAGE_NAMES[code],
                {"fields": columns(*names, languages=[code]), "classes": ["translation"]},
            )
            for code in order
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """Each column's input says its language (``lang``: screen readers and spelling
        checkers read the text in it), and texts take a few lines rather than ten."""
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        language = {
            column: code
            for code in LANGUAGE_CODES
            for column in columns(*self.get_language_fields(), languages=[code])
        }.get(db_field.name)
        if formfield is not None and language:
            formfield.widget.attrs["lang"] = language
            if isinstance(formfield.widget, forms.Textarea):
                formfield.widget.attrs["rows"] = self.textarea_rows
        return formfield

    def get_list_display(self, request):
        list_display = list(super().get_list_display(request))
        if "missing_languages" not in list_display:
            list_display.append("missing_languages")
        return list_display

    def get_list_filter(self, request):
        list_filter = list(super().get_list_filter(request))
        if MissingLanguageFilter not in list_filter:
            list_filter.append(MissingLanguageFilter)
        return list_filter

    @admin.display(description=_("missing languages"))
    def missing_languages(self, obj):
        missing = obj.missing_languages()
        if not missing:
            return self.get_empty_value_display()
        return format_html_join(
            ", ", '<abbr title="{}">{}</abbr>', ((LANGUAGE_NAMES[code], code) for code in missing)
        )


class GroupAdmin(BadFiltersRefusedMixin, KeyFormFieldsMixin, auth_admin.GroupAdmin):
    """Django's group admin (the Coordinators group, allas/roles.py) with the checks above."""


admin.site.unregister(Group)
admin.site.register(Group, GroupAdmin)
