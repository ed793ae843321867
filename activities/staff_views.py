"""The staff area: partner organisations log and keep their own trainings and activities, and
the resources they published.

Every view goes through ``activities.permissions``: a record outside the user's organisations
answers 404 whether it exists or not.

One module (about 400 lines) because the area is one small set of pages that share their
helpers: two lists, two forms and the partner search; the forms are in ``activities/forms/``
and every write in ``activities/services/``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import ListView

from activities import review
from activities.forms import (
    RECENT_ACTIVITIES,
    ActivityForm,
    ParticipationFormSet,
    ResourceForm,
    datalist_partner_label,
    partner_suggestions,
    partners_choosable,
)
from activities.models import Activity, Participation, Resource
from activities.permissions import (
    activities_for,
    get_activity_or_404,
    get_resource_or_404,
    may_change_activity,
    resources_for,
)
from activities.services import (
    ActivityError,
    ParticipationRow,
    ResourceError,
    activity_log,
    activity_update,
    resource_save,
)
from allas.translation import active_language, columns
from partners.models import Partner


class ActivityListView(LoginRequiredMixin, ListView):
    """“Our trainings and activities”: the records of the user's organisations, with totals
    per year. Queries: a fixed number whatever the number of records (prevents N+1)."""

    template_name = "staff/activity_list.html"
    context_object_name = "activities"
    paginate_by = 50

    def get_queryset(self):
        return (
            activities_for(self.request.user)
            .with_review_state()
            .flag_organised_by(self.request.user)
            .select_related("venue_partner")
            .with_participants()
            .order_by("-starts_on", "slug")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partners"] = list(Partner.objects.kept_by(self.request.user))
        context["totals"] = activities_for(self.request.user).yearly_training_totals()
        return context


@login_required
def training_create(request):
    return _activity_form(request)


@login_required
def activity_edit(request, pk):
    activity = get_activity_or_404(request.user, pk)
    if not may_change_activity(request.user, activity):
        # Their organisation took part; the organisers (or a coordinator) keep the record.
        organisers = [
            p.partner
            for p in activity.participations.select_related("partner")
            if p.role in Participation.ORGANISING_ROLES
        ]
        return render(
            request,
            "staff/activity_not_yours.html",
            {"activity": activity, "organisers": organisers},
            status=403,
        )
    return _activity_form(request, activity=activity)


@login_required
def activity_duplicate(request, pk):
    """A new record prefilled from an earlier one (a recurring session); dates left blank."""
    return _activity_form(request, source=get_activity_or_404(request.user, pk))


def _activity_form(request, *, activity=None, source=None):
    partners = list(Partner.objects.kept_by(request.user))
    if not partners:
        return render(request, "staff/no_partner.html", status=403)
    creating = activity is None
    record = activity or source
    on_record = []
    if record is not None:
        on_record = list(record.participations.select_related("partner"))
    # What the record already names stays choosable, public or not, so it saves unchanged.
    already_named = [p.partner for p in on_record]
    if record is not None and record.venue_partner_id:
        already_named.append(record.venue_partner)
    choosable = partners_choosable(extra=partners + already_named)
    own_ids = {p.pk for p in partners}

    initial, rows_initial = {}, []
    change = activity.proposed_changes.newest() if activity is not None else None
    if change is not None and change.is_pending:
        # The staff member goes on with what they proposed, not the live version.
        initial, rows_initial = _proposal_initial(change)
    elif activity is not None:
        rows_initial = [_row_initial(p) for p in on_record]
    elif source is not None:
        mine = next((p for p in on_record if p.partner_id in own_ids), None)
        # Every language's texts and the language they were written in, as on the source.
        initial = {
            name: getattr(source, name)
            for name in ["original_language", *columns("title", "venue_name")]
        }
        initial |= {
            "hours": source.hours,
            "format": source.format,
            "trainers": source.trainers,
            "themes": list(source.themes.all()),
            "venue_type": source.venue_type,
            "venue_partner": source.venue_partner.slug if source.venue_partner_id else "",
            "venue_country": source.venue_country,
            "notes": source.notes,
            "organiser": mine.partner_id if mine else partners[0].pk,
            "organiser_attendees": mine.attendees if mine else 0,
        }
        rows_initial = [_row_initial(p) for p in on_record if p is not mine]

    form_kwargs = {"partners": partners, "creating": creating, "choosable": choosable}
    row_kwargs = {"choosable": choosable}
    # A new record is written in the staff member's language unless they choose another.
    instance = activity or Activity(
        kind=source.kind if source else Activity.Kind.TRAINING,
        original_language=source.original_language if source else active_language(),
    )
    refused_rows = []  # what the service refused about the partner rows as a whole
    if request.method == "POST":
        form = ActivityForm(request.POST, instance=instance, **form_kwargs)
        formset = ParticipationFormSet(
            request.POST, prefix="rows", initial=rows_initial, form_kwargs=row_kwargs
        )
        form_valid = form.is_valid()
        if creating:
            formset.organiser = form.cleaned_data.get("organiser")
        else:
            formset.own_partners = partners
        if form_valid and formset.is_valid():
            saved, refused_rows = _save(request, form, formset, activity)
            if saved is not None:
                return redirect("staff:activity-list")
        messages.error(request, _("The record was not saved: correct the marked fields."))
    else:
        form = ActivityForm(instance=instance, initial=initial, **form_kwargs)
        formset = ParticipationFormSet(prefix="rows", initial=rows_initial, form_kwargs=row_kwargs)

    return render(
        request,
        "staff/activity_form.html",
        {
            "form": form,
            "formset": formset,
            "rows_errors": [*formset.non_form_errors(), *refused_rows],
            "activity": activity,
            "change": change,
            "source": source,
            "creating": creating,
            "partners": partners,
            **_suggestions(partners),
            "can_submit": activity is None
            or activity.status in (Activity.Status.DRAFT, Activity.Status.SUBMITTED),
        },
    )


def _proposal_initial(change):
    """The form's initial values and partner rows from a pending proposal (a query each for
    its partners and themes)."""
    proposed = change.proposed
    ids = {row[0] for row in proposed["participations"]}
    if proposed["fields"].get("venue_partner"):
        ids.add(proposed["fields"]["venue_partner"])
    partners = Partner.objects.in_bulk(ids)
    initial = {
        name: review.field_value(Activity, name, value)
        for name, value in proposed["fields"].items()
        if name != "venue_partner"
    }
    venue = partners.get(proposed["fields"].get("venue_partner"))
    initial["venue_partner"] = venue.slug if venue else ""
    initial["themes"] = list(proposed["themes"])
    rows = [
        {"partner": partners[pk].slug, "role": role, "attendees": attendees}
        for pk, role, attendees in proposed["participations"]
        if pk in partners
    ]
    return initial, rows


def _row_initial(participation):
    # The slug, not the name: names can be shared (Córdoba, Valencia), slugs cannot.
    return {
        "partner": participation.partner.slug,
        "role": participation.role,
        "attendees": participation.attendees,
    }


def _suggestions(partners):
    """The datalists' options, computed once per page."""
    lists = partner_suggestions(partners)
    return {
        f"{name}_suggestions": [
            {"value": p.name, "label": datalist_partner_label(p)} for p in lists[key]
        ]
        for name, key in (("partner", "all"), ("city", "city"))
    }


