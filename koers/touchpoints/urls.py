from __future__ import annotations

from django.urls import path

from koers.touchpoints import views

urlpatterns = [
    path("afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("contactmomenten/", views.touchpoint_list, name="touchpoints"),
    path("contactmomenten/mogelijk-verstuurd/", views.uncertain_list, name="uncertain"),
    path("contactmomenten/<int:pk>/beslissen/", views.uncertain_decide, name="uncertain_decide"),
    path("bellijst/", views.call_list, name="calls"),
    path("bellijst/<int:pk>/uitkomst/", views.call_outcome, name="call_outcome"),
    path("taken/", views.task_list, name="tasks"),
    path("taken/<int:pk>/afhandelen/", views.task_done, name="task_done"),
]
