"""Any OpenAI-compatible Chat Completions server (OpenAI, Ollama, vLLM, LM Studio, llama.cpp)."""

from __future__ import annotations

from typing import Any, AsyncIterator

import openai

from ..errors import ModelError
from ..secret import default_resolver, sources_of, where_to_set
from .base import AssistantTurn, Message, ModelOutput, ToolCall

KEY_ENV = "OPENAI_API_KEY"


def _refuses_tools(exc: openai.BadRequestError) -> bool:
    """A 400 about the ``tools`` parameter itself, not about the messages (e.g. "messages with role 'tool'
    must be a response to a preceding message with 'tool_calls'" is a conversation error)."""
    body = exc.body
    text = str(body.get("message") or "") if isinstance(body, dict) else ""
    text = (text or str(exc)).lower()
    return "tool" in text and "message" not in text


#: Where the user fixes each thing, in the place they are: the command line or the app's Settings page.
FIXES: dict[str, dict[str, str]] = {
    "cli": {"key": f"check {KEY_ENV} or --api-key", "base_url": "check --base-url and that the server is running",
            "model": "check the model name (--model openai:NAME)", "offline": "use --model offline",
            "set_key": "pass --api-key or set it"},
    "app": {"key": "check the API key in Settings (entered there, or OPENAI_API_KEY)",
            "base_url": "check the Base URL in Settings and that the server is running",
            "model": "pick another model name in Settings", "offline": "choose the offline simulator in Settings",
            "set_key": "enter it in Settings or set it"},
}


def model_error(exc: Exception, model: str, base_url: str, place: str = "cli") -> ModelError:
    """An SDK exception as a ModelError whose message says the fix, for the ``place`` (cli or app) the user is in."""
    fix = FIXES[place]
    if isinstance(exc, openai.AuthenticationError):
        return ModelError(f"the model server at {base_url} rejected the API key (401): {fix['key']}", "model_auth")
    if isinstance(exc, openai.RateLimitError):
        return ModelError("the model server is rate limiting (429): wait a moment and retry, or check your quota",
                          "model_rate_limit")
    if isinstance(exc, openai.APITimeoutError):
        return ModelError(f"the model server at {base_url} did not answer in time: retry, or use a smaller model",
                          "model_timeout")
    if isinstance(exc, openai.APIConnectionError):
        return ModelError(f"cannot reach the model server at {base_url}: {fix['base_url']}", "model_connection")
    if isinstance(exc, openai.NotFoundError):
        return ModelError(f"model {model!r} was not found at {base_url}: {fix['model']}", "model_not_found")
    if isinstance(exc, openai.BadRequestError) and _refuses_tools(exc):
        return ModelError(f"model {model!r} at {base_url} does not support tool calling: pick a model that supports "
                          f"tools (function calling), or {fix['offline']}", "model_no_tools")
    if isinstance(exc, openai.APIStatusError):
        return ModelError(f"the model server answered {exc.status_code}: {exc.message}", "model_error")
    return ModelError(f"the model call failed: {exc}", "model_error")


class OpenAIModel:
    """Chat Completions with tools, streamed by default."""

    def __init__(self, model: str, *, base_url: str | None = None, api_key: str | None = None,
                 stream: bool = True, timeout_s: float = 60.0, max_retries: int = 1,
                 client: openai.AsyncOpenAI | None = None, place: str = "cli") -> None:
        self.model = model
        self.place = place  # "cli" or "app": where error messages send the user to fix things
        self.name = f"openai:{model}"
        self.stream = stream
        resolver = default_resolver()  # the environment, then .streamlit/secrets.toml: as for actions' env:NAME
        key = api_key or resolver(KEY_ENV)
        if client is None and not key:
            if base_url is None:
                fix = FIXES[place]
                raise ModelError(f"{KEY_ENV} is not set: {fix['set_key']} ({where_to_set(KEY_ENV, sources_of(resolver))}), "
                                 f"or {fix['offline']}", "model_auth")
            key = "not-needed"  # local servers (Ollama, llama.cpp) accept any key
        self.client = client or openai.AsyncOpenAI(api_key=key, base_url=base_url, timeout=timeout_s,
                                                   max_retries=max_retries)
        self.base_url = str(self.client.base_url)

    async def aclose(self) -> None:
        """Close the SDK client's connections (call it on the loop that used the model)."""
        await self.client.close()

    async def respond(self, messages: list[Message], tools: list[dict[str, Any]]) -> AsyncIterator[ModelOutput]:
        kwargs: dict[str, Any] = {"model": self.model, "messages": [m.to_openai() for m in messages]}
        if tools:
            kwargs["tools"] = tools
        try:
            if not self.stream:
                resp = await self.client.chat.completions.create(**kwargs)
                msg = resp.choices[0].message
                if msg.content:
                    yield msg.content
                calls = [ToolCall(id=c.id or f"call_{i}", name=c.function.name, arguments=c.function.arguments or "{}")
                         for i, c in enumerate(msg.tool_calls or []) if getattr(c, "function", None)]
                yield AssistantTurn(text=msg.content or "", tool_calls=calls)
                return
            text: list[str] = []
            partial: dict[int, dict[str, str]] = {}
            stream = await self.client.chat.completions.create(**kwargs, stream=True)
            async for chunk in stream:
                if not chunk.choices:
                    continue
                delta = chunk.choices[0].delta
                if delta.content:
                    text.append(delta.content)
                    yield delta.content
                for tc in delta.tool_calls or []:
                    slot = partial.setdefault(tc.index, {"id": "", "name": "", "arguments": ""})
                    slot["id"] = tc.id or slot["id"]
                    if tc.function is not None:
                        slot["name"] += tc.function.name or ""
                        slot["arguments"] += tc.function.arguments or ""
        except openai.OpenAIError as exc:
            raise model_error(exc, self.model, self.base_url, self.place) from None
        calls = [ToolCall(id=s["id"] or f"call_{i}", name=s["name"], arguments=s["arguments"] or "{}")
                 for i, s in sorted(partial.items())]
        yield AssistantTurn(text="".join(text), tool_calls=calls)

    async def ping(self) -> float:
        """One minimal real request (a one-token completion): the key, the URL and the model work.
        Returns the time it took in ms; raises ModelError saying what to fix."""
        import time

        started = time.perf_counter()
        try:
            await self.client.chat.completions.create(model=self.model, max_tokens=1,
                                                      messages=[{"role": "user", "content": "ping"}])
        except openai.OpenAIError as exc:
            raise model_error(exc, self.model, self.base_url, self.place) from None
        return (time.perf_counter() - started) * 1000

    async def list_models(self) -> list[str] | None:
        """The model names the server lists (GET /models), or None when it lists none or cannot."""
        try:
            page = await self.client.models.list()
        except openai.OpenAIError:
            return None
        names = sorted({m.id for m in page.data if getattr(m, "id", None)})
        return names or None
