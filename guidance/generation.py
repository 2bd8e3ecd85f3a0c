"""What guidance asks of a model: a suggested reply while the call is live, and a summary
after it. Plain async functions over a `ModelRouter`; no Temporal.

The turns given here are already PII-redacted upstream. As defence in depth, every text
is masked once more right before it is put into a prompt (`mask_for_model`: runs of four
or more digits, anything that looks like an email address), so a redaction miss of those
shapes still never reaches a model. This guard is deliberately crude and never the only
protection.

Prompts are short: the embedded model (SmolLM2-135M-Instruct) is tiny and follows a short
instruction far better than a long one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from guidance.knowledge import PLACEHOLDER, content_words, stem
from guidance.llm.base import ChatMessage, ChatRequest, ModelError
from guidance.llm.router import ModelRouter
from guidance.policy import ModelRoute

Turn = tuple[str, str]  # (speaker, redacted text)

DIGITS_MASK = "[NUMBER]"
EMAIL_MASK = "[EMAIL]"

# Four or more digits, also when spoken out with single spaces, dashes or dots between
# them ("4 1 1 1", "555-0199"): a card, phone or account number in any spacing.
_DIGIT_RUN = re.compile(r"\d(?:[ \-.]?\d){3,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# As a recogniser writes an address that was spoken: "jane dot doe at example dot com".
_SPOKEN_EMAIL = re.compile(
    r"\b[\w.+-]+(?:\s+dot\s+[\w-]+)*\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)*\s+dot\s+"
    r"(?:com|net|org|edu|gov|io|co|uk|us|ca|de|fr|info|biz)\b",
    re.IGNORECASE,
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

# The last turns of the call a suggested reply is written from: enough context for the
# next sentence, little enough for a small model's attention and a sub-second answer.
REPLY_CONTEXT_TURNS = 6
REPLY_MAX_TOKENS = 48
REPLY_MAX_SENTENCES = 2
ARTICLE_PROMPT_CHARS = 600
# A summary reads more of the call; the transcript is cut from the middle when too long
# (the reason is said early, the resolution late).
SUMMARY_PROMPT_CHARS = 3000
SUMMARY_MAX_TOKENS = 160
SUMMARY_FIELD_CHARS = 300
MAX_FOLLOW_UPS = 5

# Bounded lengths and items keep the tiny model from rambling until max_tokens (which would
# cut the JSON): the grammar llama.cpp builds from the schema ends each string in time.
SUMMARY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "reason": {"type": "string", "maxLength": 100},
        "resolution": {"type": "string", "maxLength": 100},
        "follow_ups": {
            "type": "array",
            "items": {"type": "string", "maxLength": 80},
            "maxItems": 3,
        },
    },
    "required": ["reason", "resolution", "follow_ups"],
}


def mask_for_model(text: str) -> str:
    """Masks digit runs and email addresses: the last guard before a model sees text."""
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _SPOKEN_EMAIL.sub(EMAIL_MASK, text)
    return _DIGIT_RUN.sub(DIGITS_MASK, text)


@dataclass(frozen=True)
class Suggestion:
    text: str
    model: str
    first_token_ms: float | None
    total_ms: float


@dataclass(frozen=True)
class CallSummary:
    reason: str
    resolution: str
    follow_ups: list[str] = field(default_factory=list)
    source: Literal["model", "extractive"] = "model"
    model: str | None = None


def _speaker_label(speaker: str) -> str:
    return speaker.strip().capitalize() or "Speaker"


def transcript_for_model(turns: Sequence[Turn]) -> str:
    return "\n".join(f"{_speaker_label(s)}: {mask_for_model(t.strip())}" for s, t in turns if t)


# --- suggested reply --------------------------------------------------------------------

_REPLY_SYSTEM = "You are a polite call-centre agent. Answer the customer in one short sentence."
# A label a small model puts before its answer: "Agent:", "Reply:", "The agent's next
# sentence is:".
_LABEL = re.compile(
    r"^\s*(?:\*\*)?[^:\"\n]{0,40}?\b(?:agent|assistant|reply|response|answer|sentence)\b"
    r"[^:\"\n]{0,20}?(?:\*\*)?\s*:\s*",
    re.IGNORECASE,
)
_CUSTOMER_LINE = re.compile(r"^\s*(?:\*\*)?(?:customer|caller|user)\s*(?:\*\*)?\s*:", re.IGNORECASE)
_QUOTES = "\"'“”‘’`"
_QUOTED = re.compile(r"^[\"“]([^\"”]{3,})[\"”]")


def clean_reply(text: str) -> str:
    """The reply without what small models wrap it in: a label ("Agent:"), quotes, the
    customer's side of a transcript it wrote on, a second line."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    # A model that writes a transcript starts with the customer: the agent's line is ours.
    lines = [line for line in lines if not _CUSTOMER_LINE.match(line)]
    if not lines:
        return ""
    reply = _LABEL.sub("", lines[0], count=1)
    quoted = _QUOTED.match(reply)
    if quoted:
        reply = quoted.group(1)
    # "Customer: ..." or a second "Agent:" after the reply is the model writing on.
    reply = re.split(r"\s*\b(?:customer|agent)\s*:", reply, maxsplit=1, flags=re.IGNORECASE)[0]
    reply = reply.strip().strip(_QUOTES).strip()
    # Something to say next, not a speech: two sentences at most.
    return " ".join(_SENTENCE_END.split(reply)[:REPLY_MAX_SENTENCES])


