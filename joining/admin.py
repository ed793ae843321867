"""The coordinators' side of applications to join: the review queue (oldest confirmed first),
each application with what is known of its organisation, and the decisions as small forms
(accept, decline, ask the applicant, erase their personal data) that call joining/services.py.

Applications come only from the public form and change only through the services: nothing is
added or deleted here, the applicant's facts are read-only (a coordinator links the partner
record and writes the internal note), and the history cannot revert a version (that would
undo a decision without undoing what it created). The contact person appears on the change
page and in the export, for coordinators; never in the history, which does not store it.
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, Subquery
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export import fields, widgets
from import_export.admin import ExportMixin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from allas.admin import OperationsAdmin
from allas.import_forms import CSV, XLSX
from joining import services
from joining.admin_forms import AcceptForm, AskForm, DeclineForm
from joining.models import PERSONAL_FIELDS, Application, Message
from partners.imports import BaseResource, CountryWidget
from partners.models import Partner

# How many possible duplicates the change page and the accept form offer (the most alike
# come first; a coordinator who needs another links it with the partner field).
DUPLICATES_SHOWN = 10


def duplicate_count():
    """The number of partners ``ApplicationQuerySet.possible_duplicates_of`` finds, as a
    subquery of the application list: one query for the page, whatever its length."""
    matches = (
        Partner.objects.possibly_named_as(
            OuterRef("organisation_name"), country=OuterRef("country")
        )
        .order_by()
        .values("country")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(matches)


def admin_link(record):
    opts = record._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    return format_html('<a href="{}">{}</a>', url, record)


class ApplicationResource(BaseResource):
    """The coordinators' export: every fact of the application, the contact person included
    (erased ones are empty). Never offered anywhere public."""

    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    partner = fields.Field(
        attribute="partner", column_name="partner", widget=widgets.ForeignKeyWidget(Partner, "slug")
    )
    network = fields.Field(
        attribute="network", column_name="network", widget=widgets.ForeignKeyWidget(Partner, "slug")
    )

    class Meta:
        model = Application
        fields = [
            "reference",
            "status",
            "language",
            "organisation_name",
            "kind",
            "institution_type",
            "official_name",
            "country",
            "locality",
            "website",
            "partner",
            "proposal",
            "network",
            "role",
            "proposal_title",
            "motivation",
            *PERSONAL_FIELDS,
            "consent_version",
            "consent_given_at",
            "submitted_at",
            "confirmed_at",
            "closed_at",
            "decline_reason",
            "personal_data_erased_at",
        ]
        export_order = fields


# The statuses of the list filter beyond the model's own.
AWAITING, ALL = "awaiting", "all"


class StatusFilter(admin.SimpleListFilter):
    """The list opens on the queue: applications awaiting review (received or under review).
    A search looks in every status unless one is chosen, so a coordinator finds an applicant
    who asks for their data whatever became of the application."""

    title = _("status")
    parameter_name = "status"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.default = ALL if request.GET.get(SEARCH_VAR) else AWAITING

    def lookups(self, request, model_admin):
        return [(AWAITING, _("Awaiting review")), *Application.Status.choices, (ALL, _("All"))]

    def chosen(self):
        return self.value() or self.default

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.chosen() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.chosen()
        if value == AWAITING:
            return queryset.awaiting_review()
        if value == ALL:
            return queryset
        if value not in Application.Status.values:
            raise IncorrectLookupParameters(f"{value[:20]!r} is not a status.")
        return queryset.filter(status=value)


class MessageInline(admin.TabularInline):
    """The questions asked and the answers received, in order; written only by the ask view
    and the applicant's page."""

    model = Message
    fields = ["sent_at", "direction", "text", "sent_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("question or answer")
    verbose_name_plural = _("questions and answers")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application", "sent_by")

    @admin.display(description=_("text"))
    def text(self, message):
        if not message.body:
            return gettext("(erased with the applicant's personal data)")
        return paragraphs(message.body)


@admin.register(Application)
class ApplicationAdmin(ExportMixin, OperationsAdmin):
    """The review queue and each application's page. The decisions are buttons on the page
    leading to their forms (``accept``, ``decline``, ``ask``, ``erase`` below)."""

    resource_classes = [ApplicationResource]
    formats = [CSV, XLSX]
    # What is known of the organisation comes beside its name: the column a coordinator
    # acts on first (link the existing record, or accept as new).
    list_display = [
        "reference",
        "organisation_name",
        "duplicates",
        "status",
        "confirmed_at",
        "proposal",
        "country",
        "kind",
    ]
    list_display_links = ["reference", "organisation_name"]
    list_filter = [StatusFilter, "proposal", "kind", "language"]
    list_select_related = ["partner"]
    search_fields = ["reference", "organisation_name", "contact_email"]
    search_help_text = _(
        "Reference, organisation or the contact's e-mail address; searches every status "
        "unless one is chosen."
    )
    # Oldest confirmed first: the queue in the order applicants have waited.
    ordering = [F("confirmed_at").asc(nulls_last=True), "submitted_at", "pk"]
    autocomplete_fields = ["partner"]
    inlines = [MessageInline]
    change_form_template = "admin/joining/application/change_form.html"
    view_on_site = False  # the application's address is this very page
    fieldsets = [
        (None, {"fields": ["reference", "status", "language", "submitted_at", "confirmed_at"]}),
        (
            _("The organisation, as the applicant describes it"),
            {
                "fields": [
                    "organisation_name",
                    "kind",
                    "institution_type",
                    "official_name",
                    "country",
                    "locality",
                    "website",
                ]
            },
        ),
        (_("What is known of the organisation"), {"fields": ["known", "partner"]}),
        (
            _("The proposal"),
            {"fields": ["proposal", "network", "role", "proposal_title", "motivation"]},
        ),
        (
            _("Contact person"),
            {
                "fields": ["contact"],
                "description": _(
                    "Personal data: shown only here and in the coordinators' export, never in "
                    "the history; erased after the retention period or on request."
                ),
            },
        ),
        (
            _("Consent"),
            {"fields": ["consent_version", "consent_given_at", "consent"]},
        ),
        (
            _("Decision"),
            {
                "fields": [
                    "decided_by",
                    "closed_at",
                    "decline_reason",
                    "membership",
                    "agreement",
                    "activity",
                ]
            },
        ),
        (_("Internal"), {"fields": ["note"]}),
    ]

    class Media:
        css = {"all": ["joining/admin.css"]}

    def has_add_permission(self, request):
        return False  # applications come from the public form

    def has_delete_permission(self, request, obj=None):
        return False  # nothing is deleted: personal data is erased instead

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def revert_disabled(self, request, obj=None):
        return True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("partner", "network", "decided_by")
            .annotate(duplicate_count=duplicate_count())
        )

    def get_readonly_fields(self, request, obj=None):
        editable = {"note"}
        if obj is not None and obj.is_open:
            editable.add("partner")  # a decided application keeps the record it was given
        names = [name for _title, options in self.fieldsets for name in options["fields"]]
        return [name for name in names if name not in editable]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if is_historical(obj):
            # A version from the history is built with today's contact data, which the
            # history itself does not keep: it is not shown as if it were.
            fieldsets = [
                (name, options) for name, options in fieldsets if "contact" not in options["fields"]
            ]
        return fieldsets

    # --- Columns and read-only fields ----------------------------------------------------

    @admin.display(description=_("known partners"))
    def duplicates(self, application):
        if application.partner_id is not None:
            return format_html(
                '<span class="linked-partner">{}</span>',
                gettext("linked: %(partner)s") % {"partner": application.partner.name},
            )
        count = application.duplicate_count or 0
        if not count:
            return gettext("no match")
        return format_html(
            '<strong class="possible-duplicate">{}</strong>',
            ngettext("%(count)s possible duplicate", "%(count)s possible duplicates", count)
            % {"count": count},
        )

    @admin.display(description=_("partners of that name"))
    def known(self, application):
        if application.partner_id is not None:
            partner = application.partner
            return format_html(
                "{} {} · {}",
                admin_link(partner),
                gettext("(linked)"),
                gettext("public") if partner.is_public else gettext("not public"),
            )
        duplicates = candidate_partners(application)  # no partner linked: the duplicates
        if not duplicates:
            return gettext(
                "No partner of this country has a similar name: accepting creates a new "
                "partner record (not public)."
            )
        flag = gettext("possible duplicate")
        rows = format_html_join(
            "",
            '<li>{} · {} · {} <strong class="possible-duplicate">{}</strong></li>',
            (
                (
                    admin_link(partner),
                    partner.get_kind_display(),
                    gettext("public") if partner.is_public else gettext("not public"),
                    flag,
                )
                for partner in duplicates
            ),
        )
        return format_html(
            '<ul class="possible-duplicates">{}</ul><p class="help">{}</p>',
            rows,
            gettext(
                "If the applicant is one of them, link it in the field below before accepting, "
                "so the directory gets no second record of it."
            ),
        )

    @admin.display(description=_("contact person"))
    def contact(self, application):
        if is_historical(application):
            return gettext("Not kept in the history.")
        if application.personal_data_erased:
            return gettext("Erased on %(date)s") % {
                "date": date_format(
                    timezone.localtime(application.personal_data_erased_at), "DATETIME_FORMAT"
                )
            }
        return format_html(
            '{}<br>{}<br><a href="mailto:{}">{}</a>',
            application.contact_name,
            application.contact_role,
            application.contact_email,
            application.contact_email,
        )

    @admin.display(description=_("privacy notice as shown"))
    def consent(self, application):
        return paragraphs(application.consent_text)

    # --- Saving the page: the partner link and the note ----------------------------------

    def save_model(self, request, obj, form, change):
        """Only the note and the partner link are on the form; the rest of the record is
        left as the services wrote it (a save of the whole row could undo a decision taken
        meanwhile). Working on a received application puts it under review."""
        try:
            if "partner" in form.changed_data:
                services.application_link_partner(
                    application=obj, partner=obj.partner, by=request.user
                )
            if obj.status == Application.Status.RECEIVED:
                services.application_start_review(application=obj, by=request.user)
        except services.ApplicationError as error:
            self.message_user(request, str(error), messages.ERROR)
        if "note" in form.changed_data:
            # The history copies the whole record: the note with what the services wrote.
            note = obj.note
            obj.refresh_from_db()
            obj.note = note
            obj._history_user = request.user
            obj.save(update_fields=["note"])

    # --- The decisions ---------------------------------------------------------------------

    def get_urls(self):
        views = [
            ("start_review", self.start_review_view),
            ("accept", self.accept_view),
            ("decline", self.decline_view),
            ("ask", self.ask_view),
            ("erase", self.erase_view),
        ]
        return [
            *(
                path(
                    f"<path:object_id>/{suffix}/",
                    self.admin_site.admin_view(view),
                    name=f"joining_application_{suffix}",
                )
                for suffix, view in views
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, unquote(object_id))
        context = {**(extra_context or {})}
        if application is not None and self.has_change_permission(request, application):
            context["decisions"] = decision_links(application)
        return super().change_view(request, object_id, form_url, extra_context=context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting would rewrite a decision without undoing what it created.
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _application(self, request, object_id, *, open_only=True):
        """The application a decision view acts on; None (with a message) when it is decided
        already and the view is only for open ones."""
        application = self.get_object(request, unquote(object_id))
        if application is None:
            raise Http404(gettext("No such application."))
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        if open_only and not application.is_open:
            self.message_user(
                request,
                gettext("This application is “%(status)s”: there is nothing more to decide.")
                % {"status": application.get_status_display()},
                messages.WARNING,
            )
            return None
        return application

    def _change_url(self, object_id):
        return reverse("admin:joining_application_change", args=[object_id])

    def _render(self, request, application, *, title, form, submit, status=200, **context):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": str(application),
            "opts": self.opts,
            "original": application,
            "form": form,
            "submit": submit,
            "media": self.media + form.media if form is not None else self.media,
            "change_url": self._change_url(application.pk),
            **context,
        }
        return TemplateResponse(
            request, "admin/joining/application/decision.html", context, status=status
        )

    @method_decorator(require_POST)
    def start_review_view(self, request, object_id):
        application = self._application(request, object_id)
        if application is not None:
            services.application_start_review(application=application, by=request.user)
            self.message_user(
                request,
                gettext("The application is under review; the applicant's page says so."),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self._change_url(object_id))

    def accept_view(self, request, object_id):
        application = self._application(request, object_id)
        if application is None:
            return HttpResponseRedirect(self._change_url(object_id))
        candidates = candidate_partners(application)
        form_kwargs = {
            "application": application,
            "candidates": candidates,
            "admin_site": self.admin_site,
        }
        status = 200
        if request.method == "POST":
            form = AcceptForm(request.POST, **form_kwargs)
            if form.is_valid():
                try:
                    accepted = services.application_accept(
                        application=application, by=request.user, decision=form.acceptance()
                    )
                except services.ApplicationError as error:
                    form.add_error(None, str(error))
                else:
                    self._accepted_messages(request, accepted)
                    self.log_change(request, accepted, gettext("Accepted."))
                    return HttpResponseRedirect(self._change_url(accepted.pk))
            status = 400
        else:
            form = AcceptForm(**form_kwargs)
        return self._render(
            request,
            application,
            title=gettext("Accept the application"),
            form=form,
            submit=gettext("Accept"),
            status=status,
            intro=gettext(
                "Accepting links or creates the partner record and records what was "
                "proposed, all at once; the applicant is told by e-mail in their language."
            ),
            candidates=candidates,
        )

    def _accepted_messages(self, request, application):
        records = [
            (gettext("partner"), application.partner),
            (gettext("membership"), application.membership),
            (gettext("agreement"), application.agreement),
            (gettext("activity draft"), application.activity),
        ]
        self.message_user(
            request,
            format_html(
                "{} {}",
                gettext("The application is accepted:"),
                format_html_join(
                    " · ", "{} {}", ((kind, admin_link(r)) for kind, r in records if r)
                ),
            ),
            messages.SUCCESS,
        )
        if not application.partner.is_public:
            self.message_user(
                request,
                format_html(
                    "{} {}",
                    admin_link(application.partner),
                    gettext(
                        "is not public yet: tick “public” on its page once its record is ready "
                        "for the directory."
                    ),
                ),
                messages.WARNING,
            )

    def decline_view(self, request, object_id):
        return self._decision_view(
            request,
            object_id,
            form_class=DeclineForm,
            act=lambda application, data: services.application_decline(
                application=application, by=request.user, reason=data["reason"]
            ),
            done=gettext("The application is declined; the applicant is told by e-mail."),
            logged=gettext("Declined."),
            title=gettext("Decline the application"),
            submit=gettext("Decline"),
        )

    def ask_view(self, request, object_id):
        return self._decision_view(
            request,
            object_id,
            form_class=AskForm,
            act=lambda application, data: services.application_ask(
                application=application, by=request.user, question=data["question"]
            ),
            done=gettext("The question is sent to the applicant."),
            logged=gettext("Question sent."),
            title=gettext("Ask the applicant"),
            submit=gettext("Send the question"),
        )

    def _decision_view(self, request, object_id, *, form_class, act, done, logged, **page):
        """A decision of one text (decline with a reason, ask a question): the form, then the
        service, its refusal shown on the form."""
        application = self._application(request, object_id)
        if application is None:
            return HttpResponseRedirect(self._change_url(object_id))
        form = form_class(request.POST or None)
        if request.method != "POST":
            return self._render(request, application, form=form, **page)
        if form.is_valid():
            try:
                act(application, form.cleaned_data)
            except services.ApplicationError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, done, messages.SUCCESS)
                self.log_change(request, application, logged)
                return HttpResponseRedirect(self._change_url(application.pk))
        return self._render(request, application, form=form, status=400, **page)

    def erase_view(self, request, object_id):
        application = self._application(request, object_id, open_only=False)
        if application.personal_data_erased:
            self.message_user(
                request,
                gettext("The applicant's personal data is erased already."),
                messages.INFO,
            )
            return HttpResponseRedirect(self._change_url(application.pk))
        if request.method == "POST":
            services.application_erase_personal_data(application=application, by=request.user)
            self.message_user(
                request,
                gettext(
                    "The contact person's name, role and e-mail address and the applicant's "
                    "answers are erased, and taken out of the other texts of the application."
                ),
                messages.SUCCESS,
            )
            self.log_change(request, application, gettext("Personal data erased."))
            return HttpResponseRedirect(self._change_url(application.pk))
        return self._render(
            request,
            application,
            title=gettext("Erase the applicant's personal data"),
            form=None,
            submit=gettext("Erase for good"),
            danger=True,
            intro=gettext(
                "The contact person's name, role and e-mail address and the applicant's "
                "answers are blanked for good, and the name and address are taken out of the "
                "motivation, the note and the questions; what the organisation is and "
                "proposed stays. "
                "If the application is still open, nobody can be written to about it any more."
            ),
        )


