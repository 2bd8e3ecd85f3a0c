"""The guidance policy schema: the issue's example is accepted as written, and every
mistake is refused naming the path of the field it is in."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from callguide.policy_file import GUIDANCE, PolicyFileError
from guidance.policy import (
    DEFAULT_GUIDANCE_POLICY,
    DEFAULT_SIMILARITY,
    LOCAL_MODEL,
    MAX_ARTICLE_BODY_CHARS,
    MAX_ARTICLES,
    MAX_KNOWLEDGE_CHARS,
    MAX_MOMENTS,
    MAX_PHRASES,
    Generate,
    GuidancePolicy,
    HintType,
    Provider,
    Speaker,
)

EXAMPLE_FILE = Path(__file__).parents[2] / "examples" / "guidance-policy.yaml"

# Issue 10's example, exactly as written there: it must be accepted unchanged.
ISSUE_EXAMPLE = """\
moments:
  - id: cancel-intent
    speaker: customer
    phrases: ["cancel my", "close my account"]
    examples: ["I want to stop my subscription", "I would like to end my contract"]
    cooldown_s: 300
    hint: {type: reminder, title: Retention offer, body: Offer the loyalty discount before cancelling.}
  - id: verify-identity
    speaker: agent
    absent_within_s: 90          # fires when the agent has not said any of these by then
    phrases: ["date of birth", "verify your identity"]
    hint: {type: reminder, title: Verify identity, body: Ask for full name and date of birth.}
  - id: customer-question
    speaker: customer
    questions: true              # answer customer questions from the knowledge base
    hint: {type: knowledge}
knowledge:
  articles:
    - {id: kb-roaming, title: International roaming, body: "...", tags: [roaming, travel]}
model:
  provider: local                # local | openai | fireworks
  model: accounts/acme/models/acme-lora-v3
  timeout_ms: 800
  generate: [suggested_reply, summary]