# Words any agent's reply may say, whatever the call is about: they do not make a
# sentence about this call.
_COURTESY = frozenset(
    """sorry help happy glad welcome assist assistance understand course check moment sure
    great problem apologize apologies inconvenience day wonderful""".split()
)


def grounded_reply(reply: str, context: Sequence[str]) -> str:
    """The reply's sentences that are about this call: each shares a content word with the
    call's turns, the moment's note or the article. A tiny model appends sentences from
    other conversations ("I'm sorry for your loss."); an empty result means none was."""
    said = {stem(w) for text in context for w in content_words(text)}
    kept = [
        sentence
        for sentence in _SENTENCE_END.split(reply)
        if said & {stem(w) for w in content_words(sentence) if w not in _COURTESY}
    ]
    return " ".join(kept)


def reply_messages(
    turns: Sequence[Turn], *, moment_title: str | None = None, article: str | None = None
) -> list[ChatMessage]:
    """The call as a chat: the customer's turns as the user's, the agent's as the
    assistant's, so the model's next message is naturally the agent's next words (given a
    transcript to read instead, the small model writes more transcript)."""
    notes = [mask_for_model(moment_title)] if moment_title else []
    if article:
        notes.append(mask_for_model(article[:ARTICLE_PROMPT_CHARS]))
    system = _REPLY_SYSTEM + (f" Useful: {' '.join(notes)}" if notes else "")
    messages = [ChatMessage("system", system)]
    for speaker, text in turns[-REPLY_CONTEXT_TURNS:]:
        if not text.strip():
            continue
        role: Literal["user", "assistant"] = (
            "assistant" if speaker.strip().lower() == "agent" else "user"
        )
        masked = mask_for_model(text.strip())
        if messages[-1].role == role:  # one message per side and turn of talk
            messages[-1] = ChatMessage(role, f"{messages[-1].content} {masked}")
        else:
            messages.append(ChatMessage(role, masked))
    return messages


def reply_request(
    turns: Sequence[Turn], *, moment_title: str | None = None, article: str | None = None
) -> ChatRequest:
    """What suggest_reply asks the model (also what bench/bench_llm.py times)."""
    return ChatRequest(
        messages=reply_messages(turns, moment_title=moment_title, article=article),
        max_tokens=REPLY_MAX_TOKENS,
        # Greedy: the same moment of a call gets the same suggestion, and the tiny model
        # strays less (sampled, it more often wrote the customer's part as well).
        temperature=0.0,
        # Only the first line is used: a second is the model writing the customer's part.
        stop=("\n",),
    )


