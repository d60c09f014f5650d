from __future__ import annotations

from django.apps import AppConfig


class ClockConfig(AppConfig):
    name = "koers.clock"
    label = "clock"
    verbose_name = "Klok"
