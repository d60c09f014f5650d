from __future__ import annotations

from django.apps import AppConfig


class RelationsConfig(AppConfig):
    name = "koers.relations"
    label = "relations"
