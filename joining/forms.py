"""The public application form, and the applicant's answer to a coordinator's question."""

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from activities.forms.partner_lookup import PartnerLookupField
from joining import abuse, privacy
from joining.models import Application, Message, Proposal
from partners.models import Membership, Partner

# One wording for every length limit (the model's max_length), in place of Django's "Ensure
# this value has at most…".
TOO_LONG = _(
    "This is too long: at most %(limit_value)d characters, and it has %(show_value)d. Please "
    "shorten it."
)


class FreshTokenField(forms.CharField):
    """A hidden signed time of display (joining/abuse.py). Every display carries a new one,
    also when the form is shown again with errors: the time that counts is that of the page
    the person is looking at. The view reads the posted value."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def bound_data(self, data, initial):
        return initial


class ApplicationForm(forms.ModelForm):
    """Who the applicant is, what they propose and why, and the contact person.

    The rules of the model's constraints (an institution's type, a membership's network and
    role, a collaboration's title) are checked in ``clean()`` so the message sits next to its
    field; the fields a proposal does not use are emptied rather than refused (without
    JavaScript all of them are shown, and one may fill them before changing one's mind).
    """

    partner = PartnerLookupField(
        label=_("Is your organisation already in our directory?"),
        required=False,
        queryset=Partner.objects.public(),
        help_text=_(
            "If it is, type its name and pick it from the suggestions, so it is not listed "
            "twice. Leave this empty if it is not in the directory."
        ),
        widget=forms.TextInput(attrs={"list": "join-partner-suggestions", "autocomplete": "off"}),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    network = forms.ModelChoiceField(
        label=_("Network to join"),
        required=False,
        queryset=Partner.objects.public().networks(),
        help_text=_("For a membership."),
    )
    role = forms.ChoiceField(
        label=_("Role asked for"),
        required=False,
        choices=[("", "---------"), *Membership.Role.choices],
        help_text=_("For a membership."),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my contact details are used to "
            "handle this application."
        ),
        error_messages={
            "required": _("Please agree to the privacy notice: without it we cannot reply.")
        },
    )
    started = FreshTokenField()

    class Meta:
        model = Application
        fields = [
            "partner",
            "organisation_name",
            "kind",
            "institution_type",
            "official_name",
            "country",
            "locality",
            "website",
            "proposal",
            "network",
            "role",
            "proposal_title",
            "motivation",
            "contact_name",
            "contact_role",
            "contact_email",
        ]
        labels = {
            "organisation_name": _("Name of the organisation"),
            "kind": _("Your organisation is"),
            "official_name": _("Official name of the local government"),
            "proposal": _("What do you propose?"),
            "proposal_title": _("Title of the proposal"),
            "motivation": _("Why? What would you like to do together?"),
            "contact_name": _("Name"),
            "contact_role": _("Role in the organisation"),
            "contact_email": _("E-mail address"),
        }
        help_texts = {
            "institution_type": _("For an institution."),
            "official_name": _("For a city: the name of its local government, as it signs."),
            "proposal_title": _("For an agreement or a joint activity: what it would be called."),
            "motivation": _("In any language, at most 4,000 characters."),
            "contact_email": _(
                "We send a link to this address to confirm it; the application reaches the "
                "coordinators once it is followed."
            ),
        }
        widgets = {
            "organisation_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "kind": forms.RadioSelect,
            "proposal": forms.RadioSelect,
            "motivation": forms.Textarea(attrs={"rows": 8}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_role": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A field people do not see (the stylesheet moves it off-screen) and programs fill in;
        # the view reads it before anything else.
        self.fields[abuse.HONEYPOT] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields["started"].initial = abuse.form_started_token()
        # The notice in the page's language: shown beside the box, stored as shown.
        self.fields["consent"].help_text = privacy.notice()
        # Blank in the model only once erased; the form needs all three.
        for name in ("contact_name", "contact_role", "contact_email"):
            self.fields[name].required = True
        # Radio buttons without the empty choice a model field's choices bring.
        for name in ("kind", "proposal"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = TOO_LONG

    @property
    def honeypot(self):
        return self[abuse.HONEYPOT]

    def clean_contact_email(self):
        # The domain is case-insensitive; the local part may not be, so it is kept as typed.
        email = self.cleaned_data.get("contact_email", "")
        local, at, domain = email.rpartition("@")
        return f"{local}{at}{domain.lower()}" if at else email

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Partner.Kind.INSTITUTION:
            if not data.get("institution_type") and "institution_type" not in self.errors:
                self.add_error("institution_type", _("Choose the type of institution."))
        elif kind:
            data["institution_type"] = ""
        proposal = data.get("proposal")
        if proposal == Proposal.MEMBERSHIP:
            data["proposal_title"] = ""
            if not data.get("network") and "network" not in self.errors:
                self.add_error("network", _("Choose the network you would like to join."))
            if not data.get("role") and "role" not in self.errors:
                self.add_error("role", _("Choose the role you ask for."))
        elif proposal:
            data["network"], data["role"] = None, ""
            if not data.get("proposal_title") and "proposal_title" not in self.errors:
                self.add_error(
                    "proposal_title", _("Give the proposed agreement or activity a title.")
                )
        return data

    def application(self):
        """The unsaved application, with its language and the consent as given (for
        ``services.application_submit``)."""
        application = self.save(commit=False)
        application.language = translation.get_language()
        application.consent_version = privacy.VERSION
        application.consent_text = self.fields["consent"].help_text
        application.consent_given_at = timezone.now()
        return application


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=Message._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your answer first."), "max_length": TOO_LONG},
    )
