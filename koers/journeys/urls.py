from __future__ import annotations

from django.urls import path

from koers.journeys import views

urlpatterns = [
    path("klantreizen/nieuw/", views.journey_edit, name="journey_new"),
    path("klantreizen/controleren/", views.journey_check, name="journey_check"),
    path("klantreizen/<slug:key>/bewerken/", views.journey_edit, name="journey_edit"),
]
