from __future__ import annotations

from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "koers.calendar"
    label = "calendar"
    verbose_name = "Waarderingskalender"
