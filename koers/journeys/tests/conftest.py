"""Relations, consents and mandates for journey tests, built through the actions."""

from __future__ import annotations

from typing import Any

import pytest

from koers.tests.people import AMS, donor, local

__all__ = ["AMS", "donor", "local"]


@pytest.fixture
def make_donor(db: None) -> Any:
    return donor
