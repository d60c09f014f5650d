from __future__ import annotations

from django.urls import path

from koers.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.xlsx", views.download_excel, name="excel"),
]