async def suggest_reply(
    router: ModelRouter,
    route: ModelRoute,
    *,
    turns: Sequence[Turn],
    moment_title: str | None = None,
    article: str | None = None,
) -> Suggestion:
    """A short reply the agent could say next. Raises ModelError (ModelTimeout,
    ModelUnavailable) when the model gives none, including an empty answer."""
    request = reply_request(turns, moment_title=moment_title, article=article)
    result = await router.complete(route, request)
    context = [text for _, text in turns[-REPLY_CONTEXT_TURNS:]]
    context += [note for note in (moment_title, article) if note]
    reply = grounded_reply(clean_reply(result.text), context)
    if not reply:
        raise ModelError(f"{result.model} returned no reply about this call")
    return Suggestion(
        text=reply,
        model=result.model,
        first_token_ms=result.first_token_ms,
        total_ms=result.total_ms,
    )


# --- post-call summary ------------------------------------------------------------------

_SUMMARY_SYSTEM = "You summarize support calls in JSON."
# What each field should say, as the model is told; a field that repeats it says nothing.
_FIELD_MEANINGS = ("why the customer called", "the outcome", "promised next steps")
_SUMMARY_ASK = (
    f"JSON summary (reason: {_FIELD_MEANINGS[0]}; resolution: {_FIELD_MEANINGS[1]}; "
    f"follow_ups: {_FIELD_MEANINGS[2]}):"
)


def _summary_transcript(turns: Sequence[Turn]) -> str:
    text = transcript_for_model(turns)
    if len(text) <= SUMMARY_PROMPT_CHARS:
        return text
    half = SUMMARY_PROMPT_CHARS // 2
    return f"{text[:half]}\n...\n{text[-half:]}"


def parse_summary(text: str) -> tuple[str, str, list[str]] | None:
    """The model's JSON as (reason, resolution, follow-ups), or None if it is unusable:
    not JSON (a truncated answer), the wrong shape, or an empty reason."""
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        data = json.loads(text[start : end + 1])
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    reason, resolution, follow_ups = (
        data.get("reason"),
        data.get("resolution"),
        data.get("follow_ups", []),
    )
    if not isinstance(reason, str) or not reason.strip() or not isinstance(resolution, str):
        return None
    if not isinstance(follow_ups, list):
        return None
    items = [
        f.strip()[:SUMMARY_FIELD_CHARS] for f in follow_ups if isinstance(f, str) and f.strip()
    ]
    return (
        reason.strip()[:SUMMARY_FIELD_CHARS],
        resolution.strip()[:SUMMARY_FIELD_CHARS],
        items[:MAX_FOLLOW_UPS],
    )


_SUMMARY_WORD = re.compile(r"[a-z0-9']+")
# A small model that has nothing to say apologises or refuses instead.
_REFUSAL = re.compile(
    r"\b(?:i'?m sorry|i am sorry|i can'?t|i cannot|i am unable|as an ai|i don'?t know)\b",
    re.IGNORECASE,
)
# A field this repetitive is a decoding loop ("No, no, no, no, ...").
MAX_WORD_SHARE = 0.4
MIN_WORDS_FOR_SHARE = 6


def _degenerate(text: str) -> bool:
    words = _SUMMARY_WORD.findall(PLACEHOLDER.sub(" ", text).lower())
    if _REFUSAL.search(text) or len(words) < 2:
        return True  # a refusal, or nothing but a redacted value ("[DATE_OF_BIRTH]")
    if any(meaning in text.lower() for meaning in _FIELD_MEANINGS):
        return True  # "Why the customer called; ...": the instructions echoed back
    if len(words) >= MIN_WORDS_FOR_SHARE:
        top = max(words.count(w) for w in set(words))
        if top / len(words) > MAX_WORD_SHARE:
            return True
    return False


