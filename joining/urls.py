"""The applicant's pages: the form, the page that says to check the inbox, the confirmation
link, and the application's own page (state, questions and answers) behind a signed link."""

from django.urls import path

from joining import views

app_name = "joining"

urlpatterns = [
    path("join/", views.apply, name="apply"),
    path("join/sent/", views.sent, name="sent"),
    path("join/confirm/<str:token>/", views.confirm, name="confirm"),
    path("join/application/<str:token>/", views.status, name="status"),
    path("join/partners.json", views.partner_search, name="partner-search"),
]
