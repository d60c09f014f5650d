from __future__ import annotations

from django.urls import path

from koers.feedback import views

app_name = "feedback"
urlpatterns = [
    path("a/<str:token>/", views.answer, name="answer"),
    path("a/<str:token>/bedankt/", views.thanks, name="thanks"),
    path("k/<str:code>/", views.short, name="short"),
]
