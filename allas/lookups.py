"""``__in`` on integer columns that ignores values no integer column can hold.

Django guards ``=``, ``<``, ``>`` on integer fields against out-of-range values (SQLite raises
OverflowError for an integer wider than 64 bits) but not ``__in``, which every multiple-choice
form field uses to check the submitted ids: ``?themes=99999999999999999999`` or an admin form
with such an id crashed with a server error. Out-of-range values can match no row, so they are
dropped, and so are values that are not integers at all; with none left the lookup matches
nothing (``filter(pk=" ")`` still raises, so form fields still reject such values).
Registered in ``AllasConfig.ready``.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerIn(In):
    def get_prep_lookup(self):
        # Values that are not integers at all (" ", "abc", as Django's admin autocomplete
        # widgets pass back what was submitted) can match no row either.
        if self.rhs_is_direct_value() and self.prepare_rhs:
            field = self.lhs.output_field
            kept = []
            for value in self.rhs:
                try:
                    field.get_prep_value(value)
                except (TypeError, ValueError):
                    continue
                kept.append(value)
            if not kept and self.rhs:
                self.rhs = []
                return self.rhs
            self.rhs = kept
        return super().get_prep_lookup()

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            kept = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
            if not kept and self.rhs:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)


def register():
    IntegerField.register_lookup(IntegerIn)
