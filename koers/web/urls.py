from __future__ import annotations

from django.urls import path

from koers.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("hoofdkaart/", views.main_map, name="main_map"),
]
