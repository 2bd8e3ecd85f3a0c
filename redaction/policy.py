"""A tenant's redaction policy: what to find, how to replace it, how to beep it.

Unknown fields are errors, so a typo in a compliance officer's YAML never silently
weakens redaction; every bound is in the schema, so the API's 422 names the field.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from redaction.model import EntityType

# Telephone audio is 8 kHz: a beep must sit below its Nyquist frequency.
MAX_BEEP_HZ = 3800


class ReplacementStyle(StrEnum):
    TAG = "tag"  # "[CREDIT_CARD]"
    MASK = "mask"  # every letter and digit becomes "*", so the length stays
    HASH = "hash"  # "[CREDIT_CARD:3f9a…]": the same value gives the same tag within a tenant


class RedactionPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    entities: tuple[EntityType, ...] = Field(
        default=tuple(EntityType), description="Entity types to redact; the default is all."
    )
    style: ReplacementStyle = ReplacementStyle.TAG
    score_threshold: float = Field(
        default=0.4, ge=0.0, le=1.0, description="Findings scored below this are kept."
    )
    # Interim text is shown live and never stored: any run of this many digits is masked
    # there, whatever detection says, since the rest of the number may not be spoken yet
    # ("it's 411" is the start of a card). Prices and times show in full in the final.
    interim_digit_run: int = Field(default=3, ge=2, le=19)
    # Audio redaction: each span is widened by this much on both sides and beeped. Streamed
    # word times are Whisper's or Deepgram's estimates, often 100-200 ms off at a word's
    # edges; a margin past that keeps the first and last syllable of a value from surviving.
    audio_padding_ms: int = Field(default=250, ge=0, le=2000)
    beep_hz: int = Field(default=1000, ge=100, le=MAX_BEEP_HZ)
    keep_original: bool = Field(
        default=False,
        description="Also keep each redacted utterance's original text, only inside the "
        "call workflow's Temporal history, which the payload codec encrypts with the "
        "tenant's key; never in PostgreSQL, Redis, the event stream, logs or a model.",
    )

    def redacts(self, entity: EntityType) -> bool:
        return entity in self.entities


DEFAULT_POLICY = RedactionPolicy()
