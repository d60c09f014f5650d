from __future__ import annotations

from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "koers.journeys"
    label = "journeys"
    verbose_name = "Klantreizen"
