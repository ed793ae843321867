"""Public pages of activities and of the knowledge hub. Only visible activities and public
resources appear; anything else answers 404. (Staff pages live in staff_views.py.)"""

from django.utils.decorators import method_decorator
from django.views.generic import DetailView
from django_countries import countries

from activities.filters import ActivityFilter, ResourceFilter
from activities.models import Activity, Participation, Resource
from activities.schema_org import creative_work_json_ld, event_json_ld
from allas.cache import RecordPageMixin, cache_public_page, list_params, versioned
from allas.listing import FilteredListView, select_options, sort_key
from partners.models import Agreement, Partner, Theme


def theme_choices():
    return [(theme.slug, theme.name) for theme in Theme.objects.all()]


@method_decorator(cache_public_page(params=list_params(ActivityFilter)), name="dispatch")
class ActivityListView(FilteredListView):
    """Visible activities. Prevents N+1: themes and organisers of the page come in two
    prefetches; the filter options take one query each. The partner is typed (slug or name):
    a select of the thousands of partners would weigh 400 KB."""

    template_name = "activities/activity_list.html"
    filterset_class = ActivityFilter
    paginate_by = 20

    def base_queryset(self):
        return (
            Activity.objects.visible()
            .select_related("venue_partner")
            .prefetch_related("themes")
            .with_public_organisers()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = context["raw"]
        # Two scans of the activities, so cached until the content changes.
        codes, year_numbers = versioned(
            "activity-filter-options", Activity.objects.visible().filter_options
        )
        country_choices = sorted(
            ((code, countries.name(code)) for code in codes), key=lambda pair: sort_key(pair[1])
        )
        years = [(year, year) for year in year_numbers]
        context["options"] = {
            "kind": select_options(Activity.Kind.choices, raw["kind"]),
            "theme": select_options(theme_choices(), raw["theme"]),
            "country": select_options(country_choices, raw["country"]),
            "year": select_options(years, raw["year"]),
            "when": select_options(ActivityFilter.When.choices, raw["when"]),
        }
        return context


# record_tables: everything the page reads is linked to its record (allas/cache_tags.py).
@method_decorator(
    cache_public_page(record_tables=(Activity, Participation, Partner, Theme, Resource, Agreement)),
    name="dispatch",
)
class ActivityDetailView(RecordPageMixin, DetailView):
    """One activity: organisers and participants with attendees, themes, venue, outcomes, the
    agreement it implements and its resources. A query each, whatever their number."""

    template_name = "activities/activity_detail.html"
    context_object_name = "activity"

    def get_queryset(self):
        return Activity.objects.visible().select_related("venue_partner", "agreement")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity = self.object
        participations = list(activity.participations.of_public_partners())
        context["organisers"] = [
            p for p in participations if p.role in Participation.ORGANISING_ROLES
        ]
        context["participants"] = [
            p for p in participations if p.role not in Participation.ORGANISING_ROLES
        ]
        context["attendees_total"] = sum(p.attendees for p in participations)
        context["themes"] = list(activity.themes.all())
        context["resources"] = list(activity.resources.public().order_by("-published_on", "slug"))
        agreement = activity.agreement
        context["agreement"] = agreement if agreement and agreement.is_public else None
        context["json_ld"] = event_json_ld(
            activity, absolute=self.request.build_absolute_uri, organisers=context["organisers"]
        )
        return context


@method_decorator(cache_public_page(params=list_params(ResourceFilter)), name="dispatch")
class ResourceListView(FilteredListView):
    """The knowledge hub. Prevents N+1: the themes of the page come in one prefetch."""

    template_name = "activities/resource_list.html"
    filterset_class = ResourceFilter
    paginate_by = 20

    def base_queryset(self):
        return Resource.objects.public().prefetch_related("themes")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = context["raw"]
        context["options"] = {
            "theme": select_options(theme_choices(), raw["theme"]),
            "kind": select_options(Resource.Kind.choices, raw["kind"]),
            "language": select_options(Resource.Language.choices, raw["language"]),
        }
        return context


# record_tables: everything the page reads is linked to its record (allas/cache_tags.py).
@method_decorator(
    cache_public_page(record_tables=(Resource, Theme, Activity, Partner)), name="dispatch"
)
class ResourceDetailView(RecordPageMixin, DetailView):
    template_name = "activities/resource_detail.html"
    context_object_name = "resource"

    def get_queryset(self):
        return Resource.objects.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        resource = self.object
        context["themes"] = list(resource.themes.all())
        context["activities"] = list(
            resource.activities.visible()
            .select_related("venue_partner")
            .order_by("-starts_on", "slug")
        )
        context["partners"] = list(resource.partners.public().order_by("name"))
        context["json_ld"] = creative_work_json_ld(
            resource,
            absolute=self.request.build_absolute_uri,
            publishers=context["partners"],
            themes=context["themes"],
        )
        return context
