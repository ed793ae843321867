"""The public Results pages, in each language (results:...)."""

from django.urls import path

from results import views

app_name = "results"
urlpatterns = [
    path("results/", views.results, name="results"),
    path("results/<slug:slug>/", views.period_detail, name="period"),
    path(
        "results/<slug:slug>/indicators/<int:pk>/",
        views.indicator_records,
        name="records",
    ),
    path("results/<slug:slug>/figures.csv", views.period_csv, name="period-csv"),
]
