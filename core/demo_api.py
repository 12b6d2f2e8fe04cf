"""The demo backend that the files in ``sample_actions/`` talk to.

A small FastAPI app that behaves like the real services a custom action calls: a CRM
(bearer token), a helpdesk (basic auth), an inventory service (``X-API-Key`` header),
an order service (its own bearer token), a booking service (bearer) and a caller
verification endpoint (credentials in the JSON body). Every endpoint checks its
credentials and answers 401 with a JSON error when they are missing or wrong, 404 for an
unknown record, 422 for a malformed value, exactly like a service you would connect.

A handful of troubleshooting endpoints (no auth) reproduce the failures the debug view
explains: a slow endpoint, a flaky one, one that answers HTML, one that answers a large
body, and a redirect.

It binds to 127.0.0.1 only and never imports streamlit. Each :func:`create_app` call has
its own in-memory state, so servers (and tests) are independent.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import copy
import errno
import json
import os
import re
import secrets
import socket
import sys
import threading
import time
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any, Literal, Optional, Union

import uvicorn
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.errors import DemoApiError

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_BASE_URL",
    "DEMO_SECRETS",
    "DemoApiError",
    "DemoServer",
    "apply_demo_secrets",
    "create_app",
    "demo_api_running",
    "rebase_url",
    "serve",
    "start_demo_api",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_BASE_URL = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"

#: Environment variable names used by ``sample_actions/*.json`` (as ``env:NAME``) and the
#: values the demo backend accepts. They are demo values, not secrets of anything real.
DEMO_SECRETS: dict[str, str] = {
    "DEMO_CRM_TOKEN": "demo-crm-token-7f3a",
    "DEMO_SUPPORT_USER": "agent@example.com",
    "DEMO_SUPPORT_PASSWORD": "demo-zendesk-pass",
    "DEMO_INVENTORY_KEY": "demo-inv-key-91c2",
    "DEMO_ORDERS_TOKEN": "demo-orders-token-4b8e",
    "DEMO_BOOKING_TOKEN": "demo-booking-token-c05d",
    "DEMO_VERIFY_API_KEY": "demo-verify-key-62aa",
}

SERVICE_NAME = "custom-actions-playground-demo-api"
STARTUP_TIMEOUT_S = 10.0
MAX_SLOW_DELAY_MS = 30_000
MAX_LARGE_KB = 16_384

SKU_RE = re.compile(r"^PROD-\d{5}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def apply_demo_secrets(environ: MutableMapping[str, str] | None = None) -> list[str]:
    """Set each :data:`DEMO_SECRETS` name that is unset (or empty) in ``environ``.

    Values already set are left alone (so a user can point a sample at a wrong token to
    see the 401). Returns the names that were set, in :data:`DEMO_SECRETS` order.
    """
    env = os.environ if environ is None else environ
    applied = []
    for name, value in DEMO_SECRETS.items():
        if not env.get(name):
            env[name] = value
            applied.append(name)
    return applied


def rebase_url(url: str, base_url: str) -> str:
    """Point a sample URL (``http://127.0.0.1:8765/...``) at another demo server."""
    if url.startswith(DEFAULT_BASE_URL):
        return base_url.rstrip("/") + url[len(DEFAULT_BASE_URL):]
    return url


# --------------------------------------------------------------------------- seed data

SEED_CUSTOMERS: dict[str, dict[str, Any]] = {
    "CUST-1001": {
        "customer_id": "CUST-1001",
        "name": "Ada Lovelace",
        "email": "ada.lovelace@example.com",
        "phone": "+15551234567",
        "tier": "gold",
        "account_status": "active",
        "customer_since": "2021-03-14",
        "lifetime_value": 4820.5,
        "preferred_language": "en",
    },
    "CUST-1002": {
        "customer_id": "CUST-1002",
        "name": "Grace Hopper",
        "email": "grace.hopper@example.com",
        "phone": "+15559876543",
        "tier": "silver",
        "account_status": "active",
        "customer_since": "2023-07-02",
        "lifetime_value": 1210.0,
        "preferred_language": "en",
    },
    "CUST-1003": {
        "customer_id": "CUST-1003",
        "name": "Alan Turing",
        "email": "alan.turing@example.com",
        "phone": "+447700900123",
        "tier": "bronze",
        "account_status": "suspended",
        "customer_since": "2024-11-30",
        "lifetime_value": 89.99,
        "preferred_language": "en-GB",
    },
}

SEED_ORDERS: dict[str, dict[str, Any]] = {
    "ORD-10042": {
        "order_number": "ORD-10042",
        "customer_id": "CUST-1001",
        "status": "shipped",
        "carrier": "UPS",
        "tracking_number": "1Z999AA10123456784",
        "ordered_on": "2026-11-20",
        "estimated_delivery": "2026-11-28",
        "items": [{"sku": "PROD-12345", "name": "Wireless Headphones X2", "quantity": 1}],
        "total": 149.0,
        "currency": "USD",
    },
    "ORD-10043": {
        "order_number": "ORD-10043",
        "customer_id": "CUST-1002",
        "status": "processing",
        "carrier": None,
        "tracking_number": None,
        "ordered_on": "2026-11-24",
        "estimated_delivery": "2026-12-02",
        "items": [{"sku": "PROD-11111", "name": "Ergonomic Mouse", "quantity": 2}],
        "total": 79.98,
        "currency": "USD",
    },
    "ORD-10044": {
        "order_number": "ORD-10044",
        "customer_id": "CUST-1001",
        "status": "delivered",
        "carrier": "FedEx",
        "tracking_number": "449044304137821",
        "ordered_on": "2026-10-30",
        "estimated_delivery": "2026-11-04",
        "delivered_on": "2026-11-03",
        "items": [{"sku": "PROD-54321", "name": "USB-C Dock", "quantity": 1}],
        "total": 219.0,
        "currency": "USD",
    },
    "ORD-10045": {
        "order_number": "ORD-10045",
        "customer_id": "CUST-1003",
        "status": "cancelled",
        "carrier": None,
        "tracking_number": None,
        "ordered_on": "2026-11-10",
        "estimated_delivery": None,
        "cancel_reason": "payment declined",
        "items": [{"sku": "PROD-12345", "name": "Wireless Headphones X2", "quantity": 1}],
        "total": 149.0,
        "currency": "USD",
    },
}

SEED_INVENTORY: dict[str, dict[str, Any]] = {
    "PROD-12345": {
        "sku": "PROD-12345",
        "name": "Wireless Headphones X2",
        "in_stock": True,
        "quantity_available": 42,
        "warehouse": "Reno, NV",
        "price": 149.0,
        "currency": "USD",
        "restock_date": None,
    },
    "PROD-54321": {
        "sku": "PROD-54321",
        "name": "USB-C Dock",
        "in_stock": False,
        "quantity_available": 0,
        "warehouse": "Columbus, OH",
        "price": 219.0,
        "currency": "USD",
        "restock_date": "2026-12-15",
    },
    "PROD-11111": {
        "sku": "PROD-11111",
        "name": "Ergonomic Mouse",
        "in_stock": True,
        "quantity_available": 7,
        "warehouse": "Reno, NV",
        "price": 39.99,
        "currency": "USD",
        "restock_date": None,
    },
}

SEED_TICKETS: dict[str, dict[str, Any]] = {
    "TCK-4999": {
        "ticket_id": "TCK-4999",
        "customer_id": "CUST-1001",
        "issue_description": "Headphones do not pair with my laptop",
        "priority_level": "normal",
        "status": "open",
        "created_at": "2026-11-21T09:12:00Z",
        "requester": "agent@example.com",
    },
    "TCK-5000": {
        "ticket_id": "TCK-5000",
        "customer_id": "CUST-1002",
        "issue_description": "Refund not received for a cancelled order",
        "priority_level": "high",
        "status": "pending",
        "created_at": "2026-11-23T16:40:00Z",
        "requester": "agent@example.com",
    },
}

SEED_APPOINTMENTS: dict[str, dict[str, Any]] = {
    "BKG-7001": {
        "booking_id": "BKG-7001",
        "status": "confirmed",
        "calendar_email": "sales@example.com",
        "date": "2026-12-01",
        "start_time": "10:00",
        "duration_minutes": 30,
        "customer_email": "grace.hopper@example.com",
    },
    "BKG-7002": {
        "booking_id": "BKG-7002",
        "status": "confirmed",
        "calendar_email": "sales@example.com",
        "date": "2026-12-02",
        "start_time": "14:30",
        "duration_minutes": 30,
        "customer_email": "ada.lovelace@example.com",
    },
}

SLOTS = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "13:00", "13:30",
         "14:00", "14:30", "15:00", "15:30", "16:00", "16:30"]


