from __future__ import annotations

from django.urls import path

from koers.relations import views

app_name = "relations"

urlpatterns = [
    path("relaties/", views.relation_list, name="list"),
    path("relaties/<int:pk>/", views.relation_detail, name="detail"),
]
