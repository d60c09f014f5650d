from __future__ import annotations

from django.urls import path

from koers.groups import views

app_name = "groups"

urlpatterns = [
    path("groepen/", views.group_list, name="list"),
    path("groepen/nieuw/", views.group_edit, name="new"),
    path("groepen/tellen/", views.rule_count, name="rule_count"),
    path("groepen/<slug:key>/", views.group_edit, name="edit"),
    path("groepen/<slug:key>/aantal/", views.group_count, name="count"),
    path("groepen/<slug:key>/verwijderen/", views.group_delete, name="delete"),
]
