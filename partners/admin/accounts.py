"""User accounts and the partner organisations each one keeps (PartnerStaff links)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from allas.admin import (
    AutocompleteInline,
    BadFiltersRefusedMixin,
    OperationsAdmin,
    ProtectedDeleteMixin,
)
from allas.fields import KeyFormFieldsMixin
from partners.models import PartnerStaff


@admin.register(PartnerStaff)
class PartnerStaffAdmin(OperationsAdmin):
    list_display = ["user", "user_email", "partner", "created_at"]
    list_filter = ["partner__kind"]
    list_select_related = ["user", "partner"]
    search_fields = ["user__username", "user__email", "partner__name", "partner__short_name"]
    autocomplete_fields = ["user", "partner"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "partner")

    @admin.display(description=_("e-mail"), ordering="user__email")
    def user_email(self, link):
        return link.user.email


class PartnerStaffForUserInline(AutocompleteInline):
    model = PartnerStaff
    fk_name = "user"
    fields = ["partner", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["partner"]
    verbose_name = _("organisation kept by this user")
    verbose_name_plural = _("organisations kept by this user")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "partner")


User = get_user_model()


class BackOfficeAccessFilter(admin.SimpleListFilter):
    """Django's ``is_staff`` filter under the name it has here (see AccountAdmin)."""

    title = _("back-office access")
    parameter_name = "is_staff__exact"  # the stock filter's, so its links keep working

    def lookups(self, request, model_admin):
        return [("1", _("Yes")), ("0", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(is_staff=self.value() == "1")
        return queryset


class AccountAdmin(BadFiltersRefusedMixin, KeyFormFieldsMixin, ProtectedDeleteMixin, UserAdmin):
    """User accounts with the organisations each one keeps as partner staff.

    Partner staff log in to the staff area; they are not admin users (is_staff off), and the
    "back-office access" column is Django's ``is_staff``, which only coordinators have
    (allas/roles.py).
    """

    inlines = [PartnerStaffForUserInline]
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "organisations",
        "back_office_access",
    ]
    list_filter = [
        BackOfficeAccessFilter,
        "is_active",
        "groups",
        "partner_links__partner__kind",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("partner_links__partner")

    @admin.display(boolean=True, description=_("back-office access"), ordering="is_staff")
    def back_office_access(self, user):
        """Django's ``is_staff``, named for what it is here so that nobody takes it for
        partner staff (the "organisations" column)."""
        return user.is_staff

    @admin.display(description=_("organisations"))
    def organisations(self, user):
        return format_html_join(
            ", ", "{}", ((link.partner.display_name,) for link in user.partner_links.all())
        )


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
