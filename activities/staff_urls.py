from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from activities import staff_views
from allas.auth_views import PasswordResetView

app_name = "staff"

urlpatterns = [
    path("", staff_views.ActivityListView.as_view(), name="activity-list"),
    path("trainings/new/", staff_views.training_create, name="training-create"),
    path("activities/<int:pk>/edit/", staff_views.activity_edit, name="activity-edit"),
    path(
        "activities/<int:pk>/duplicate/",
        staff_views.activity_duplicate,
        name="activity-duplicate",
    ),
    path("resources/", staff_views.ResourceListView.as_view(), name="resource-list"),
    path("resources/new/", staff_views.resource_create, name="resource-create"),
    path("resources/<int:pk>/edit/", staff_views.resource_edit, name="resource-edit"),
    path("partners/search/", staff_views.partner_search, name="partner-search"),
    # Django's auth views. The login form passes the request to authenticate(), which
    # django-axes needs to throttle failed logins per user name and address.
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        PasswordResetView.as_view(
            success_url=reverse_lazy("staff:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("staff:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