def grounded_summary(
    reason: str, resolution: str, follow_ups: Sequence[str], *, turns: Sequence[Turn]
) -> bool:
    """Whether a model's summary is worth storing: no field a refusal, a decoding loop,
    the instructions echoed back or only a redacted value, and its reason about this call
    (it shares a content word with the transcript). Tiny models fail these often; the
    extractive summary is better than a fluent wrong one."""
    if any(_degenerate(field) for field in (reason, resolution, *follow_ups)):
        return False
    said = {w for _, text in turns for w in _SUMMARY_WORD.findall(text.lower()) if len(w) > 3}
    return bool(said & set(_SUMMARY_WORD.findall(reason.lower())))


# What an agent says when promising something after the call.
_PROMISE = re.compile(
    r"\b(?:i will|i'll|we will|we'll|you will receive|you'll receive|you'll get|"
    r"follow up|call you back|send you|email you|within \w+ (?:business )?days?)\b",
    re.IGNORECASE,
)


def _sentences(turns: Sequence[Turn], speaker: str) -> list[str]:
    return [
        sentence.strip()
        for who, text in turns
        if who.strip().lower() == speaker
        for sentence in _SENTENCE_END.split(text.strip())
        if sentence.strip()
    ]


def _substantive(sentence: str) -> bool:
    # "Hi.", "Great.", "OK thanks." say nothing about the call.
    return len(sentence.split()) >= 4


def extractive_summary(turns: Sequence[Turn]) -> CallSummary:
    """A summary from the turns themselves, for when no model answers: the customer's
    first substantive sentence as the reason, the agent's last substantive sentence that
    is not a promise as the resolution, and the agent's promises as follow-ups."""
    customer = _sentences(turns, "customer")
    agent = _sentences(turns, "agent")
    reason = next((s for s in customer if _substantive(s)), customer[0] if customer else "")
    promises = [s for s in agent if _PROMISE.search(s)]
    outcome = [s for s in agent if _substantive(s) and s not in promises]
    resolution = outcome[-1] if outcome else (agent[-1] if agent else "")
    follow_ups = list(dict.fromkeys(s[:SUMMARY_FIELD_CHARS] for s in promises))
    return CallSummary(
        reason=reason[:SUMMARY_FIELD_CHARS],
        resolution=resolution[:SUMMARY_FIELD_CHARS],
        follow_ups=follow_ups[:MAX_FOLLOW_UPS],
        source="extractive",
        model=None,
    )


def summary_request(turns: Sequence[Turn]) -> ChatRequest:
    """What summarize_call asks the model (also what bench/bench_llm.py times)."""
    return ChatRequest(
        messages=[
            ChatMessage("system", _SUMMARY_SYSTEM),
            ChatMessage("user", f"{_summary_transcript(turns)}\n\n{_SUMMARY_ASK}"),
        ],
        max_tokens=SUMMARY_MAX_TOKENS,
        temperature=0.0,
        json_schema=SUMMARY_SCHEMA,
    )


async def summarize_call(
    router: ModelRouter,
    route: ModelRoute,
    *,
    turns: Sequence[Turn],
    timeout_ms: int | None = None,
) -> CallSummary:
    """The call's reason, resolution and follow-ups. Never raises for the model's sake:
    when it fails, times out, is refused or returns unusable JSON, the summary is
    extractive, so every call gets one.

    `timeout_ms` replaces the route's timeout for this call: a summary is written after
    the call, where waiting longer costs no agent anything, and the route's timeout is
    sized for live replies (the local model needs a few seconds for a summary).
    """
    if not turns:
        return CallSummary(reason="", resolution="", source="extractive")
    if timeout_ms is not None:
        route = route.model_copy(update={"timeout_ms": timeout_ms})
    try:
        result = await router.complete(route, summary_request(turns))
    except ModelError:
        return extractive_summary(turns)
    usable = parse_summary(result.text)
    if usable is None or not grounded_summary(*usable, turns=turns):
        return extractive_summary(turns)
    reason, resolution, follow_ups = usable
    return CallSummary(
        reason=reason,
        resolution=resolution,
        follow_ups=follow_ups,
        source="model",
        model=result.model,
    )
