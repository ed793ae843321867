"""The back-office of activities: one module per part of the admin (activities,
participations, resources, the review of staff edits), and what the large lists share
(``lists``). Importing the modules registers their admins."""

from activities.admin import activities, participations, resources, review  # noqa: F401
