"""Choice labels (``get_FOO_display()``) looked up once per field and language.

Django's own ``get_FOO_display()`` builds a dict of all the field's choices on every call and
hashes each lazily translated label, which translates it: slow on a page that shows the role of
every participating partner. Models with the ``ChoiceLabels`` mixin get their own
``get_FOO_display()`` instead, one per field with choices, which answers from a dict made once
per field and language (translations do not change while the process runs).

Why this way, with public API only:

- Django documents that a model may define ``get_FOO_display()`` itself:
  ``define_display_methods()`` defines it for each field with choices, as one would write it in
  the class body. It runs from
  ``AllasConfig.ready()``, once all models are loaded, because only then does the public
  ``Model._meta.get_fields()`` answer. It reads only documented field attributes (``choices``,
  ``flatchoices``, ``attname``, ``name``).
- A method written in a model's own body is left alone, as Django leaves it (the mixin records
  the names of each class body when the class is created).
- Translating labels in the templates instead would change every template and every caller
  (feeds, e-mails, admin), for the same result.
"""

import functools

from django.utils.encoding import force_str
from django.utils.translation import get_language, override

# For each model with the mixin, the names its own class body defines.
_written_in_body = {}


@functools.cache
def choice_labels(field, language):
    with override(language):
        return {value: str(label) for value, label in field.flatchoices}


class ChoiceLabels:
    """Model mixin: ``get_FOO_display()`` with the same answers as Django's, faster (see
    ``define_display_methods``)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # At this point the class holds its body's attributes (fields are added later).
        _written_in_body[cls] = frozenset(vars(cls))


def display_method(field):
    def get_display(self):
        value = getattr(self, field.attname)
        try:
            return choice_labels(field, get_language())[value]
        except (KeyError, TypeError):  # not one of the choices: the value itself, as Django
            return force_str(value, strings_only=True)

    get_display.__name__ = get_display.__qualname__ = f"get_{field.name}_display"
    get_display.__doc__ = f"The label of {field.name}'s value in the active language."
    return get_display


def define_display_methods(models):
    """Give each model of ``models`` that has the mixin its ``get_FOO_display()`` methods."""
    for model in models:
        if not issubclass(model, ChoiceLabels):
            continue
        written = _written_in_body.get(model, frozenset())
        for field in model._meta.get_fields(include_parents=False):
            if not field.concrete or not getattr(field, "choices", None):
                continue
            name = f"get_{field.name}_display"
            if name not in written:
                setattr(model, name, display_method(field))
