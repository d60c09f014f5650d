from __future__ import annotations

from django.urls import path

from koers.calendar import views

app_name = "calendar"

urlpatterns = [
    path("", views.calendar_list, name="list"),
    path("voorbeeld-installeren/", views.calendar_install, name="install"),
    path("<slug:key>/", views.calendar_detail, name="detail"),
    path("<slug:key>/instellingen/", views.calendar_settings, name="settings"),
    path("<slug:key>/uitvoeren/", views.calendar_active, name="active"),
    path("<slug:key>/export.yaml", views.download_yaml, name="yaml"),
    path("<slug:key>/momenten/nieuw/", views.moment_edit, name="moment_new"),
    path("<slug:key>/momenten/<slug:moment>/", views.moment_edit, name="moment_edit"),
    path(
        "<slug:key>/momenten/<slug:moment>/verwijderen/",
        views.moment_delete,
        name="moment_delete",
    ),
    path("<slug:key>/jaar/<int:year>/", views.calendar_year, name="year"),
    path("<slug:key>/jaar/<int:year>/opnieuw/", views.calendar_year_retry, name="year_retry"),
    path("<slug:key>/jaar/<int:year>/agenda.ics", views.download_ical, name="ical"),
    path("<slug:key>/jaar/<int:year>/overzicht.xlsx", views.download_excel, name="excel"),
]
