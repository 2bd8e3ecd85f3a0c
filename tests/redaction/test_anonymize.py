"""Replacing findings: tags, masks and keyed hashes."""

from __future__ import annotations

import hashlib
import hmac

from redaction.anonymize import anonymize, normalized_value
from redaction.model import EntityType, Finding
from redaction.policy import ReplacementStyle

E = EntityType
TEXT = "card 4111-1111 and call 206 555 0198."
CARD = Finding(E.CREDIT_CARD, 5, 14, 0.9)
PHONE = Finding(E.PHONE_NUMBER, 24, 36, 0.9)


def test_tag() -> None:
    out = anonymize(TEXT, [PHONE, CARD], style=ReplacementStyle.TAG)
    assert out == "card [CREDIT_CARD] and call [PHONE_NUMBER]."


def test_mask_keeps_length_and_punctuation() -> None:
    out = anonymize(TEXT, [CARD, PHONE], style=ReplacementStyle.MASK)
    assert out == "card ****-**** and call *** *** ****."
    assert len(out) == len(TEXT)
    spoken = "it's four one one"
    assert anonymize(spoken, [Finding(E.PIN, 5, 17, 1.0)], style=ReplacementStyle.MASK) == (
        "it's **** *** ***"
    )


def test_hash_is_hmac_of_the_normalized_value() -> None:
    salt = b"tenant-salt"
    out = anonymize(TEXT, [CARD], style=ReplacementStyle.HASH, salt=salt)
    expected = hmac.new(salt, b"41111111", hashlib.sha256).hexdigest()[:10]
    assert out == f"card [CREDIT_CARD:{expected}] and call 206 555 0198."


def test_spoken_and_written_forms_hash_alike() -> None:
    salt = b"s"

    def tag(text: str, entity: EntityType) -> str:
        finding = [Finding(entity, 0, len(text), 1.0)]
        return anonymize(text, finding, style=ReplacementStyle.HASH, salt=salt)

    assert tag("four one one one", E.PIN) == tag("4111", E.PIN)
    assert tag("two oh six five five five oh one nine eight", E.PHONE_NUMBER) == tag(
        "1 (206) 555-0198", E.PHONE_NUMBER
    )
    assert tag("Kevin dot Mills at example dot com", E.EMAIL_ADDRESS) == tag(
        "kevin.mills@example.com", E.EMAIL_ADDRESS
    )
    assert tag("4111", E.PIN) != tag("4112", E.PIN)


def test_hash_depends_on_the_salt() -> None:
    finding = [Finding(E.US_SSN, 0, 11, 1.0)]
    a = anonymize("123-45-6789", finding, style=ReplacementStyle.HASH, salt=b"a")
    b = anonymize("123-45-6789", finding, style=ReplacementStyle.HASH, salt=b"b")
    assert a != b
    assert a.startswith("[US_SSN:") and len(a) == len("[US_SSN:]") + 10


def test_normalized_values() -> None:
    assert normalized_value(E.CREDIT_CARD, "four one one one, uh, 1111") == "41111111"
    assert normalized_value(E.EMAIL_ADDRESS, "j smith underscore 42 at gmail dot com") == (
        "jsmith_42@gmail.com"
    )
    assert normalized_value(E.PERSON, "Kevin  MILLS,") == "kevin mills"


def test_overlapping_findings_are_replaced_once() -> None:
    text = "my number is 206 555 0198"
    findings = [Finding(E.PHONE_NUMBER, 13, 25, 0.9), Finding(E.CVV, 17, 20, 0.5)]
    assert anonymize(text, findings, style=ReplacementStyle.TAG) == "my number is [PHONE_NUMBER]"


def test_no_findings_leaves_text_alone() -> None:
    assert anonymize(TEXT, [], style=ReplacementStyle.TAG) == TEXT