@dataclass
class DemoState:
    """In-memory data of one app instance."""

    customers: dict[str, dict[str, Any]] = field(default_factory=lambda: copy.deepcopy(SEED_CUSTOMERS))
    orders: dict[str, dict[str, Any]] = field(default_factory=lambda: copy.deepcopy(SEED_ORDERS))
    inventory: dict[str, dict[str, Any]] = field(default_factory=lambda: copy.deepcopy(SEED_INVENTORY))
    tickets: dict[str, dict[str, Any]] = field(default_factory=lambda: copy.deepcopy(SEED_TICKETS))
    appointments: dict[str, dict[str, Any]] = field(default_factory=lambda: copy.deepcopy(SEED_APPOINTMENTS))
    next_ticket: int = 5001
    next_booking: int = 7003
    flaky_calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


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


def _error_response(status_code: int, error: str, message: str,
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


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error_response(exc.status_code, exc.error, exc.message, exc.headers, **exc.extra)

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
        return _error_response(422, "validation_error", message, details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = getattr(exc, "headers", None)
        if exc.status_code == 404:
            return _error_response(404, "not_found",
                                   f"no endpoint at {request.method} {request.url.path}", headers)
        if exc.status_code == 405:
            allowed = (headers or {}).get("Allow", "")
            return _error_response(405, "method_not_allowed",
                                   f"{request.method} is not allowed on {request.url.path}"
                                   + (f"; allowed: {allowed}" if allowed else ""), headers)
        return _error_response(exc.status_code, "http_error", str(exc.detail), headers)

    @app.exception_handler(Exception)
    async def _internal_error(_request: Request, exc: Exception) -> JSONResponse:
        return _error_response(500, "internal_error", f"{type(exc).__name__}: {exc}")


# --------------------------------------------------------------------------- auth


def _equal(given: str, expected: str) -> bool:
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
        if not _equal(token.strip(), expected):
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
        if not sep or not (_equal(user, expected_user) & _equal(password, expected_password)):
            raise ApiError(401, "unauthorized", "invalid username or password", challenge)
        return user

    return check


def _api_key(header_name: str, secret_name: str):
    expected = DEMO_SECRETS[secret_name]

    async def check(request: Request) -> None:
        given = request.headers.get(header_name)
        if not given:
            raise ApiError(401, "unauthorized", f"missing API key: send the '{header_name}' header")
        if not _equal(given.strip(), expected):
            raise ApiError(401, "unauthorized", f"invalid API key in '{header_name}'")

    return check


crm_auth = _bearer("DEMO_CRM_TOKEN", "crm")
orders_auth = _bearer("DEMO_ORDERS_TOKEN", "orders")
booking_auth = _bearer("DEMO_BOOKING_TOKEN", "booking")
support_auth = _basic("DEMO_SUPPORT_USER", "DEMO_SUPPORT_PASSWORD", "support")
inventory_auth = _api_key("X-API-Key", "DEMO_INVENTORY_KEY")


# --------------------------------------------------------------------------- request models


class TicketIn(BaseModel):
    issue_description: str = Field(min_length=3, max_length=5000,
                                   description="What the caller needs help with")
    priority_level: Literal["low", "normal", "high", "urgent"] = Field(
        description="One of low, normal, high, urgent")


def _check_email(value: Any) -> str:
    if not isinstance(value, str) or not EMAIL_RE.match(value.strip()):
        raise ValueError(f"{value!r} is not an email address (like jane.doe@example.com)")
    return value.strip()


class AppointmentIn(BaseModel):
    calendar_email: str = Field(description="Email of the calendar to book on (the {{cal_email}} runtime variable)")
    date: str = Field(description="Day of the appointment, YYYY-MM-DD", examples=["2026-12-01"])
    customer_email: str = Field(description="Email address of the customer")

    @field_validator("calendar_email", "customer_email", mode="before")
    @classmethod
    def _email(cls, value: Any) -> str:
        return _check_email(value)

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> str:
        if not isinstance(value, str) or not DATE_RE.match(value.strip()):
            raise ValueError(f"{value!r} is not a date in YYYY-MM-DD format (like 2026-12-01)")
        try:
            Date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a real calendar date") from None
        return value.strip()


class VerifyIn(BaseModel):
    api_key: Optional[str] = Field(default=None, description="The verification API key (body auth)")
    phone: Optional[Union[str, int]] = Field(default=None,
                                             description="The caller's phone number, E.164 like +15551234567")


def _normalize_phone(value: str) -> str | None:
    text = value.strip()
    if not re.fullmatch(r"\+?[\d\s().\-]+", text):
        return None
    digits = re.sub(r"\D", "", text)
    if not text.startswith("+") and len(digits) == 10:
        digits = "1" + digits  # a US number without its country code
    if not 8 <= len(digits) <= 15:
        return None
    return "+" + digits


# --------------------------------------------------------------------------- app


def create_app() -> FastAPI:
    """A fresh demo app with its own in-memory seed data."""
    app = FastAPI(
        title="Custom Actions Playground demo API",
        version="1.0",
        description="A local stand-in for the services the sample custom actions call. "
                    "Demo credentials only; binds to 127.0.0.1.",
    )
    state = DemoState()
    app.state.demo = state
    _install_error_handlers(app)

    # ---- health
    @app.get("/health", tags=["meta"])
    async def health() -> dict[str, Any]:
        return {"status": "ok", "service": SERVICE_NAME}

    # ---- 1. CRM
    @app.get("/crm/customers", tags=["crm"], dependencies=[Depends(crm_auth)],
             summary="Look up a customer by customer id")
    async def crm_customer(customer_id: str = Query(min_length=1, examples=["CUST-1001"])) -> dict[str, Any]:
        key = customer_id.strip().upper()
        customer = state.customers.get(key)
        if customer is None:
            raise ApiError(404, "not_found", f"no customer with customer_id '{customer_id}'")
        open_tickets = sum(1 for t in state.tickets.values() if t.get("customer_id") == key
                           and t["status"] in ("open", "pending"))
        orders = [o["order_number"] for o in state.orders.values() if o["customer_id"] == key]
        return {**customer, "open_tickets": open_tickets, "recent_orders": orders}

    # ---- 2. Support tickets
    @app.post("/support/tickets", tags=["support"], status_code=201,
              summary="Create a support ticket")
    async def create_ticket(ticket: TicketIn, requester: str = Depends(support_auth)) -> dict[str, Any]:
        with state.lock:
            ticket_id = f"TCK-{state.next_ticket}"
            state.next_ticket += 1
        record = {
            "ticket_id": ticket_id,
            "issue_description": ticket.issue_description,
            "priority_level": ticket.priority_level,
            "status": "open",
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "requester": requester,
        }
        state.tickets[ticket_id] = record
        eta = {"urgent": "1 hour", "high": "4 hours", "normal": "1 business day", "low": "3 business days"}
        return {**record, "expected_response": eta[ticket.priority_level]}

    @app.get("/support/tickets/{ticket_id}", tags=["support"], dependencies=[Depends(support_auth)],
             summary="Read a support ticket")
    async def get_ticket(ticket_id: str) -> dict[str, Any]:
        record = state.tickets.get(ticket_id.strip().upper())
        if record is None:
            raise ApiError(404, "not_found", f"no ticket with id '{ticket_id}'")
        return record

    # ---- 3. Inventory
    @app.get("/inventory/availability", tags=["inventory"], dependencies=[Depends(inventory_auth)],
             summary="Check stock for a product SKU")
    async def inventory(sku: str = Query(min_length=1, examples=["PROD-12345"])) -> dict[str, Any]:
        key = sku.strip().upper()
        if not SKU_RE.match(key):
            raise ApiError(422, "validation_error",
                           f"sku '{sku}' is not a valid SKU: expected PROD- followed by 5 digits, like PROD-12345",
                           details=[{"location": "query", "field": "sku", "type": "pattern",
                                     "message": "expected PROD-\\d{5}"}])
        item = state.inventory.get(key)
        if item is None:
            raise ApiError(404, "not_found", f"no product with sku '{key}'")
        return item

    # ---- 4. Orders
    @app.get("/orders/status", tags=["orders"], dependencies=[Depends(orders_auth)],
             summary="Shipping status of an order")
    async def order_status(order_number: str = Query(min_length=1, examples=["ORD-10042"])) -> dict[str, Any]:
        key = order_number.strip().upper()
        order = state.orders.get(key)
        if order is None:
            raise ApiError(404, "not_found", f"no order with order_number '{order_number}'")
        return order

    # ---- 5. Appointments
    @app.post("/appointments", tags=["booking"], status_code=201, dependencies=[Depends(booking_auth)],
              summary="Book an appointment")
    async def book(appointment: AppointmentIn) -> dict[str, Any]:
        taken = {a["start_time"] for a in state.appointments.values()
                 if a["calendar_email"].lower() == appointment.calendar_email.lower()
                 and a["date"] == appointment.date and a["status"] == "confirmed"}
        free = [s for s in SLOTS if s not in taken]
        if not free:
            raise ApiError(409, "fully_booked",
                           f"no free slot on {appointment.date} for {appointment.calendar_email}; pick another date")
        with state.lock:
            booking_id = f"BKG-{state.next_booking}"
            state.next_booking += 1
        record = {
            "booking_id": booking_id,
            "status": "confirmed",
            "calendar_email": appointment.calendar_email,
            "date": appointment.date,
            "start_time": free[0],
            "duration_minutes": 30,
            "customer_email": appointment.customer_email,
        }
        state.appointments[booking_id] = record
        return {**record, "message": f"Booked {appointment.date} at {free[0]}; "
                                     f"a confirmation was sent to {appointment.customer_email}."}

    @app.get("/appointments", tags=["booking"], dependencies=[Depends(booking_auth)],
             summary="List appointments")
    async def list_appointments(customer_email: Optional[str] = None) -> dict[str, Any]:
        items = [a for a in state.appointments.values()
                 if customer_email is None or a["customer_email"].lower() == customer_email.strip().lower()]
        return {"appointments": items, "count": len(items)}

    # ---- 6. Caller verification (credentials in the body)
    @app.post("/auth/verify", tags=["auth"], summary="Verify a caller by phone (api_key in the body)")
    async def verify(payload: VerifyIn) -> dict[str, Any]:
        if not payload.api_key:
            raise ApiError(401, "unauthorized", "missing api_key in the request body")
        if not _equal(payload.api_key, DEMO_SECRETS["DEMO_VERIFY_API_KEY"]):
            raise ApiError(401, "unauthorized", "invalid api_key")
        if payload.phone is None or payload.phone == "":
            raise ApiError(422, "validation_error", "body field 'phone' is required",
                           details=[{"location": "body", "field": "phone", "type": "missing",
                                     "message": "body field 'phone' is required"}])
        phone = _normalize_phone(str(payload.phone))
        if phone is None:
            message = f"body field 'phone': {payload.phone!r} is not a phone number (like +15551234567)"
            raise ApiError(422, "validation_error", message,
                           details=[{"location": "body", "field": "phone", "type": "value_error",
                                     "message": message}])
        for customer in state.customers.values():
            if customer["phone"] == phone:
                return {"verified": True, "customer_id": customer["customer_id"], "name": customer["name"],
                        "phone": phone}
        return {"verified": False, "customer_id": None, "phone": phone,
                "message": "no customer is registered with this phone number"}

    # ---- 7. Troubleshooting endpoints (no auth)
    @app.get("/debug/slow", tags=["debug"], summary=f"Answer after delay_ms (at most {MAX_SLOW_DELAY_MS} ms)")
    async def slow(request: Request, delay_ms: int = Query(default=1500, ge=0)) -> dict[str, Any]:
        actual = min(delay_ms, MAX_SLOW_DELAY_MS)
        started = time.perf_counter()
        deadline = started + actual / 1000
        # sleep in short steps and give up when the client has gone (a caller that timed out),
        # so an abandoned slow request does not hold up shutdown
        while (left := deadline - time.perf_counter()) > 0:
            await asyncio.sleep(min(left, 0.05))
            if await request.is_disconnected():
                break
        return {
            "report": "monthly-sales",
            "status": "ready",
            "requested_delay_ms": delay_ms,
            "delay_ms": actual,
            "capped": actual != delay_ms,
            "waited_ms": round((time.perf_counter() - started) * 1000),
        }

    @app.get("/debug/flaky", tags=["debug"], summary="Fails every other call with 503")
    async def flaky() -> JSONResponse:
        with state.lock:
            state.flaky_calls += 1
            call = state.flaky_calls
        if call % 2 == 0:
            return _error_response(503, "service_unavailable",
                                   "the service is temporarily unavailable; retry in a moment",
                                   {"Retry-After": "1"}, call=call)
        return JSONResponse({"status": "ok", "call": call, "message": "the service answered this time"})

    @app.get("/debug/html", tags=["debug"], response_class=HTMLResponse, summary="Answers an HTML page")
    async def html_page() -> HTMLResponse:
        return HTMLResponse(HTML_PAGE, status_code=200)

    @app.get("/debug/large", tags=["debug"], summary=f"Answers a JSON body of about kb KiB (1..{MAX_LARGE_KB})")
    async def large(kb: int = Query(default=512, ge=1, le=MAX_LARGE_KB)) -> Response:
        return Response(_large_body(kb), media_type="application/json")

    @app.get("/debug/redirect", tags=["debug"], summary="302 to /debug/redirect-target")
    async def redirect(request: Request) -> RedirectResponse:
        target = str(request.url_for("redirect_target"))
        if request.url.query:
            target += "?" + request.url.query
        return RedirectResponse(target, status_code=302)

    @app.get("/debug/redirect-target", tags=["debug"], name="redirect_target")
    async def redirect_target(request: Request) -> dict[str, Any]:
        return {"redirected": True, "path": request.url.path, "query": dict(request.query_params),
                "message": "you reached the redirect target; the original URL answered 302"}

    return app


HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Acme Support - Sign in</title></head>
<body>
  <h1>Sign in to Acme Support</h1>
  <p>This is a web page, not an API. Check the endpoint URL of your action.</p>
  <form method="post" action="/login">
    <label>Email <input type="email" name="email"></label>
    <label>Password <input type="password" name="password"></label>
    <button type="submit">Sign in</button>
  </form>
</body>
</html>
"""


def _large_body(kb: int) -> bytes:
    """A JSON document of exactly ``kb`` KiB: ``{"kb": .., "rows": [...], "padding": "..."}``."""
    target = kb * 1024
    head = f'{{"kb":{kb},"rows":['.encode()
    rows = []
    size = len(head) + len(b'],"padding":""}')
    i = 0
    while True:
        row = json.dumps({"id": i, "sku": f"PROD-{10000 + i % 90000:05d}", "quantity": i % 97,
                          "note": "demo row for a large response"}, separators=(",", ":")).encode()
        extra = len(row) + (1 if rows else 0)
        if size + extra > target:
            break
        rows.append(row)
        size += extra
        i += 1
    padding = b"x" * (target - size)
    return head + b",".join(rows) + b'],"padding":"' + padding + b'"}'


# --------------------------------------------------------------------------- serving


def _busy_message(host: str, port: int) -> str:
    return (f"port {port} is busy: stop the other process or pass --port N "
            f"(e.g. --port 0 for any free port)")


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or DemoApiError with a one-line fix."""
    if not 0 <= port <= 65535:
        raise DemoApiError(f"port {port} is out of range: pass --port N with 0 <= N <= 65535 (0 = any free port)")
    # proto=IPPROTO_TCP matters: accepted sockets inherit it, and asyncio only sets TCP_NODELAY on
    # sockets whose proto is IPPROTO_TCP. Without it every response (headers and body are written
    # separately) waits ~40 ms for the client's delayed ACK (Nagle).
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM,
                         socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if sys.platform != "win32":
            # lets a restarted server reuse a port in TIME_WAIT; a live listener still conflicts
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
            raise DemoApiError(_busy_message(host, port)) from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise DemoApiError(f"port {port} needs privileges: pass --port N with N >= 1024 "
                               f"(e.g. --port 0 for any free port)") from None
        raise DemoApiError(f"cannot listen on {host}:{port} ({exc.strerror or exc}): "
                           f"pass --port N (e.g. --port 0 for any free port)") from None
    sock.set_inheritable(True)
    return sock


def _config(app: FastAPI, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        log_config=None,  # leave the host application's logging alone
        loop="asyncio",
        http="h11",
        ws="none",
        lifespan="off",
        timeout_graceful_shutdown=1,
    )


class DemoServer:
    """A demo API running in a background daemon thread."""

    def __init__(self, server: uvicorn.Server, thread: threading.Thread, sock: socket.socket,
                 host: str, port: int, app: FastAPI) -> None:
        self._server = server
        self._thread = thread
        self._sock = sock
        self.host = host
        self.port = port
        self.app = app
        self.base_url = f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"

    def url(self, path: str = "") -> str:
        return self.base_url + ("/" + path.lstrip("/") if path else "")

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and not self._server.should_exit

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the server and wait for its thread (idempotent)."""
        self._server.should_exit = True
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        try:
            self._sock.close()
        except OSError:
            pass

    def __enter__(self) -> "DemoServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"DemoServer({self.base_url}, running={self.running})"


def start_demo_api(port: int | None = DEFAULT_PORT, host: str = DEFAULT_HOST) -> DemoServer:
    """Start a fresh demo API in a daemon thread and return once it serves requests.

    ``port=0`` (or ``None``) picks a free port. Raises :class:`DemoApiError` when the port
    is busy or the server does not come up within ~10 s.
    """
    sock = _bind(host, 0 if port is None else port)
    actual_port = sock.getsockname()[1]
    app = create_app()
    server = uvicorn.Server(_config(app, host, actual_port))
    failure: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # noqa: BLE001 - reported to the starting thread
            failure.append(exc)

    thread = threading.Thread(target=run, name=f"demo-api-{actual_port}", daemon=True)
    handle = DemoServer(server, thread, sock, host, actual_port, app)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not server.started:
        if failure or not thread.is_alive():
            handle.stop()
            reason = f"{type(failure[0]).__name__}: {failure[0]}" if failure else "the server thread exited"
            raise DemoApiError(f"the demo API on port {actual_port} failed to start ({reason}); "
                               f"try another port with --port N")
        if time.monotonic() > deadline:
            handle.stop()
            raise DemoApiError(f"the demo API on port {actual_port} did not start within "
                               f"{STARTUP_TIMEOUT_S:.0f} s; try again or pass --port N")
        time.sleep(0.005)
    return handle


def demo_api_running(port: int = DEFAULT_PORT, host: str = DEFAULT_HOST, timeout: float = 1.0) -> bool:
    """True when a demo API (this module's, any process) answers /health on host:port."""
    import httpx

    try:
        response = httpx.get(f"http://{host}:{port}/health", timeout=timeout)
        return response.status_code == 200 and response.json().get("service") == SERVICE_NAME
    except (httpx.HTTPError, ValueError, AttributeError):
        return False


def serve(port: int = DEFAULT_PORT, host: str = DEFAULT_HOST) -> None:
    """Run the demo API in the foreground until Ctrl+C (``playground demo-api``).

    The port is bound before uvicorn starts, so a busy port raises :class:`DemoApiError`
    with a one-line message instead of a uvicorn traceback.
    """
    sock = _bind(host, port)
    actual_port = sock.getsockname()[1]
    app = create_app()
    server = uvicorn.Server(_config(app, host, actual_port))
    print(f"Demo API listening on http://{host}:{actual_port}  (Ctrl+C to stop)", flush=True)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
