from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "koers.insights"
    label = "insights"
