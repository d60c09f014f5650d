from __future__ import annotations

from django.urls import path

from koers.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("hoofdkaart/", views.main_map, name="main_map"),
    path("relaties/", views.relation_list, name="relations"),
    path("relaties/<int:pk>/", views.relation_detail, name="relation"),
    path("groepen/", views.group_list, name="groups"),
    path("groepen/nieuw/", views.group_edit, name="group_new"),
    path("groepen/tellen/", views.rule_count, name="rule_count"),
    path("groepen/<slug:key>/", views.group_edit, name="group_edit"),
    path("groepen/<slug:key>/aantal/", views.group_count, name="group_count"),
    path("groepen/<slug:key>/verwijderen/", views.group_delete, name="group_delete"),
]