"""  # noqa: E501


def example() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ISSUE_EXAMPLE)
    return data


def problems(data: object) -> list[tuple[str, str]]:
    """(path, message) of every problem, paths written as the API and the CLI write them."""
    with pytest.raises(ValidationError) as caught:
        GuidancePolicy.model_validate(data)
    return [(".".join(map(str, e["loc"])), e["msg"]) for e in caught.value.errors()]


def test_the_issue_example_loads_as_written() -> None:
    policy = GuidancePolicy.model_validate(example())
    cancel, verify, question = policy.moments
    assert cancel.id == "cancel-intent" and cancel.speaker is Speaker.CUSTOMER
    assert cancel.phrases == ("cancel my", "close my account")
    assert len(cancel.examples) == 2 and cancel.similarity == DEFAULT_SIMILARITY
    assert cancel.cooldown_s == 300 and cancel.hint.type is HintType.REMINDER
    assert cancel.hint.title == "Retention offer"
    assert verify.absent_within_s == 90 and verify.speaker is Speaker.AGENT
    assert verify.cooldown_s == 120  # the default
    assert question.questions and question.hint.type is HintType.KNOWLEDGE
    assert question.hint.title is None and question.hint.body is None
    assert policy.knowledge.articles[0].tags == ("roaming", "travel")
    assert policy.model.provider is Provider.LOCAL
    assert policy.model.model == "accounts/acme/models/acme-lora-v3"
    assert policy.model.generate == (Generate.SUGGESTED_REPLY, Generate.SUMMARY)
    assert policy.deadline_ms == 1000
    assert policy.moment("verify-identity") is verify and policy.moment("nope") is None


def test_the_example_file_is_the_issue_example_and_round_trips() -> None:
    loaded = GUIDANCE.load(EXAMPLE_FILE)
    assert loaded == GuidancePolicy.model_validate(example())
    # What is stored (JSON) reads back to the same policy.
    assert GuidancePolicy.model_validate(loaded.model_dump(mode="json")) == loaded
    assert GuidancePolicy.model_validate_json(loaded.model_dump_json()) == loaded


def test_the_default_policy_guides_nothing_with_the_local_model() -> None:
    assert GuidancePolicy.model_validate({}) == DEFAULT_GUIDANCE_POLICY
    assert (
        DEFAULT_GUIDANCE_POLICY.moments == () and DEFAULT_GUIDANCE_POLICY.knowledge.articles == ()
    )
    route = DEFAULT_GUIDANCE_POLICY.model
    assert route.provider is Provider.LOCAL and route.model == LOCAL_MODEL
    assert route.generate == (Generate.SUMMARY,) and route.task_queue is None
    again = DEFAULT_GUIDANCE_POLICY.model_dump(mode="json")
    assert GuidancePolicy.model_validate(again) == DEFAULT_GUIDANCE_POLICY


def edited(path: str, value: object) -> dict[str, Any]:
    """The example with the field at `path` (dots; list indexes as numbers) set to value,
    or removed when value is DELETE."""
    data = copy.deepcopy(example())
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    node: Any = data
    for part in parents:
        node = node[part]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value
    return data


DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "error_path", "message"),
    [
        ("moments.1.hint.type", "remind", "moments.1.hint.type", "Input should be 'reminder'"),
        ("moments.0.hint.title", DELETE, "moments.0.hint.title", "a reminder hint needs a title"),
        ("moments.1.hint.body", DELETE, "moments.1.hint.body", "a reminder hint needs a body"),
        ("moments.0.hint.colour", "red", "moments.0.hint.colour", "Extra inputs"),
        ("moments.0.speeker", "agent", "moments.0.speeker", "Extra inputs"),  # a typo
        ("moments.0.speaker", "robot", "moments.0.speaker", "Input should be 'customer'"),
        ("moments.0.id", "Cancel Intent", "moments.0.id", "must be a slug"),
        ("moments.0.id", "", "moments.0.id", "at least 1 character"),
        ("moments.0.cooldown_s", -1, "moments.0.cooldown_s", "greater than or equal to 0"),
        ("moments.0.cooldown_s", "300", "moments.0.cooldown_s", "valid integer"),
        ("moments.0.cooldown_s", 1.5, "moments.0.cooldown_s", "valid integer"),
        ("moments.0.similarity", 1.5, "moments.0.similarity", "less than or equal to 1"),
        ("moments.0.phrases", "cancel my", "moments.0.phrases", "valid tuple"),
        ("moments.0.phrases.1", "   ", "moments.0.phrases.1", "must not be blank"),
        ("moments.0.phrases.1", "close\nmy", "moments.0.phrases.1", "no line breaks"),
        ("moments.0.phrases.0", "nul\x00", "moments.0.phrases.0", "control characters"),
        ("moments.0.examples.0", "x" * 501, "moments.0.examples.0", "at most 500"),
        ("moments.2.questions", "yes", "moments.2.questions", "valid boolean"),
        ("moments.1.absent_within_s", 0, "moments.1.absent_within_s", "greater than or equal"),
        ("moments.1.phrases", [], "moments.1.phrases", "an absence moment needs the phrases"),
        ("moments.1.questions", True, "moments.1.questions", "triggered by its phrases only"),
        ("moments.1.examples", ["hello"], "moments.1.examples", "triggered by its phrases only"),
        ("moments.2.questions", False, "moments.2", "a moment needs a trigger"),
        ("moments.2.hint.article", "kb-nope", "moments.2.hint.article", "no article 'kb-nope'"),
        ("moments.0.hint.article", "kb-roaming", "moments.0.hint.article", "only a knowledge"),
        ("moments.0.hint.ttl_s", 1, "moments.0.hint.ttl_s", "greater than or equal to 5"),
        ("moments.2.id", "cancel-intent", "moments.2.id", "already used by moments.0"),
        ("knowledge.articles.0.id", "kb roaming", "knowledge.articles.0.id", "may hold letters"),
        ("knowledge.articles.0.body", DELETE, "knowledge.articles.0.body", "Field required"),
        ("knowledge.articles.0.body", "", "knowledge.articles.0.body", "must not be blank"),
        ("knowledge.articles.0.tags", ["t"] * 21, "knowledge.articles.0.tags", "at most 20"),
        ("knowledge.artikles", [], "knowledge.artikles", "Extra inputs"),
        ("model.provider", "anthropic", "model.provider", "Input should be 'local'"),
        ("model.timeout_ms", 49, "model.timeout_ms", "greater than or equal to 50"),
        ("model.timeout_ms", 10001, "model.timeout_ms", "less than or equal to 10000"),
        ("model.generate", ["summary", "poem"], "model.generate.1", "Input should be"),
        ("model.generate", ["summary", "summary"], "model.generate.1", "listed twice"),
        ("model.api_key", "sk-secret", "model.api_key", "Extra inputs"),
        ("model.base_url", "ftp://models", "model.base_url", "http:// or https://"),
        ("model.deployment", "d1", "model.deployment", "only the fireworks provider"),
        ("model.task_queue", "gpu queue", "model.task_queue", "may hold letters"),
        ("deadline_ms", 50, "deadline_ms", "greater than or equal to 100"),
    ],
)
def test_each_mistake_names_its_path(
    path: str, value: object, error_path: str, message: str
) -> None:
    found = problems(edited(path, value))
    assert any(p == error_path and message in m for p, m in found), found


def test_a_suggested_reply_hint_needs_the_model_to_write_replies() -> None:
    data = edited("moments.2.hint", {"type": "suggested_reply"})
    assert GuidancePolicy.model_validate(data).moments[2].hint.type is HintType.SUGGESTED_REPLY
    data["model"]["generate"] = ["summary"]
    assert problems(data) == [
        ("moments.2.hint.type", "a suggested_reply hint needs suggested_reply in model.generate")
    ]


def test_ids_are_unique_and_every_repeat_is_named() -> None:
    data = example()
    data["moments"] += [copy.deepcopy(data["moments"][0]), copy.deepcopy(data["moments"][2])]
    data["knowledge"]["articles"] *= 3
    assert problems(data) == [
        ("knowledge.articles.1.id", "id 'kb-roaming' is already used by articles.0"),
        ("knowledge.articles.2.id", "id 'kb-roaming' is already used by articles.0"),
    ]
    data["knowledge"]["articles"] = data["knowledge"]["articles"][:1]
    assert problems(data) == [
        ("moments.3.id", "id 'cancel-intent' is already used by moments.0"),
        ("moments.4.id", "id 'customer-question' is already used by moments.2"),
    ]


def test_an_absence_moment_shows_a_reminder_or_a_named_article() -> None:
    data = edited("moments.1.hint", {"type": "knowledge"})
    assert problems(data) == [
        (
            "moments.1.hint.article",
            "an absence moment has no turn to search with: name the article to show",
        )
    ]
    data["moments"][1]["hint"]["article"] = "kb-roaming"
    assert GuidancePolicy.model_validate(data).moments[1].hint.article == "kb-roaming"


def test_other_providers_need_their_model_named() -> None:
    assert problems({"model": {"provider": "openai"}}) == [
        ("model.model", "the openai provider needs a model")
    ]
    assert problems({"model": {"provider": "fireworks", "model": "llama-3"}}) == [
        ("model.model", "a Fireworks model is named accounts/<account>/models/<model>")
    ]
    route = GuidancePolicy.model_validate(
        {
            "model": {
                "provider": "fireworks",
                "model": "accounts/acme/models/acme-lora-v3",
                "deployment": "accounts/acme/deployments/d1",
                "base_url": "http://127.0.0.1:8080/v1",
                "task_queue": "ml-gpu",
                "generate": [],
            }
        }
    ).model
    assert route.deployment == "accounts/acme/deployments/d1" and route.generate == ()
    openai = GuidancePolicy.model_validate({"model": {"provider": "openai", "model": "gpt-4o"}})
    assert openai.model.model == "gpt-4o"


def test_sizes_are_bounded() -> None:
    moment = {"id": "m", "phrases": ["hi"], "hint": {"type": "knowledge"}}
    many = [moment | {"id": f"m-{i}"} for i in range(MAX_MOMENTS + 1)]
    assert problems({"moments": many})[0][0] == "moments"
    phrases = [f"p{i}" for i in range(MAX_PHRASES + 1)]
    assert problems({"moments": [moment | {"phrases": phrases}]})[0][0] == "moments.0.phrases"
    article = {"id": "a", "title": "t", "body": "b"}
    articles = [article | {"id": f"a{i}"} for i in range(MAX_ARTICLES + 1)]
    assert problems({"knowledge": {"articles": articles}})[0][0] == "knowledge.articles"
    too_long = article | {"body": "x" * (MAX_ARTICLE_BODY_CHARS + 1)}
    assert problems({"knowledge": {"articles": [too_long]}})[0][0] == "knowledge.articles.0.body"
    # Each article within bounds, all of them together over the policy's budget.
    full = article | {"body": "x" * MAX_ARTICLE_BODY_CHARS}
    count = MAX_KNOWLEDGE_CHARS // MAX_ARTICLE_BODY_CHARS + 1
    heavy = [full | {"id": f"a{i}"} for i in range(count)]
    [(path, message)] = problems({"knowledge": {"articles": heavy}})
    assert path == "knowledge.articles" and f"at most {MAX_KNOWLEDGE_CHARS}" in message


def test_a_file_names_every_problem_with_its_path(tmp_path: Path) -> None:
    bad = tmp_path / "policy.yaml"
    bad.write_text(
        ISSUE_EXAMPLE.replace("type: knowledge", "type: knowledg")
        .replace("cooldown_s: 300", "cooldown_s: -3")
        .replace("timeout_ms: 800", "timeout_ms: 800\n  temperature: 0.2")
    )
    with pytest.raises(PolicyFileError) as caught:
        GUIDANCE.load(bad)
    lines = str(caught.value).splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        "moments.0.cooldown_s",
        "moments.2.hint.type",
        "model.temperature",
    ]
    assert all(line.startswith(f"{bad}: ") for line in lines)
    assert lines[2].endswith(
        "not a policy field (the fields are provider, model, base_url, deployment, "
        "timeout_ms, generate, task_queue)"
    )
