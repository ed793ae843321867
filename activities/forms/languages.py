"""The texts of a staff form in four languages: the writer's language first, as the form's
own fields, then each other language in its own group, optional (see allas/translation.py)."""

from dataclasses import dataclass

from translated_fields import to_attribute

from allas.translation import LANGUAGE_CODES, LANGUAGE_NAMES


@dataclass
class LanguageGroup:
    """The fields of one other language: ``code``, its ``name`` and its bound ``fields``."""

    code: str
    name: str
    fields: list

    @property
    def has_errors(self):
        return any(field.errors for field in self.fields)


class WrittenInLanguages:
    """Mixin for the ModelForm of a ``Translatable`` whose ``Meta.fields`` list
    ``original_language`` and the columns of ``translated_names``.

    Call ``arrange_languages()`` at the end of ``__init__``; templates then show
    ``form.written.<name>`` (the text in the writing language) in place of the field and
    ``form.other_languages`` in a disclosure. The writing language is the record's original
    language as posted (when it is one of the site's), else as the form starts with it. What
    is required in it is the model's rule (``REQUIRED_IN_ORIGINAL``), reported by the model's
    validation on the right column; the form only marks those inputs as required.
    """

    translated_names: tuple[str, ...] = ()

    def arrange_languages(self):
        language = self["original_language"].value()
        if language not in LANGUAGE_NAMES:
            # A value no language has is refused next to the field; the page stays readable.
            language = self.instance.original_language
        self.writing_language = language
        required = set(self._meta.model.REQUIRED_IN_ORIGINAL)
        for name in self.translated_names:
            for code in LANGUAGE_CODES:
                # Spell checkers and screen readers use the language of each box.
                self.fields[to_attribute(name, code)].widget.attrs["lang"] = code
            if name in required:
                self.fields[to_attribute(name, language)].widget.attrs["required"] = True
        self.written = {name: self[to_attribute(name, language)] for name in self.translated_names}
        self.other_languages = [
            LanguageGroup(
                code,
                LANGUAGE_NAMES[code],
                [self[to_attribute(name, code)] for name in self.translated_names],
            )
            for code in LANGUAGE_CODES
            if code != language
        ]

    @property
    def other_languages_have_errors(self):
        return any(group.has_errors for group in self.other_languages)
