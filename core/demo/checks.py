"""The demo API's error shapes (JSON errors like a real service) and its auth checks."""

from __future__ import annotations

import base64
import binascii
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import DEMO_SECRETS

# --------------------------------------------------------------------------- errors


class ApiError(Exception):
    """An error answer of the demo services: ``{"error": code, "message": text}``."""

    def __init__(self, status_code: int, error: str, message: str,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.error = error
        self.message = message
        self.headers = headers
        self.extra = extra


def error_response(status_code: int, error: str, message: str,
                    headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": error, "message": message, **extra},
                        status_code=status_code, headers=headers)


def _field_path(loc: tuple[Any, ...] | list[Any]) -> tuple[str, str]:
    """(where, dotted field) from a pydantic error location like ('body', 'priority_level')."""
    parts = list(loc)
    where = str(parts.pop(0)) if parts and parts[0] in ("body", "query", "header", "path", "cookie") else "body"
    return where, ".".join(str(p) for p in parts)


def _validation_details(errors: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    details = []
    messages = []
    for err in errors:
        where, name = _field_path(err.get("loc", ()))
        kind = err.get("type", "")
        msg = str(err.get("msg", "invalid value"))
        if kind == "json_invalid":
            reason = (err.get("ctx") or {}).get("error", "")
            text = f"request body is not valid JSON{': ' + str(reason) if reason else ''}"
            details.append({"location": "body", "field": None, "type": kind, "message": text})
            messages.append(text)
            continue
        if kind == "body_type":
            text = msg
        elif kind == "missing" and where == "body" and not name:
            text = "request body is missing: send a JSON object"
        elif kind == "missing":
            text = f"{where} field '{name}' is required"
        else:
            msg = msg.removeprefix("Value error, ")
            text = f"{where} field '{name}': {msg}" if name else f"{where}: {msg}"
        details.append({"location": where, "field": name or None, "type": kind, "message": text})
        messages.append(text)
    return "; ".join(messages) or "invalid request", details


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status_code, exc.error, exc.message, exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        whole_body = [e for e in errors if tuple(e.get("loc", ())) == ("body",)
                      and e.get("type") in ("model_attributes_type", "dict_type")]
        if whole_body:
            content_type = request.headers.get("content-type", "")
            if "json" not in content_type.lower():
                text = ("request body must be JSON sent with 'Content-Type: application/json' "
                        f"(got {('content-type ' + repr(content_type)) if content_type else 'no content-type'})")
            else:
                text = "request body must be a JSON object like {\"field\": \"value\"}"
            whole_body[0]["msg"] = text
            whole_body[0]["type"] = "body_type"
        message, details = _validation_details(errors)
        return error_response(422, "validation_error", message, details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = getattr(exc, "headers", None)
        if exc.status_code == 404:
            return error_response(404, "not_found",
                                   f"no endpoint at {request.method} {request.url.path}", headers)
        if exc.status_code == 405:
            allowed = (headers or {}).get("Allow", "")
            return error_response(405, "method_not_allowed",
                                   f"{request.method} is not allowed on {request.url.path}"
                                   + (f"; allowed: {allowed}" if allowed else ""), headers)
        return error_response(exc.status_code, "http_error", str(exc.detail), headers)

    @app.exception_handler(Exception)
    async def _internal_error(_request: Request, exc: Exception) -> JSONResponse:
        return error_response(500, "internal_error", f"{type(exc).__name__}: {exc}")


# --------------------------------------------------------------------------- auth


def secrets_equal(given: str, expected: str) -> bool:
    return secrets.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _bearer(secret_name: str, realm: str):
    expected = DEMO_SECRETS[secret_name]
    challenge = {"WWW-Authenticate": f'Bearer realm="{realm}"'}

    async def check(request: Request) -> None:
        header = request.headers.get("authorization")
        if not header:
            raise ApiError(401, "unauthorized", "missing bearer token: send 'Authorization: Bearer <token>'",
                           challenge)
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "unauthorized", "Authorization header is not a bearer token", challenge)
        if not secrets_equal(token.strip(), expected):
            raise ApiError(401, "unauthorized", "invalid bearer token", challenge)

    return check


def _basic(user_name: str, password_name: str, realm: str):
    expected_user = DEMO_SECRETS[user_name]
    expected_password = DEMO_SECRETS[password_name]
    challenge = {"WWW-Authenticate": f'Basic realm="{realm}"'}

    async def check(request: Request) -> str:
        header = request.headers.get("authorization")
        if not header:
            raise ApiError(401, "unauthorized", "missing credentials: send 'Authorization: Basic <base64(user:password)>'",
                           challenge)
        scheme, _, encoded = header.strip().partition(" ")
        if scheme.lower() != "basic":
            raise ApiError(401, "unauthorized", "Authorization header is not Basic credentials", challenge)
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise ApiError(401, "unauthorized", "Basic credentials are not valid base64 of user:password",
                           challenge) from None
        user, sep, password = decoded.partition(":")
        if not sep or not (secrets_equal(user, expected_user) & secrets_equal(password, expected_password)):
            raise ApiError(401, "unauthorized", "invalid username or password", challenge)
        return user

    return check


def _api_key(header_name: str, secret_name: str):
    expected = DEMO_SECRETS[secret_name]

    async def check(request: Request) -> None:
        given = request.headers.get(header_name)
        if not given:
            raise ApiError(401, "unauthorized", f"missing API key: send the '{header_name}' header")
        if not secrets_equal(given.strip(), expected):
            raise ApiError(401, "unauthorized", f"invalid API key in '{header_name}'")

    return check


crm_auth = _bearer("DEMO_CRM_TOKEN", "crm")
orders_auth = _bearer("DEMO_ORDERS_TOKEN", "orders")
booking_auth = _bearer("DEMO_BOOKING_TOKEN", "booking")
support_auth = _basic("DEMO_SUPPORT_USER", "DEMO_SUPPORT_PASSWORD", "support")
inventory_auth = _api_key("X-API-Key", "DEMO_INVENTORY_KEY")
