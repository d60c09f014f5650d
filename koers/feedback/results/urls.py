"""The feedback results pages under /feedback/ (the public answer pages are in urls.py)."""

from __future__ import annotations

from django.urls import path

from koers.feedback.results import views

app_name = "feedback_results"

urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("<slug:key>/", views.instrument_detail, name="detail"),
    path("<slug:key>/opmerkingen/", views.comment_list, name="comments"),
    path("<slug:key>/export.xlsx", views.download_excel, name="excel"),
]
