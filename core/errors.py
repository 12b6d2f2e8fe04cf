"""One error tree. Every message says what went wrong *and* how to fix it."""

from __future__ import annotations


class PlaygroundError(Exception):
    """Root of every error the playground raises; its message says how to fix it."""


class ActionFileError(PlaygroundError):
    """An action file (or action definition) is invalid."""


class TemplateError(PlaygroundError):
    """A {{placeholder}} cannot be rendered."""


class InvalidRequestError(TemplateError):
    """The rendered request would be invalid (a header value with a line break, a body that is not JSON)."""


class VariableError(PlaygroundError):
    """A variable value is missing or has the wrong type."""


class SecretError(PlaygroundError):
    """A secret reference (env:NAME) cannot be resolved."""


class SecretValueError(SecretError):
    """A secret resolved to a value that cannot be sent (whitespace at its ends, a control character)."""


class RequestBlockedError(PlaygroundError):
    """A request was refused before it was sent (e.g. a cloud-metadata address)."""


class ModelError(PlaygroundError):
    """A chat model failed (auth, rate limit, connection, unsupported feature)."""

    def __init__(self, message: str, kind: str = "model") -> None:
        super().__init__(message)
        self.kind = kind


class ImportSourceError(PlaygroundError):
    """An import's input is not what it claims to be (not cURL, not OpenAPI), or asks for what an action
    cannot express (a file upload, Digest auth)."""


class ScenarioError(PlaygroundError):
    """A scenario file is invalid."""


class DemoApiError(PlaygroundError):
    """The demo API could not start."""


class OAuthTokenError(PlaygroundError):
    """The OAuth2 token request failed (the token endpoint refused the client, the scope, or is not one)."""

    def __init__(self, message: str, error: str = "") -> None:
        super().__init__(message)
        self.error = error  # the OAuth2 error code (invalid_client, invalid_scope, ...), or ""
