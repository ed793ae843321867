"""The coordinators' forms for deciding an application (joining/admin.py): accept, decline,
ask the applicant a question, erase their personal data. Each only gathers what the service
needs (joining/services.py); the rules are the service's and come back as its messages."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from allas.fields import KeyAutocompleteSelect, KeyChoiceField
from joining import services
from joining.models import Application, Proposal
from partners.models import Agreement, Membership, Partner

# The slug of the network every application joins unless the coordinator says otherwise.
NETWORK_SLUG = "al-las"
# The choice of a new partner record among the candidates of the accept form.
NEW_PARTNER = "new"
# Fields of the accept form by proposal; the others are left out of the form.
PROPOSAL_FIELDS = {
    Proposal.MEMBERSHIP: ["network", "role", "joined_on"],
    Proposal.AGREEMENT: ["agreement_kind", "counterpart"],
    Proposal.ACTIVITY: ["activity_kind", "starts_on"],
}


# The language a local government's official name is most likely written in, by country; the
# coordinator confirms it on acceptance (an applicant writing on the Portuguese pages may give
# a Spanish official name).
OFFICIAL_LANGUAGE_OF = {
    country: language
    for language, countries in [
        ("es", "AR BO CL CO CR CU DO EC ES GQ GT HN MX NI PA PE PR PY SV UY VE"),
        ("pt", "AO BR CV GW MZ PT ST TL"),
        ("fr", "BF BJ CI FR GA HT MC ML NE SN TG"),
        ("en", "AU GB IE NZ US"),
    ]
    for country in countries.split()
}


def network_of_the_alliance():
    """The AL-LAs network, if it is in the directory. One query."""
    return Partner.objects.filter(slug=NETWORK_SLUG, kind=Partner.Kind.NETWORK).first()


def partner_label(partner):
    """How a candidate record reads in the choice: enough to tell two homonyms apart."""
    where = ", ".join(str(part) for part in [partner.locality, partner.country.name] if part)
    public = _("public") if partner.is_public else _("not public")
    return f"{partner.name} · {partner.get_kind_display()} · {where} · {public}"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class AcceptForm(forms.Form):
    """What the coordinator decides on acceptance (``services.Acceptance``).

    The partner record is chosen among ``candidates``: the partner the application is linked
    to (then the only choice: the service uses the link), or the possible duplicates and a new
    record. When there are possible duplicates nothing is preselected, so a coordinator looks
    before creating a second record of the same organisation. Another existing partner is
    linked first with the application's "partner record" field.
    """

    partner = forms.ChoiceField(label=_("Partner record"), widget=forms.RadioSelect)
    official_name_language = forms.ChoiceField(
        label=_("Language of the official name"),
        choices=settings.LANGUAGES,
        help_text=_(
            "For a new record: the official name the applicant gave is written in this "
            "language (the directory shows it to visitors reading that language)."
        ),
    )
    network = KeyChoiceField(
        label=_("Network joined"),
        queryset=Partner.objects.filter(kind=Partner.Kind.NETWORK).order_by("name"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    joined_on = forms.DateField(
        label=_("Member from"),
        widget=DateInput(),
        help_text=_("The first day of the membership."),
    )
    agreement_kind = forms.ChoiceField(label=_("Kind of agreement"), choices=Agreement.Kind.choices)
    counterpart = KeyChoiceField(
        label=_("Other party"),
        queryset=Partner.objects.all(),
        help_text=_(
            "The agreement is created in “proposed” with both parties as signatories; "
            "it moves on from its own page."
        ),
    )
    activity_kind = forms.ChoiceField(label=_("Kind of activity"), choices=Activity.Kind.choices)
    starts_on = forms.DateField(
        label=_("Starts on"),
        widget=DateInput(),
        help_text=_("Provisional: the activity is created as a draft, to complete later."),
    )

    def __init__(self, *args, application, candidates, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.candidates = {str(partner.pk): partner for partner in candidates}
        choices = [(key, partner_label(partner)) for key, partner in self.candidates.items()]
        if application.partner_id is None:
            choices.append((NEW_PARTNER, _("Create a new partner record (not public)")))
        self.fields["partner"].choices = choices
        if application.partner_id is None and application.official_name:
            self.fields["official_name_language"].initial = OFFICIAL_LANGUAGE_OF.get(
                application.country.code, application.language
            )
        else:
            del self.fields["official_name_language"]
        if application.partner_id is not None:
            self.fields["partner"].initial = str(application.partner_id)
        elif not self.candidates:
            self.fields["partner"].initial = NEW_PARTNER

        wanted = PROPOSAL_FIELDS[application.proposal]
        for name in [name for fields in PROPOSAL_FIELDS.values() for name in fields]:
            if name not in wanted:
                del self.fields[name]
        alliance = None
        if application.proposal in (Proposal.MEMBERSHIP, Proposal.AGREEMENT):
            alliance = network_of_the_alliance()
        if "network" in self.fields:
            self.fields["network"].initial = application.network or alliance
            self.fields["role"].initial = application.role or Membership.Role.PARTNER
            self.fields["joined_on"].initial = timezone.localdate()
        if "counterpart" in self.fields:
            # Any partner may be the other party: an autocomplete (the one of the
            # application's partner field), not a list of them all.
            counterpart = self.fields["counterpart"]
            counterpart.widget = KeyAutocompleteSelect(
                Application._meta.get_field("partner"), admin_site
            )
            counterpart.widget.choices = counterpart.choices
            counterpart.initial = alliance
        if "agreement_kind" in self.fields:
            self.fields["agreement_kind"].initial = Agreement.Kind.MOU

    def clean_partner(self):
        choice = self.cleaned_data["partner"]
        return None if choice == NEW_PARTNER else self.candidates[choice]

    def acceptance(self):
        """The decision for ``services.application_accept``."""
        data = self.cleaned_data
        fields = {
            "partner": data["partner"],
            "official_name_language": data.get("official_name_language", ""),
        }
        for name in PROPOSAL_FIELDS[self.application.proposal]:
            fields[name] = data[name]
        return services.Acceptance(**fields)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The applicant reads it in the e-mail telling the decision and on the page of "
            "their application: write it for them, in their language if you can."
        ),
    )


class AskForm(forms.Form):
    question = forms.CharField(
        label=_("Question"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Sent by e-mail with the link to the application's page, where the applicant "
            "answers. The answer appears on this application."
        ),
    )
