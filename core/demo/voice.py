"""Demo endpoints for voice-call realities: a verbose caller record (result picks) and a callback that uses
its customer id (result variables), an unreliable billing service (retries), a slow calendar search
(dead air), a slow SMS gateway (async calls) and an OAuth2 client-credentials token endpoint with an API behind it.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import email.utils
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import parse_qsl, unquote_plus

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from . import DEMO_SECRETS
from .checks import ApiError, error_response, secrets_equal
from .data import SEED_CUSTOMERS

OAUTH_SCOPES = ("accounts:read", "accounts:write")
TOKEN_LIFETIME_S = 3600
MAX_DELAY_MS = 10_000

ACCOUNTS: dict[str, dict[str, Any]] = {
    "ACC-1001": {"account_id": "ACC-1001", "customer_id": "CUST-1001", "plan": "Unlimited Plus", "monthly_fee": 65.0,
                 "data_used_gb": 18.4, "data_limit_gb": None, "contract_ends": "2027-03-31", "autopay": True},
    "ACC-1002": {"account_id": "ACC-1002", "customer_id": "CUST-1002", "plan": "Basic 10 GB", "monthly_fee": 30.0,
                 "data_used_gb": 9.1, "data_limit_gb": 10, "contract_ends": None, "autopay": False},
}


@dataclass
class VoiceState:
    """In-memory state of one demo app: failure counters, tokens, callbacks and messages."""

    unstable_calls: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, float] = field(default_factory=dict)  # access token -> expiry (epoch s)
    token_requests: int = 0
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class CallbackIn(BaseModel):
    customer_id: str = Field(min_length=1, description="The customer's id, e.g. CUST-1001 (from the customer lookup)")
    reason: str = Field(min_length=2, max_length=500, description="Why the customer wants a call back")
    phone: Optional[str] = Field(default=None, description="The number to call back")


class SmsIn(BaseModel):
    to: str = Field(min_length=5, description="The phone number, E.164 like +15551234567")
    message: str = Field(min_length=1, max_length=640)


def _caller_record(customer: dict[str, Any], phone: str) -> dict[str, Any]:
    """A CRM's full caller record, like real CRMs answer: far more than a caller needs to hear."""
    history = [{"at": f"2026-{1 + i % 11:02d}-{1 + (i * 3) % 27:02d}T{9 + i % 8:02d}:00:00Z",
                "channel": ["phone", "email", "chat"][i % 3], "agent": f"agent-{100 + i}",
                "summary": ["Billing question", "Delivery delay", "Password reset", "Plan upgrade"][i % 4],
                "sentiment": ["neutral", "positive", "negative"][i % 3]} for i in range(20)]
    return {
        "match": "exact",
        "customer": {"id": customer["customer_id"], "name": customer["name"], "tier": customer["tier"],
                     "email": customer["email"], "phone": customer["phone"], "status": customer["account_status"],
                     "language": customer["preferred_language"], "since": customer["customer_since"]},
        "interactions": history,
        "marketing": {"segments": ["loyal", "mobile-first"], "opt_in": {"email": True, "sms": False}},
        "lookup": {"phone": phone, "source": "crm", "took_ms": 12},
    }


def _client(request: Request, form: dict[str, str]) -> tuple[str, str]:
    """(client_id, client_secret) from HTTP Basic (client_secret_basic) or the form (client_secret_post)."""
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
        return unquote_plus(user), unquote_plus(password)
    return form.get("client_id", ""), form.get("client_secret", "")


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Basic realm="oauth"'} if status == 401 else None
    return JSONResponse({"error": error, "error_description": description}, status_code=status,
                        headers={"Cache-Control": "no-store", **(headers or {})})


async def _pause(request: Request, delay_ms: int) -> None:
    """Wait, in short steps, giving up when the client has gone."""
    deadline = time.perf_counter() + min(max(delay_ms, 0), MAX_DELAY_MS) / 1000
    while (left := deadline - time.perf_counter()) > 0:
        await asyncio.sleep(min(left, 0.05))
        if await request.is_disconnected():
            return


