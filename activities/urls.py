from django.urls import path

from activities import feeds, views

app_name = "activities"

urlpatterns = [
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path("activities/<slug:slug>/", views.ActivityDetailView.as_view(), name="activity-detail"),
    path("resources/", views.ResourceListView.as_view(), name="resource-list"),
    path("resources/<slug:slug>/", views.ResourceDetailView.as_view(), name="resource-detail"),
    path("calendar/activities.ics", feeds.feed_all, name="feed-all"),
    path("calendar/partners/<slug:slug>.ics", feeds.feed_partner, name="feed-partner"),
    path("calendar/themes/<slug:slug>.ics", feeds.feed_theme, name="feed-theme"),
]
