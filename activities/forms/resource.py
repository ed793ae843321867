"""The staff form of a resource of the knowledge hub."""

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.forms.languages import WrittenInLanguages
from activities.models import (
    Activity,
    Resource,
)
from allas.fields import KeyMultipleChoiceField
from allas.translation import columns, with_language_note
from partners.models import Partner, Theme

# A resource links to activities chosen from a select; it lists at most this many of the
# organisation's latest ones (plus those already linked), never the whole history.
RECENT_ACTIVITIES = 100


class ActivityChoiceField(KeyMultipleChoiceField):
    def label_from_instance(self, obj):
        # An option holds no markup: a title in another language says so in words.
        return f"{with_language_note(obj.title)} ({obj.starts_on:%Y-%m-%d})"


class ResourceForm(WrittenInLanguages, forms.ModelForm):
    """Add or edit a resource that one of the user's organisations published, its texts in
    the writer's language and, optionally, in the others."""

    translated_names = ("title", "description")

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
            "original_language",
            *columns("title"),
            "kind",
            *columns("description"),
            "file",
            "url",
            "language",
            "themes",
            "published_on",
        ]
        field_classes = {"themes": KeyMultipleChoiceField}  # refuses ids no theme can have
        widgets = {
            **{column: forms.Textarea(attrs={"rows": 4}) for column in columns("description")},
            "themes": forms.CheckboxSelectMultiple,
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "file": _("A PDF, an office document, an image, a video or a ZIP file."),
            "language": _("The language of the document or page itself."),
        }

    def __init__(self, *args, partners, activities, **kwargs):
        """``partners``: the user's organisations (asked for a new resource only);
        ``activities``: the activities the select offers."""
        super().__init__(*args, **kwargs)
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
        self.arrange_languages()

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
        names = [
            "original_language",
            *columns("title", "description"),
            "kind",
            "file",
            "url",
            "language",
            "published_on",
        ]
        return {name: getattr(self.instance, name) for name in names}
