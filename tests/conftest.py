from __future__ import annotations

import pytest
from conflict_ld.mapping.tables import Tables

from conflict_ld.resources import load_tables


@pytest.fixture(scope="session")
def tables() -> Tables:
    return load_tables()
