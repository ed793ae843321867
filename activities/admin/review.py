"""The review of what staff changed on public records: the queue of proposed changes, each
with its diff, and the decision (``activities.services``: change_approve, change_reject)."""

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from activities import review, services
from activities.models import ProposedChange
from allas.admin import OperationsAdmin
from allas.translation import columns


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve: the public page shows the change")),
            ("reject", _("Reject: the public page stays as it is")),
        ],
        widget=forms.RadioSelect(attrs={"form": "review-form"}),
    )
    note = forms.CharField(
        label=_("Note to the staff member"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "form": "review-form"}),
        help_text=_("Required when rejecting: the staff member reads it in the staff area."),
    )
    # A rejection without a note is refused by change_reject (the rule is the constraint
    # activities_proposedchange_rejection_has_note), with its message.


class PendingFirstStatusFilter(admin.SimpleListFilter):
    """Opens on what waits for review; every other state is one click away."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*ProposedChange.Status.choices, ("all", _("All"))]

    def choices(self, changelist):
        value = self.value() or ProposedChange.Status.PENDING
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or ProposedChange.Status.PENDING
        if value == "all":
            return queryset
        if value not in ProposedChange.Status.values:
            return queryset.none()
        return queryset.filter(status=value)


@admin.register(ProposedChange)
class ProposedChangeAdmin(OperationsAdmin):
    """The review queue: each change with its diff against the live record; the decision is
    a small form on the change page. Changes are made by staff, so none are added or deleted
    here."""

    list_display = ["__str__", "record_kind", "proposed_by", "proposed_at", "status"]
    list_filter = [PendingFirstStatusFilter]
    list_select_related = ["activity", "resource", "proposed_by"]
    search_fields = [
        *(f"activity__{column}" for column in columns("title")),
        *(f"resource__{column}" for column in columns("title")),
        "proposed_by__username",
    ]
    ordering = ["proposed_at", "pk"]
    fields = [
        "record_link",
        "status",
        "proposed_by",
        "proposed_at",
        "changes",
        "proposed_file",
        "decided_by",
        "decided_at",
        "note",
    ]
    readonly_fields = fields
    change_form_template = "admin/activities/proposedchange/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).for_review()

    @admin.display(description=_("kind"))
    def record_kind(self, change):
        return change.record._meta.verbose_name

    @admin.display(description=_("record"))
    def record_link(self, change):
        record = change.record
        url = reverse(
            f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk]
        )
        return format_html('<a href="{}">{}</a>', url, record)

    @admin.display(description=_("changes (live version → proposed)"))
    def changes(self, change):
        # A decided change shows what it proposed against the version it was proposed on.
        rows = review.diff(change, before=None if change.is_pending else change.base)
        if not rows:
            return gettext("Nothing differs from the live version any more.")
        return format_html(
            '<table class="review-diff"><thead><tr><th scope="col">{}</th><th scope="col">{}'
            '</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            gettext("Field"),
            gettext("Live version") if change.is_pending else gettext("Before"),
            gettext("Proposed"),
            format_html_join(
                "",
                '<tr><th scope="row">{}</th><td><del>{}</del></td><td><ins>{}</ins></td></tr>',
                rows,
            ),
        )

    @admin.display(description=_("proposed file"))
    def proposed_file(self, change):
        if not change.file:
            return "—"
        return format_html('<a href="{}">{}</a>', change.file.url, change.file.name)

    def get_urls(self):
        review_url = path(
            "<path:object_id>/review/",
            self.admin_site.admin_view(self.review_view),
            name="activities_proposedchange_review",
        )
        return [review_url, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = self.get_object(request, object_id)
        pending = change is not None and change.is_pending
        context = {
            **(extra_context or {}),
            "review_form": ReviewForm()
            if pending and self.has_change_permission(request)
            else None,
        }
        return super().change_view(request, object_id, form_url, extra_context=context)

    @method_decorator(require_POST)
    def review_view(self, request, object_id):
        """Approve or reject (POST only); problems come back as messages on the change page."""
        change = self.get_object(request, object_id)
        if change is None or not self.has_change_permission(request, change):
            raise Http404(gettext("No such change."))
        back = reverse("admin:activities_proposedchange_change", args=[change.pk])
        form = ReviewForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(back)
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["decision"] == "approve":
                services.change_approve(change=change, by=request.user, note=note)
                text = gettext("The change to “%(record)s” is approved and public.")
            else:
                services.change_reject(change=change, by=request.user, note=note)
                text = gettext("The change to “%(record)s” was not accepted; the note was kept.")
        except services.ReviewError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(back)
        self.message_user(request, text % {"record": change.record}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:activities_proposedchange_changelist"))
