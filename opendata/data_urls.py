"""The bulk downloads and their descriptions (opendata/downloads.py, opendata/catalogue.py):
``/data/v1/<table>.csv``, ``partners.geojson``, ``datapackage.json``, ``catalog.jsonld``."""

from django.urls import path

from opendata import catalogue, data_views

app_name = "data"
urlpatterns = [
    path(
        catalogue.DATA_PACKAGE_NAME,
        data_views.download,
        {"name": catalogue.DATA_PACKAGE_NAME},
        name="datapackage",
    ),
    path(
        catalogue.CATALOGUE_NAME,
        data_views.download,
        {"name": catalogue.CATALOGUE_NAME},
        name="catalogue",
    ),
    path(
        catalogue.GEOJSON_NAME,
        data_views.download,
        {"name": catalogue.GEOJSON_NAME},
        name="partners-geojson",
    ),
    path("<slug:table>.csv", data_views.table_csv, name="table-csv"),
]
