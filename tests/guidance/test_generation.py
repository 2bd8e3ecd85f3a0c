"""Suggested replies and call summaries from the real local model (SmolLM2-135M on
llama.cpp), through the recording proxy, so the tests see exactly what the model was sent."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from guidance.generation import (
    DIGITS_MASK,
    EMAIL_MASK,
    SUMMARY_SCHEMA,
    CallSummary,
    clean_reply,
    extractive_summary,
    grounded_reply,
    grounded_summary,
    mask_for_model,
    parse_summary,
    suggest_reply,
    summarize_call,
    summary_request,
)
from guidance.llm.base import ModelTimeout, ModelUnavailable
from guidance.llm.router import ModelRouter
from guidance.policy import LOCAL_MODEL, ModelRoute
from tests.llm_proxy import LlmProxy, ProxyMode

CALL = [
    ("agent", "Thank you for calling Acme Mobile, this is Sam. How can I help?"),
    ("customer", "Hi. I want to cancel my contract, my bill went up again this month."),
    ("agent", "I'm sorry to hear that. How long have you been with us?"),
    ("customer", "About five years, and the price keeps going up."),
    ("agent", "I can offer you a loyalty discount of twenty percent for a year."),
    ("customer", "OK, that sounds fair. I'll stay then."),
    ("agent", "Great. I will email you the new terms within two business days."),
]
# Generous: the suite shares two cores with the model.
ROUTE = ModelRoute(timeout_ms=10_000)


@pytest_asyncio.fixture(loop_scope="session")
async def proxy(llm_url: str) -> AsyncIterator[LlmProxy]:
    async with LlmProxy(upstream=llm_url.removesuffix("/v1")) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="session")
async def router(proxy: LlmProxy) -> AsyncIterator[ModelRouter]:
    routed = ModelRouter(local_url=f"{proxy.url}/v1")
    yield routed
    await routed.close()


async def test_a_suggested_reply_comes_from_the_model(router: ModelRouter, proxy: LlmProxy) -> None:
    suggestion = await suggest_reply(
        router,
        ROUTE,
        turns=CALL[:4],
        moment_title="Retention offer",
        article="Offer the loyalty discount before cancelling.",
    )
    assert suggestion.text and suggestion.text == clean_reply(suggestion.text)
    assert "\n" not in suggestion.text
    assert suggestion.model == LOCAL_MODEL
    assert suggestion.first_token_ms is not None
    assert suggestion.first_token_ms <= suggestion.total_ms
    # The call goes as a chat: the customer as the user, the agent as the assistant.
    messages = proxy.bodies()[-1]["messages"]
    assert [m["role"] for m in messages] == ["system", "assistant", "user", "assistant", "user"]
    assert "Retention offer" in messages[0]["content"]
    assert messages[-1]["content"] == "About five years, and the price keeps going up."
    assert proxy.bodies()[-1]["stop"] == ["\n"]


async def test_a_summary_comes_from_the_model_as_schema_json(
    router: ModelRouter, proxy: LlmProxy
) -> None:
    # The grammar llama.cpp builds from the schema holds the model to it.
    answer = await router.complete(
        ROUTE.model_copy(update={"timeout_ms": 30_000}), summary_request(CALL)
    )
    assert parse_summary(answer.text) is not None, answer.text
    # Whether the tiny model's summary is kept depends on grounded_summary; either way the
    # call gets one.
    summary = await summarize_call(router, ROUTE, turns=CALL, timeout_ms=30_000)
    assert summary.source in ("model", "extractive")
    assert summary.model == (LOCAL_MODEL if summary.source == "model" else None)
    assert summary.reason.strip()
    assert isinstance(summary.resolution, str)
    assert all(isinstance(item, str) and item for item in summary.follow_ups)
    sent = proxy.bodies()[-1]
    assert sent["response_format"] == {"type": "json_object", "schema": SUMMARY_SCHEMA}


async def test_digits_and_email_addresses_never_reach_the_model(
    router: ModelRouter, proxy: LlmProxy
) -> None:
    # Text that upstream redaction missed: the last guard masks it before any prompt.
    leaky = [
        ("customer", "My card is 4111 1111 1111 1111 and my account 88812345."),
        ("customer", "Write to jane.doe+bills@example.co.uk or jane dot doe at example dot com"),
        ("agent", "Thanks, and the phone number 555-0199?"),
    ]
    await suggest_reply(router, ROUTE, turns=leaky, article="Call 0800 123 4567 for help.")
    await summarize_call(router, ROUTE, turns=leaky, timeout_ms=30_000)
    sent = proxy.sent_text()
    assert len(proxy.bodies()) == 2
    for secret in ("4111", "1111", "88812345", "0199", "4567", "jane", "example", "@"):
        assert secret not in sent
    assert DIGITS_MASK in sent and EMAIL_MASK in sent


async def test_the_summary_falls_back_to_extractive_when_the_model_hangs(
    router: ModelRouter, proxy: LlmProxy
) -> None:
    proxy.mode = ProxyMode.HANG
    started = time.monotonic()
    # The call's own timeout_ms replaces the route's (ten seconds).
    summary = await summarize_call(router, ROUTE, turns=CALL, timeout_ms=300)
    assert time.monotonic() - started < 0.3 + 0.4
    assert summary == extractive_summary(CALL)
    assert summary.source == "extractive" and summary.model is None
    assert "cancel my contract" in summary.reason


async def test_the_summary_falls_back_when_the_model_errors(
    router: ModelRouter, proxy: LlmProxy
) -> None:
    proxy.mode = ProxyMode.ERROR
    summary = await summarize_call(router, ROUTE, turns=CALL)
    assert summary.source == "extractive"


async def test_a_hanging_model_gives_no_suggested_reply(
    router: ModelRouter, proxy: LlmProxy
) -> None:
    proxy.mode = ProxyMode.HANG
    with pytest.raises(ModelTimeout):
        await suggest_reply(router, ModelRoute(timeout_ms=200), turns=CALL[:2])


async def test_a_refused_route_gives_an_extractive_summary() -> None:
    router = ModelRouter(local_url=None)
    summary = await summarize_call(router, ModelRoute(), turns=CALL)
    assert summary.source == "extractive"
    with pytest.raises(ModelUnavailable):
        await suggest_reply(router, ModelRoute(), turns=CALL)


async def test_a_call_without_turns_has_an_empty_summary() -> None:
    summary = await summarize_call(ModelRouter(), ModelRoute(), turns=[])
    assert summary == CallSummary(reason="", resolution="", source="extractive")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("card 4111 1111 1111 1111", f"card {DIGITS_MASK}"),
        ("card 4111-1111-1111-1111.", f"card {DIGITS_MASK}."),
        ("call 555-0199 now", f"call {DIGITS_MASK} now"),
        ("spoken 4 1 1 1", f"spoken {DIGITS_MASK}"),
        ("account 12345678", f"account {DIGITS_MASK}"),
        ("I have 2 cats and 365 days", "I have 2 cats and 365 days"),
        ("mail a.b+c@mail.example.org today", f"mail {EMAIL_MASK} today"),
        ("it is jane dot doe at gmail dot com", f"it is {EMAIL_MASK}"),
        ("meet me at the shop", "meet me at the shop"),
    ],
)
def test_mask_for_model(text: str, masked: str) -> None:
    assert mask_for_model(text) == masked


@pytest.mark.parametrize(
    ("raw", "reply"),
    [
        ('Agent: "Sure, I can help with that."', "Sure, I can help with that."),
        ("The agent's next sentence is: \"I'm sorry.\"", "I'm sorry."),
        ("Reply: We can offer 20% off.\nCustomer: ok", "We can offer 20% off."),
        ("I can help. Customer: thanks", "I can help."),
        (
            "Customer: I want to cancel.\nAgent: Let me help you with that.",
            "Let me help you with that.",
        ),
        ("  \n ", ""),
        ("Of course, let me check that for you.", "Of course, let me check that for you."),
        ("I see. Let me check. One moment please.", "I see. Let me check."),
    ],
)
def test_clean_reply(raw: str, reply: str) -> None:
    assert clean_reply(raw) == reply


def test_unusable_model_json_is_rejected() -> None:
    assert parse_summary('{"reason": "billing", "resolution": "discount", "follow_ups": []}')
    assert parse_summary('{"reason": "billing", "resolution": "disc') is None  # truncated
    assert parse_summary('{"reason": "", "resolution": "x", "follow_ups": []}') is None
    assert parse_summary('{"reason": "x", "resolution": 3, "follow_ups": []}') is None
    assert parse_summary('["reason"]') is None
    assert parse_summary("no json here") is None


def test_extractive_summary_takes_substantive_sentences() -> None:
    summary = extractive_summary([("customer", "Hi there."), *CALL])
    assert summary.reason == "I want to cancel my contract, my bill went up again this month."
    assert summary.resolution == "I can offer you a loyalty discount of twenty percent for a year."
    assert summary.follow_ups == ["I will email you the new terms within two business days."]


CALL_TURNS = [
    ("customer", "I want to cancel my subscription, it costs too much."),
    ("agent", "I can switch you to the basic plan for six dollars a month."),
    ("customer", "Okay, switch me to the basic plan."),
]


def test_a_grounded_summary_is_kept() -> None:
    assert grounded_summary(
        "The customer wanted to cancel the subscription because of its cost.",
        "Switched to the basic plan.",
        [],
        turns=CALL_TURNS,
    )


@pytest.mark.parametrize(
    ("reason", "resolution"),
    [
        ("I'm sorry, I can't help you with that", "The plan was changed."),
        ("The customer wanted to cancel.", "No, no, no, no, no, no, no, no, no, no"),
        ("A question about the weather tomorrow", "Answered."),
        ("Why the customer called: to cancel the subscription", "Switched to the basic plan."),
        ("The customer wanted to cancel the subscription.", "[PHONE_NUMBER]"),
    ],
)
def test_refusals_loops_and_unrelated_summaries_are_not_kept(reason: str, resolution: str) -> None:
    assert not grounded_summary(reason, resolution, [], turns=CALL_TURNS)


def test_a_follow_up_that_is_only_a_redacted_value_is_not_kept() -> None:
    reason, resolution = "The customer wanted to cancel the subscription.", "Basic plan."
    assert grounded_summary(reason, resolution, [], turns=CALL_TURNS)
    assert not grounded_summary(reason, resolution, ["[DATE_OF_BIRTH]"], turns=CALL_TURNS)


def test_a_reply_keeps_only_sentences_about_the_call() -> None:
    context = [text for _, text in CALL_TURNS] + ["Offer the basic plan before cancelling."]
    reply = "I'm sorry for your loss. I can move you to the basic plan today."
    assert grounded_reply(reply, context) == "I can move you to the basic plan today."
    # courtesy alone says nothing about this call
    assert grounded_reply("Of course, I'm happy to help.", context) == ""
