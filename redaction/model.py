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


# The kinds of PII that are numbers read out: masked digit by digit, and the kinds a number
# read across two lines may turn out to be once all of it is heard.
NUMBER_KINDS = frozenset(
    {
        EntityType.CREDIT_CARD,
        EntityType.CVV,
        EntityType.US_SSN,
        EntityType.BANK_ACCOUNT,
        EntityType.BANK_ROUTING,
        EntityType.PIN,
        EntityType.PHONE_NUMBER,
    }
)


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
    # the speaker's previous line read again, when this line showed what it said
    revision: Revision | None = None


@dataclass(frozen=True)
class Revision:
    """A speaker's previous line read again once their next line finished what it began: a
    number read out across two lines ("okay it's five one oh five" / "and 1051 0510 5100")
    is a card only once its rest is heard. The spans are those already redacted; only their
    types (and scores) change, so nothing once hidden is shown."""

    lines_back: int  # how many lines of the call before the line that revised it
    text: str  # the previous line redacted with the revised findings
    findings: list[Finding] = field(default_factory=list)
