from __future__ import annotations

from django.urls import path

from koers.journeys import views

urlpatterns = [
    path("klantreizen/", views.journey_list, name="journeys"),
    path("klantreizen/nieuw/", views.journey_edit, name="journey_new"),
    path("klantreizen/controleren/", views.journey_check, name="journey_check"),
    path("klantreizen/<slug:key>/", views.journey_map, name="journey_map"),
    path("klantreizen/<slug:key>/bewerken/", views.journey_edit, name="journey_edit"),
    # The same check for an existing journey: its key is the stored one.
    path("klantreizen/<slug:key>/controleren/", views.journey_check, name="journey_check"),
    path("klantreizen/<slug:key>/status/", views.journey_status, name="journey_status"),
    path("klantreizen/<slug:key>/deelnemers/", views.journey_enrollments, name="enrollments"),
    path("klantreizen/<slug:key>/simulatie/", views.journey_simulation, name="simulation"),
]