def _save(request, form, formset, activity):
    """Hand the cleaned form to the service. Returns the saved activity and no messages, or
    None and the service's messages about the partner rows; its other messages are added
    next to the form's fields."""
    action = request.POST.get("action")
    status = {"draft": Activity.Status.DRAFT, "submit": Activity.Status.SUBMITTED}.get(action)
    rows = [ParticipationRow(*row) for row in formset.rows()]
    try:
        if activity is None:
            saved = activity_log(
                by=request.user,
                organiser=form.cleaned_data["organiser"],
                organiser_attendees=form.cleaned_data.get("organiser_attendees") or 0,
                fields=form.activity_fields(),
                themes=form.cleaned_data.get("themes", []),
                participations=rows,
                kind=form.instance.kind,
                status=status or Activity.Status.DRAFT,
            )
        else:
            saved = activity_update(
                activity=activity,
                by=request.user,
                fields=form.activity_fields(),
                themes=form.cleaned_data.get("themes", []),
                participations=rows,
                status=status,
            )
    except ActivityError as error:
        refused_rows = []
        for field, field_messages in error.errors.items():
            for message in field_messages if isinstance(field_messages, list) else [field_messages]:
                if field in form.fields:
                    form.add_error(field, message)
                elif field == "participations":
                    refused_rows.append(message)
                else:
                    form.add_error(None, message)
        return None, refused_rows
    text = _public_edit_message(saved, was_public=activity is not None and activity.is_visible)
    if text is None:
        text = {
            Activity.Status.SUBMITTED: _(
                "“%(title)s” was saved and submitted; a coordinator will publish it."
            ),
            Activity.Status.DRAFT: _("“%(title)s” was saved as a draft."),
        }.get(saved.status, _("“%(title)s” was saved."))
    messages.success(request, text % {"title": saved.title})
    return saved, []


