"""What detection finds and what redaction hands on: plain dataclasses, no PII in the names."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

# The caller's side of a call, as the call's tracks name their speakers.
CUSTOMER = "customer"


class EntityType(StrEnum):
    CREDIT_CARD = "CREDIT_CARD"
    CVV = "CVV"
    EXPIRY = "EXPIRY"
    US_SSN = "US_SSN"
    BANK_ACCOUNT = "BANK_ACCOUNT"
    BANK_ROUTING = "BANK_ROUTING"
    PIN = "PIN"
    PHONE_NUMBER = "PHONE_NUMBER"
    EMAIL_ADDRESS = "EMAIL_ADDRESS"
    DATE_OF_BIRTH = "DATE_OF_BIRTH"
    ADDRESS = "ADDRESS"
    PERSON = "PERSON"


@dataclass(frozen=True)
class Finding:
    """One piece of PII in one text: character offsets into that text, end exclusive."""

    type: EntityType
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class RedactedText:
    """A text with its PII replaced; findings are offsets into the text as it was given."""

    text: str
    findings: list[Finding] = field(default_factory=list)
