"""The admin of the knowledge hub's resources."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from activities.models import Resource
from allas.admin import OperationsAdmin, TranslatedAdminMixin
from allas.templatetags.translations import in_language
from allas.translation import columns


@admin.register(Resource)
class ResourceAdmin(TranslatedAdminMixin, OperationsAdmin):
    """Resources with their title and description in every language (one fieldset per
    language, the original first, after the first fieldset: TranslatedAdminMixin)."""

    list_display = ["title", "kind", "language", "published_on", "publishers", "is_public"]
    list_filter = ["kind", "language", "is_public", "themes"]
    search_fields = ["slug", *columns("title", "description")]
    autocomplete_fields = ["themes", "activities", "partners"]
    prepopulated_fields = {"slug": columns("title")}
    date_hierarchy = "published_on"
    readonly_fields = ["created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["slug", "kind", "file", "url", "language"]}),
        (
            _("Publication"),
            {"fields": ["themes", "activities", "partners", "published_on", "is_public"]},
        ),
        (_("Internal"), {"fields": ["created_by", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("partners")

    # Sorted by the slug: the title differs per language, the slug is the same in all.
    @admin.display(description=_("title"), ordering="slug")
    def title(self, resource):
        return in_language(resource.title)

    @admin.display(description=_("published by"))
    def publishers(self, resource):
        return ", ".join(p.display_name for p in resource.partners.all())

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