def _public_edit_message(saved, *, was_public):
    """What staff are told after saving a record the public sees, or None for other records."""
    if getattr(saved, "pending_change", None) is not None:
        return _(
            "Your change to “%(title)s” waits for a coordinator's review; the public page "
            "shows the approved version until then."
        )
    if was_public:
        return _("“%(title)s”: nothing was changed.")
    return None


@require_GET
@login_required
def partner_search(request):
    """Suggestions for the partner boxes as one types: up to 20 matching names, as JSON."""
    query = (request.GET.get("q") or "").strip()[:100]
    if len(query) < 2:
        return JsonResponse({"results": []})
    partners = list(Partner.objects.kept_by(request.user))
    queryset = partners_choosable(extra=partners).filter(
        Q(name__icontains=query) | Q(short_name__icontains=query) | Q(slug__icontains=query)
    )
    if request.GET.get("kind") == Partner.Kind.CITY:
        queryset = queryset.cities()
    return JsonResponse(
        {
            "results": [
                {"value": p.name, "label": datalist_partner_label(p)}
                for p in queryset.order_by("name")[:20]
            ]
        }
    )


class ResourceListView(LoginRequiredMixin, ListView):
    """“Our resources”: what the user's organisations published in the knowledge hub.
    Queries: a fixed number whatever the number of resources (prevents N+1)."""

    template_name = "staff/resource_list.html"
    context_object_name = "resources"
    paginate_by = 50

    def get_queryset(self):
        return (
            resources_for(self.request.user)
            .with_review_state()
            .prefetch_related("partners")
            .newest_first()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partners"] = list(Partner.objects.kept_by(self.request.user))
        return context


@login_required
def resource_create(request):
    return _resource_form(request)


@login_required
def resource_edit(request, pk):
    return _resource_form(request, resource=get_resource_or_404(request.user, pk))


def _resource_form(request, *, resource=None):
    partners = list(Partner.objects.kept_by(request.user))
    if not partners:
        return render(request, "staff/no_partner.html", status=403)
    choices = activities_for(request.user).latest_or_linked(RECENT_ACTIVITIES, resource)
    form_kwargs = {"partners": partners, "activities": choices}
    instance = resource or Resource(is_public=False, original_language=active_language())
    change = resource.proposed_changes.newest() if resource is not None else None
    initial = {}
    if change is not None and change.is_pending:
        # The staff member goes on with what they proposed, not the live version.
        initial = {
            name: review.field_value(Resource, name, value)
            for name, value in change.proposed["fields"].items()
        }
        initial["themes"] = list(change.proposed["themes"])
        initial["activities"] = list(change.proposed["activities"])
    form_kwargs["initial"] = initial
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, instance=instance, **form_kwargs)
        if form.is_valid():
            saved = _save_resource(request, form, resource, choices)
            if saved is not None:
                return redirect("staff:resource-list")
        messages.error(request, _("The resource was not saved: correct the marked fields."))
    else:
        form = ResourceForm(instance=instance, **form_kwargs)
    return render(
        request,
        "staff/resource_form.html",
        {"form": form, "resource": resource, "change": change},
    )


def _save_resource(request, form, resource, choices):
    """Hand the cleaned form to the service; its domain errors go next to the fields."""
    activities = list(form.cleaned_data.get("activities", []))
    if resource is not None:
        # Links the select does not offer (another organisation's or an older activity) stay.
        activities += list(resource.activities.exclude(pk__in=choices.values("pk")))
    try:
        saved = resource_save(
            by=request.user,
            resource=resource,
            fields=form.resource_fields(),
            themes=form.cleaned_data.get("themes", []),
            activities=activities,
            partner=form.cleaned_data.get("publisher") if resource is None else None,
        )
    except ResourceError as error:
        for field, field_messages in error.errors.items():
            target = {"partner": "publisher"}.get(field, field)
            for message in field_messages if isinstance(field_messages, list) else [field_messages]:
                form.add_error(target if target in form.fields else None, message)
        return None
    text = _public_edit_message(saved, was_public=resource is not None and resource.is_public)
    if text is None and saved.is_public:
        text = _("“%(title)s” was saved.")
    elif text is None:
        text = _("“%(title)s” was saved; a coordinator will publish it.")
    messages.success(request, text % {"title": saved.title})
    return saved
