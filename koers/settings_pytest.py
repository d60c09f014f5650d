"""The settings the test suite runs with: Koers' own, signed with a key of the run's own.

Tests never read or make the local key file in the developer's var/. The key goes into the
environment, so a `koers` process a test starts signs with the same key as the test.
"""

from __future__ import annotations

import os
import secrets

os.environ.setdefault("KOERS_SECRET_KEY", f"koers-tests-{secrets.token_urlsafe(40)}")

from koers.settings import *  # noqa: F403
