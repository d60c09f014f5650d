from __future__ import annotations

from django.apps import AppConfig


class GivingConfig(AppConfig):
    name = "koers.giving"
    label = "giving"
