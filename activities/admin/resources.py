"""The admin of the knowledge hub's resources."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from activities.models import Resource
from allas.admin import OperationsAdmin
from allas.translation import columns


@admin.register(Resource)
class ResourceAdmin(OperationsAdmin):
    list_display = ["title", "kind", "language", "published_on", "publishers", "is_public"]
    list_filter = ["kind", "language", "is_public", "themes"]
    search_fields = ["title", "slug", "description"]
    autocomplete_fields = ["themes", "activities", "partners"]
    prepopulated_fields = {"slug": columns("title")}
    date_hierarchy = "published_on"
    readonly_fields = ["created_by", "created_at", "updated_at"]
    fields = [
        "title",
        "slug",
        "kind",
        "description",
        "file",
        "url",
        "language",
        "themes",
        "activities",
        "partners",
        "published_on",
        "is_public",
        "created_by",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("partners")

    @admin.display(description=_("published by"))
    def publishers(self, resource):
        return ", ".join(p.display_name for p in resource.partners.all())

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
