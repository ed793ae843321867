"""The open-data page for people, in each language."""

from django.urls import path

from opendata import views

app_name = "opendata"
urlpatterns = [
    path("open-data/", views.open_data, name="open-data"),
]
