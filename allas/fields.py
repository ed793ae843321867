"""Form fields and widgets that refuse ids no record can have, before any query.

A submitted id that is not an integer (" ", "abc") or lies outside the range of the key's
column (``99999999999999999999``: SQLite raises OverflowError for an integer wider than 64 bits
in ``__in``, which Django's multiple-choice fields and the admin's autocomplete widgets query)
can match no row. These fields answer it with Django's own messages (``invalid_pk_value``,
``invalid_choice``) instead of a server error, and the widgets leave it out when a refused form
is shown again. Used by the staff forms, the admin (``allas.admin``) and its list filters.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections


def key_field(model, to_field_name=None):
    """The model field that ``to_field_name`` (or the primary key) names, followed through a
    relation (a primary key that is a one-to-one link to a parent)."""
    field = model._meta.get_field(to_field_name) if to_field_name else model._meta.pk
    while field.is_relation:
        field = field.target_field
    return field


def is_storable_key(field, value, using=DEFAULT_DB_ALIAS):
    """Whether ``value`` can be a value of the column of ``field``: it converts (to_python) and,
    for an integer column, lies in the database's range for it."""
    try:
        value = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(value, int):
        try:
            low, high = connections[using].ops.integer_field_range(field.get_internal_type())
        except KeyError:  # not an integer column
            return True
        return (low is None or value >= low) and (high is None or value <= high)
    return True


class KeyChecksMixin:
    """For ModelChoiceField and ModelMultipleChoiceField: the check of each submitted key."""

    def key_field(self):
        return key_field(self.queryset.model, self.to_field_name)

    def is_storable(self, value):
        if isinstance(value, self.queryset.model):
            return True
        return is_storable_key(self.key_field(), value, self.queryset.db)


class KeyChoiceField(KeyChecksMixin, forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not self.is_storable(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class KeyMultipleChoiceField(KeyChecksMixin, forms.ModelMultipleChoiceField):
    def clean(self, value):
        if isinstance(value, (list, tuple)):  # anything else: Django's own message
            for pk in value:
                if self.is_storable(pk):
                    continue
                try:
                    self.key_field().to_python(pk)
                except ValidationError:
                    code = "invalid_pk_value"  # not an id at all
                    params = {"pk": pk}
                else:
                    code = "invalid_choice"  # an id no record can have
                    params = {"value": pk}
                raise ValidationError(self.error_messages[code], code=code, params=params)
        return super().clean(value)


class StorableKeysWidgetMixin:
    """For the admin's autocomplete widgets: a refused form shown again lists its chosen
    options with one query on the submitted ids; ids no record can have are left out."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        field = key_field(remote.model, getattr(remote, "field_name", None))
        using = self.db or DEFAULT_DB_ALIAS
        value = [v for v in value if is_storable_key(field, v, using)]
        return super().optgroups(name, value, attr)


class KeyAutocompleteSelect(StorableKeysWidgetMixin, AutocompleteSelect):
    pass


class KeyAutocompleteSelectMultiple(StorableKeysWidgetMixin, AutocompleteSelectMultiple):
    pass


class KeyFormFieldsMixin:
    """ModelAdmin (and inline) mixin: the forms' foreign keys and many-to-many fields are the
    fields above, and their autocomplete widgets the ones above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KeyChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KeyMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def to_key(field, value, using=DEFAULT_DB_ALIAS):
    """``value`` as a value of ``field``'s column (a query-string id for a list filter);
    ValidationError when no record can have it."""
    if not is_storable_key(field, value, using):
        raise ValidationError("%(value)s is not an id.", code="invalid", params={"value": value})
    return field.to_python(value)