def voice_router() -> APIRouter:
    """The voice endpoints with their own state (one per demo app)."""
    router = APIRouter()
    state = VoiceState()

    def oauth_bearer(request: Request) -> None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        challenge = {"WWW-Authenticate": 'Bearer realm="accounts", error="invalid_token"'}
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "unauthorized", "missing bearer token: get one from /oauth/token", challenge)
        expiry = state.tokens.get(token.strip())
        if expiry is None or expiry < time.time():
            raise ApiError(401, "invalid_token", "the access token is unknown, expired or revoked", challenge)

    # ---- result variables: a lookup whose id a later action uses
    @router.get("/voice/customers/by-phone", tags=["voice"], summary="Find the customer calling from a number")
    async def by_phone(phone: str = Query(min_length=3, examples=["+15551234567"])) -> dict[str, Any]:
        digits = "".join(c for c in phone if c.isdigit())
        for customer in SEED_CUSTOMERS.values():
            if "".join(c for c in customer["phone"] if c.isdigit()) == digits:
                return _caller_record(customer, phone)
        raise ApiError(404, "not_found", f"no customer with phone '{phone}'")

    @router.post("/voice/callbacks", tags=["voice"], status_code=201, summary="Schedule a call back for a customer")
    async def callback(payload: CallbackIn) -> dict[str, Any]:
        if payload.customer_id.strip().upper() not in SEED_CUSTOMERS:
            raise ApiError(404, "not_found", f"no customer with id '{payload.customer_id}'")
        with state.lock:
            record = {"callback_id": f"CB-{3001 + len(state.callbacks)}", "customer_id": payload.customer_id,
                      "reason": payload.reason, "phone": payload.phone, "scheduled_for": "within 2 hours"}
            state.callbacks.append(record)
        return record

    # ---- retries: fails the first N calls per key
    @router.api_route("/voice/billing/balance", methods=["GET", "POST"], tags=["voice"],
                      summary="An unreliable billing system: 503 to the first `fail_first` calls with the same `key` "
                              "(Retry-After: `retry_after` seconds, or `date`), then 200")
    async def unstable(key: str = "default", fail_first: int = Query(default=2, ge=0, le=10),
                       status: int = Query(default=503, ge=500, le=599), retry_after: Optional[str] = None,
                       account_id: Optional[str] = None) -> JSONResponse:
        with state.lock:
            state.unstable_calls[key] = call = state.unstable_calls.get(key, 0) + 1
        if call <= fail_first:
            headers = {}
            if retry_after == "date":  # an HTTP date one second ahead
                headers["Retry-After"] = email.utils.formatdate(time.time() + 1, usegmt=True)
            elif retry_after:
                headers["Retry-After"] = retry_after
            return error_response(status, "service_unavailable", "the billing system is busy; retry shortly",
                                  headers, call=call)
        return JSONResponse({"account_id": account_id or "ACC-1001", "balance_due": 42.17, "currency": "USD",
                             "due_date": "2026-12-15", "call": call})

    @router.get("/voice/billing/calls", tags=["voice"], summary="How many calls each key made")
    async def unstable_calls() -> dict[str, int]:
        return dict(state.unstable_calls)

    # ---- dead air: a slow search
    @router.get("/voice/technicians/availability", tags=["voice"],
                summary=f"Free technician slots; answers after delay_ms (default 2500, at most {MAX_DELAY_MS})")
    async def availability(request: Request, zip_code: str = Query(min_length=3, examples=["94107"]),
                           delay_ms: int = Query(default=2500, ge=0)) -> dict[str, Any]:
        await _pause(request, delay_ms)
        return {"zip_code": zip_code, "slots": [{"date": "2026-12-02", "window": "09:00-12:00"},
                                                {"date": "2026-12-03", "window": "13:00-17:00"}],
                "first_available": "2026-12-02 09:00-12:00"}

    # ---- async: a slow SMS gateway
    @router.post("/voice/sms", tags=["voice"], status_code=202, summary="Queue an SMS (slow: answers after delay_ms)")
    async def send_sms(payload: SmsIn, request: Request, delay_ms: int = Query(default=1500, ge=0)) -> dict[str, Any]:
        await _pause(request, delay_ms)
        with state.lock:
            record = {"sms_id": f"SMS-{9001 + len(state.messages)}", "to": payload.to, "message": payload.message,
                      "status": "queued"}
            state.messages.append(record)
        return record

    @router.get("/voice/sms", tags=["voice"], summary="The messages sent so far")
    async def list_sms() -> dict[str, Any]:
        return {"messages": list(state.messages), "count": len(state.messages)}

    # ---- OAuth2 client credentials
    @router.post("/oauth/token", tags=["oauth"], summary="OAuth2 token endpoint (client_credentials grant)")
    async def token(request: Request) -> JSONResponse:
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))  # application/x-www-form-urlencoded
        with state.lock:
            state.token_requests += 1
        client_id, client_secret = _client(request, form)
        if not (secrets_equal(client_id, DEMO_SECRETS["DEMO_OAUTH_CLIENT_ID"])
                & secrets_equal(client_secret, DEMO_SECRETS["DEMO_OAUTH_CLIENT_SECRET"])):
            return _oauth_error(401, "invalid_client", "Client authentication failed: unknown client or wrong secret")
        if form.get("grant_type") != "client_credentials":
            return _oauth_error(400, "unsupported_grant_type", "only the client_credentials grant is supported")
        scopes = form.get("scope", "").split()
        unknown = [s for s in scopes if s not in OAUTH_SCOPES]
        if unknown:
            return _oauth_error(400, "invalid_scope", f"scope {' '.join(unknown)!r} is not allowed for this client; "
                                f"allowed: {' '.join(OAUTH_SCOPES)}")
        access = "demo-at-" + secrets.token_hex(12)
        state.tokens[access] = time.time() + TOKEN_LIFETIME_S
        return JSONResponse({"access_token": access, "token_type": "Bearer", "expires_in": TOKEN_LIFETIME_S,
                             "scope": " ".join(scopes) or "accounts:read"}, headers={"Cache-Control": "no-store"})

    @router.get("/oauth/stats", tags=["oauth"], summary="Token requests received and tokens live")
    async def oauth_stats() -> dict[str, int]:
        return {"token_requests": state.token_requests, "live_tokens": sum(t > time.time() for t in state.tokens.values())}

    @router.post("/oauth/revoke-all", tags=["oauth"], summary="Revoke every token (the next call gets 401)")
    async def revoke_all() -> dict[str, int]:
        with state.lock:
            count = len(state.tokens)
            state.tokens.clear()
        return {"revoked": count}

    @router.get("/voice/accounts", tags=["voice"], dependencies=[Depends(oauth_bearer)],
                summary="A phone account's plan and usage (OAuth2 bearer token)")
    async def account(account_id: str = Query(min_length=1, examples=["ACC-1001"])) -> dict[str, Any]:
        record = ACCOUNTS.get(account_id.strip().upper())
        if record is None:
            raise ApiError(404, "not_found", f"no account with account_id '{account_id}'")
        return record

    return router
