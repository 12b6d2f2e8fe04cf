"""The demo API's FastAPI app: endpoints, seed data, auth checks and error shapes."""


from __future__ import annotations

import asyncio
import copy
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any, Literal, Optional, Union

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, field_validator

from . import DEMO_SECRETS, SERVICE_NAME
from .checks import (
    ApiError,
    booking_auth,
    crm_auth,
    error_response,
    install_error_handlers,
    inventory_auth,
    orders_auth,
    secrets_equal,
    support_auth,
)
from .voice import voice_router
from .data import SEED_APPOINTMENTS, SEED_CUSTOMERS, SEED_INVENTORY, SEED_ORDERS, SEED_TICKETS

MAX_SLOW_DELAY_MS = 30_000
MAX_LARGE_KB = 16_384
SKU_RE = re.compile(r"^PROD-\d{5}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

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
    install_error_handlers(app)
    app.include_router(voice_router())  # result picks, retries, dead air, async calls, OAuth2

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
        if not secrets_equal(payload.api_key, DEMO_SECRETS["DEMO_VERIFY_API_KEY"]):
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
            return error_response(503, "service_unavailable",
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