def paragraphs(text):
    """Text typed by a person, escaped, its line breaks kept."""
    return mark_safe(linebreaks(text, autoescape=True))  # noqa: S308 - escaped just above


def is_historical(obj):
    """Whether ``obj`` is a version rebuilt from the history (simple-history marks it so)."""
    return obj is not None and hasattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME)


def candidate_partners(application):
    """The records the accept form offers: the linked partner, or the possible duplicates."""
    if application.partner_id is not None:
        return [application.partner]
    return list(
        Application.objects.possible_duplicates_of(application).order_by("name", "pk")[
            :DUPLICATES_SHOWN
        ]
    )


def decision_links(application):
    """(label, url, POST?, css class) of the buttons on the change page."""

    def button(label, view, css="", post=False):
        url = reverse(f"admin:joining_application_{view}", args=[application.pk])
        return (label, url, post, css)

    erased = application.personal_data_erased
    buttons = []
    if application.status == Application.Status.RECEIVED:
        buttons.append(button(gettext("Start review"), "start_review", post=True))
    if application.is_open:
        buttons.append(button(gettext("Accept…"), "accept", "default"))
        buttons.append(button(gettext("Decline…"), "decline"))
        if not erased:
            buttons.append(button(gettext("Ask the applicant…"), "ask"))
    if not erased:
        buttons.append(button(gettext("Erase personal data…"), "erase", "danger"))
    return buttons
