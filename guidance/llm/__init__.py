"""Model providers behind one small interface, and the router that picks one per tenant
route (see docs/design.md, "ML router")."""

from guidance.llm.base import (
    ChatMessage,
    ChatProvider,
    ChatRequest,
    ChatResult,
    ModelError,
    ModelTimeout,
    ModelUnavailable,
)
from guidance.llm.router import ModelRouter

__all__ = [
    "ChatMessage",
    "ChatProvider",
    "ChatRequest",
    "ChatResult",
    "ModelError",
    "ModelRouter",
    "ModelTimeout",
    "ModelUnavailable",
]
