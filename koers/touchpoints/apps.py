from __future__ import annotations

from django.apps import AppConfig


class TouchpointsConfig(AppConfig):
    name = "koers.touchpoints"
    label = "touchpoints"
    verbose_name = "Contactmomenten"
