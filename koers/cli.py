"""The `koers` command: every Django management command, with Koers' settings."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    except ImproperlyConfigured as problem:
        # A setting that is missing or wrong: one line that says which, not a traceback.
        sys.exit(f"koers: {problem}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
