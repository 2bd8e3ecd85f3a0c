"""One PII detector for the whole session: loading the spaCy model takes a second."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector


@pytest.fixture(scope="session")
def detector() -> PiiDetector:
    return PiiDetector()
