"""The demo backend itself, driven with httpx against a real loopback server.

The sample action files are run through the real executor in test_samples.py."""

from __future__ import annotations

import base64
import re
import socket
import time

import httpx
import pytest

from core.demo import (
    DEFAULT_BASE_URL,
    DEFAULT_PORT,
    DEMO_SECRETS,
    apply_demo_secrets,
    create_app,
    demo_api_running,
    rebase_url,
    serve,
    start_demo_api,
)
from core.errors import DemoApiError, PlaygroundError


def bearer(name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {DEMO_SECRETS[name]}"}


SUPPORT_AUTH = (DEMO_SECRETS["DEMO_SUPPORT_USER"], DEMO_SECRETS["DEMO_SUPPORT_PASSWORD"])
INVENTORY_KEY = {"X-API-Key": DEMO_SECRETS["DEMO_INVENTORY_KEY"]}


@pytest.fixture(scope="module")
def server():
    srv = start_demo_api(port=0)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.base_url, timeout=10) as c:
        yield c


def assert_error(response: httpx.Response, status: int, error: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert data["error"] == error
    assert isinstance(data["message"], str) and data["message"]
    return data


# --------------------------------------------------------------------------- server


def test_server_handle(server):
    assert server.base_url == f"http://127.0.0.1:{server.port}"
    assert server.port != 0
    assert server.running
    assert demo_api_running(server.port)


def test_listener_is_tcp_nodelay(server):
    # asyncio sets TCP_NODELAY only on accepted sockets whose proto is IPPROTO_TCP; without it
    # each response waits ~40 ms for the client's delayed ACK
    sock = server._sock
    assert sock.proto == socket.IPPROTO_TCP
    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_health(client):
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_busy_port_raises(server):
    with pytest.raises(DemoApiError, match="--port") as info:
        start_demo_api(port=server.port)
    assert isinstance(info.value, PlaygroundError)
    assert str(server.port) in str(info.value)
    assert "\n" not in str(info.value)


def test_busy_port_foreign_listener_and_serve():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    port = sock.getsockname()[1]
    try:
        with pytest.raises(DemoApiError, match="--port"):
            start_demo_api(port=port)
        with pytest.raises(DemoApiError, match="--port"):
            serve(port=port)
    finally:
        sock.close()


def test_stop_frees_port_and_restart_on_same_port():
    first = start_demo_api(port=0)
    port = first.port
    httpx.get(first.url("/health")).raise_for_status()
    first.stop()
    first.stop()  # idempotent
    assert not first.running
    assert not demo_api_running(port, timeout=0.5)
    with start_demo_api(port=port) as second:
        assert httpx.get(second.url("/health")).status_code == 200


def test_instances_have_independent_state():
    a, b = start_demo_api(port=0), start_demo_api(port=0)
    try:
        body = {"issue_description": "Printer on fire", "priority_level": "urgent"}
        ra = httpx.post(a.url("/support/tickets"), json=body, auth=SUPPORT_AUTH)
        ra2 = httpx.post(a.url("/support/tickets"), json=body, auth=SUPPORT_AUTH)
        rb = httpx.post(b.url("/support/tickets"), json=body, auth=SUPPORT_AUTH)
        assert [ra.json()["ticket_id"], ra2.json()["ticket_id"]] == ["TCK-5001", "TCK-5002"]
        assert rb.json()["ticket_id"] == "TCK-5001"
    finally:
        a.stop()
        b.stop()
    assert create_app() is not create_app()


def test_unknown_route_and_method_are_json(client):
    assert_error(client.get("/crm/customer", params={"customer_id": "CUST-1001"}), 404, "not_found")
    data = assert_error(client.delete("/crm/customers"), 405, "method_not_allowed")
    assert "GET" in data["message"]


# --------------------------------------------------------------------------- 1. CRM


def test_crm_lookup(client):
    r = client.get("/crm/customers", params={"customer_id": "CUST-1001"}, headers=bearer("DEMO_CRM_TOKEN"))
    assert r.status_code == 200
    data = r.json()
    assert data["customer_id"] == "CUST-1001"
    assert data["name"] == "Ada Lovelace"
    assert "ORD-10042" in data["recent_orders"]


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer wrong-token-123"},
    {"Authorization": f"Basic {DEMO_SECRETS['DEMO_CRM_TOKEN']}"},
    {"Authorization": f"Bearer {DEMO_SECRETS['DEMO_ORDERS_TOKEN']}"},  # another service's token
])
def test_crm_rejects_bad_auth(client, headers):
    r = client.get("/crm/customers", params={"customer_id": "CUST-1001"}, headers=headers)
    assert_error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"].startswith("Bearer")


def test_crm_unknown_customer_and_missing_param(client):
    data = assert_error(client.get("/crm/customers", params={"customer_id": "CUST-9999"},
                                   headers=bearer("DEMO_CRM_TOKEN")), 404, "not_found")
    assert "CUST-9999" in data["message"]
    data = assert_error(client.get("/crm/customers", headers=bearer("DEMO_CRM_TOKEN")), 422, "validation_error")
    assert "customer_id" in data["message"]


# --------------------------------------------------------------------------- 2. support tickets


def test_create_ticket(client):
    body = {"issue_description": "My headphones stop charging", "priority_level": "high"}
    r = client.post("/support/tickets", json=body, auth=SUPPORT_AUTH)
    assert r.status_code == 201, r.text
    data = r.json()
    assert re.fullmatch(r"TCK-\d{4,}", data["ticket_id"])
    assert data["priority_level"] == "high" and data["status"] == "open"
    again = client.get(f"/support/tickets/{data['ticket_id']}", auth=SUPPORT_AUTH)
    assert again.json()["issue_description"] == body["issue_description"]


@pytest.mark.parametrize("auth", [None, ("agent@example.com", "nope"), ("someone@example.com", "demo-zendesk-pass")])
def test_ticket_rejects_bad_auth(client, auth):
    body = {"issue_description": "x y z", "priority_level": "low"}
    r = client.post("/support/tickets", json=body, auth=auth)
    assert_error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"].startswith("Basic")


def test_ticket_rejects_garbage_basic_header(client):
    r = client.post("/support/tickets", json={}, headers={"Authorization": "Basic !!!notbase64"})
    assert_error(r, 401, "unauthorized")
    token = base64.b64encode(b"no-colon").decode()
    assert_error(client.post("/support/tickets", json={}, headers={"Authorization": f"Basic {token}"}),
                 401, "unauthorized")


@pytest.mark.parametrize("body, field", [
    ({"issue_description": "Broken", "priority_level": "critical"}, "priority_level"),
    ({"priority_level": "low"}, "issue_description"),
    ({"issue_description": "Broken"}, "priority_level"),
])
def test_ticket_validation(client, body, field):
    data = assert_error(client.post("/support/tickets", json=body, auth=SUPPORT_AUTH), 422, "validation_error")
    assert field in data["message"]
    assert any(d["field"] == field for d in data["details"])


def test_ticket_body_not_json(client):
    data = assert_error(client.post("/support/tickets", content=b'{"issue_description": "x",',
                                    headers={"Content-Type": "application/json"}, auth=SUPPORT_AUTH),
                        422, "validation_error")
    assert "not valid JSON" in data["message"]
    data = assert_error(client.post("/support/tickets", content=b'{"a": 1}', auth=SUPPORT_AUTH),
                        422, "validation_error")
    assert "Content-Type" in data["message"]
    data = assert_error(client.post("/support/tickets", auth=SUPPORT_AUTH), 422, "validation_error")
    assert "missing" in data["message"]


# --------------------------------------------------------------------------- 3. inventory


def test_inventory(client):
    r = client.get("/inventory/availability", params={"sku": "PROD-12345"}, headers=INVENTORY_KEY)
    assert r.status_code == 200
    assert r.json()["in_stock"] is True and r.json()["quantity_available"] > 0
    out = client.get("/inventory/availability", params={"sku": "PROD-54321"}, headers=INVENTORY_KEY).json()
    assert out["in_stock"] is False and out["restock_date"]


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}, bearer("DEMO_INVENTORY_KEY")])
def test_inventory_rejects_bad_key(client, headers):
    assert_error(client.get("/inventory/availability", params={"sku": "PROD-12345"}, headers=headers),
                 401, "unauthorized")


def test_inventory_bad_and_unknown_sku(client):
    data = assert_error(client.get("/inventory/availability", params={"sku": "12345"}, headers=INVENTORY_KEY),
                        422, "validation_error")
    assert "PROD-" in data["message"]
    assert_error(client.get("/inventory/availability", params={"sku": "PROD-99999"}, headers=INVENTORY_KEY),
                 404, "not_found")


# --------------------------------------------------------------------------- 4. orders


def test_order_status(client):
    r = client.get("/orders/status", params={"order_number": "ORD-10042"}, headers=bearer("DEMO_ORDERS_TOKEN"))
    assert r.status_code == 200
    assert r.json()["status"] == "shipped"


def test_order_status_errors(client):
    assert_error(client.get("/orders/status", params={"order_number": "ORD-10042"}), 401, "unauthorized")
    assert_error(client.get("/orders/status", params={"order_number": "ORD-10042"},
                            headers=bearer("DEMO_CRM_TOKEN")), 401, "unauthorized")
    assert_error(client.get("/orders/status", params={"order_number": "ORD-1"},
                            headers=bearer("DEMO_ORDERS_TOKEN")), 404, "not_found")


# --------------------------------------------------------------------------- 5. appointments


def test_book_appointment(client):
    body = {"calendar_email": "sales@example.com", "date": "2026-12-01", "customer_email": "jane.doe@example.com"}
    r = client.post("/appointments", json=body, headers=bearer("DEMO_BOOKING_TOKEN"))
    assert r.status_code == 201, r.text
    data = r.json()
    assert data["status"] == "confirmed" and data["booking_id"].startswith("BKG-")
    assert data["date"] == "2026-12-01" and data["start_time"] != "10:00"  # 10:00 is taken in the seed
    listed = client.get("/appointments", params={"customer_email": "jane.doe@example.com"},
                        headers=bearer("DEMO_BOOKING_TOKEN")).json()
    assert data["booking_id"] in [a["booking_id"] for a in listed["appointments"]]


@pytest.mark.parametrize("change, field", [
    ({"date": "2026-02-30"}, "date"),
    ({"date": "01/12/2026"}, "date"),
    ({"customer_email": "not-an-email"}, "customer_email"),
    ({"calendar_email": "{{cal_email}}"}, "calendar_email"),  # runtime variable not replaced
])
def test_book_appointment_validation(client, change, field):
    body = {"calendar_email": "sales@example.com", "date": "2026-12-01", "customer_email": "jane@example.com"}
    r = client.post("/appointments", json={**body, **change}, headers=bearer("DEMO_BOOKING_TOKEN"))
    data = assert_error(r, 422, "validation_error")
    assert field in data["message"]


def test_book_appointment_auth(client):
    body = {"calendar_email": "sales@example.com", "date": "2026-12-01", "customer_email": "jane@example.com"}
    assert_error(client.post("/appointments", json=body), 401, "unauthorized")


# --------------------------------------------------------------------------- 6. verify (body auth)


@pytest.mark.parametrize("phone", ["+15551234567", "(555) 123-4567", "+1 555-123-4567"])
def test_verify_caller(client, phone):
    r = client.post("/auth/verify", json={"api_key": DEMO_SECRETS["DEMO_VERIFY_API_KEY"], "phone": phone})
    assert r.status_code == 200
    assert r.json() == {"verified": True, "customer_id": "CUST-1001", "name": "Ada Lovelace", "phone": "+15551234567"}


def test_verify_unknown_phone_and_bad_phone(client):
    key = DEMO_SECRETS["DEMO_VERIFY_API_KEY"]
    data = client.post("/auth/verify", json={"api_key": key, "phone": "+15550000000"}).json()
    assert data["verified"] is False and data["customer_id"] is None
    assert_error(client.post("/auth/verify", json={"api_key": key, "phone": "call me"}), 422, "validation_error")
    assert_error(client.post("/auth/verify", json={"api_key": key}), 422, "validation_error")


@pytest.mark.parametrize("body", [{"phone": "+15551234567"}, {"api_key": "wrong", "phone": "+15551234567"},
                                  {"api_key": "wrong", "phone": "garbage"}])
def test_verify_rejects_bad_key(client, body):
    assert_error(client.post("/auth/verify", json=body), 401, "unauthorized")


# --------------------------------------------------------------------------- 7. troubleshooting


def test_slow(client):
    started = time.perf_counter()
    r = client.get("/debug/slow", params={"delay_ms": 300})
    elapsed = time.perf_counter() - started
    assert r.status_code == 200 and r.json()["delay_ms"] == 300
    assert 0.28 <= elapsed < 3


def test_slow_does_not_block_other_requests(server):
    with httpx.Client(base_url=server.base_url) as c1, httpx.Client(base_url=server.base_url) as c2:
        with pytest.raises(httpx.ReadTimeout):
            c1.get("/debug/slow", params={"delay_ms": 1500}, timeout=0.3)
        started = time.perf_counter()
        assert c2.get("/health").status_code == 200
        assert time.perf_counter() - started < 0.5


def test_slow_request_abandoned_by_its_client_ends(server):
    srv = start_demo_api(port=0)
    try:
        with httpx.Client() as c, pytest.raises(httpx.ReadTimeout):
            c.get(srv.url("/debug/slow"), params={"delay_ms": 20_000}, timeout=0.2)
        time.sleep(0.2)  # the handler notices the disconnect within ~50 ms
    finally:
        started = time.perf_counter()
        srv.stop()
    # an abandoned handler still sleeping would hold shutdown for the 1 s graceful timeout
    assert time.perf_counter() - started < 0.9


def test_slow_validation(client):
    assert_error(client.get("/debug/slow", params={"delay_ms": -5}), 422, "validation_error")
    assert_error(client.get("/debug/slow", params={"delay_ms": "soon"}), 422, "validation_error")


def test_flaky_alternates(client):
    statuses = [client.get("/debug/flaky").status_code for _ in range(4)]
    assert sorted(statuses) == [200, 200, 503, 503]
    assert statuses[0] != statuses[1] and statuses[1] != statuses[2] and statuses[2] != statuses[3]
    failing = client.get("/debug/flaky")
    if failing.status_code == 200:
        failing = client.get("/debug/flaky")
    assert_error(failing, 503, "service_unavailable")
    assert failing.headers["retry-after"] == "1"


def test_html(client):
    r = client.get("/debug/html", headers={"Accept": "application/json"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert r.text.lstrip().lower().startswith("<!doctype html>")


@pytest.mark.parametrize("kb", [1, 512, 2048])
def test_large(client, kb):
    r = client.get("/debug/large", params={"kb": kb})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert len(r.content) == kb * 1024
    data = r.json()
    assert data["kb"] == kb and data["rows"]


def test_large_limits(client):
    assert_error(client.get("/debug/large", params={"kb": 0}), 422, "validation_error")
    assert_error(client.get("/debug/large", params={"kb": 10**6}), 422, "validation_error")


def test_redirect(server, client):
    r = client.get("/debug/redirect", params={"order_number": "ORD-10042"})
    assert r.status_code == 302
    assert r.headers["location"] == f"{server.base_url}/debug/redirect-target?order_number=ORD-10042"
    followed = client.get("/debug/redirect", params={"order_number": "ORD-10042"}, follow_redirects=True)
    assert followed.status_code == 200
    assert followed.json()["redirected"] is True
    assert followed.json()["query"] == {"order_number": "ORD-10042"}
    assert [h.status_code for h in followed.history] == [302]


# --------------------------------------------------------------------------- secrets


def test_apply_demo_secrets_sets_only_unset_names():
    env = {"DEMO_CRM_TOKEN": "my-own-token", "DEMO_ORDERS_TOKEN": "", "UNRELATED": "1"}
    applied = apply_demo_secrets(env)
    assert "DEMO_CRM_TOKEN" not in applied
    assert env["DEMO_CRM_TOKEN"] == "my-own-token"
    assert env["DEMO_ORDERS_TOKEN"] == DEMO_SECRETS["DEMO_ORDERS_TOKEN"]  # empty counts as unset
    assert set(applied) == set(DEMO_SECRETS) - {"DEMO_CRM_TOKEN"}
    assert all(env[name] == DEMO_SECRETS[name] for name in applied)
    assert env["UNRELATED"] == "1"
    assert apply_demo_secrets(env) == []


def test_apply_demo_secrets_default_is_os_environ(monkeypatch):
    for name in DEMO_SECRETS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DEMO_INVENTORY_KEY", "custom")
    import os

    applied = apply_demo_secrets()
    assert "DEMO_INVENTORY_KEY" not in applied and len(applied) == len(DEMO_SECRETS) - 1
    assert os.environ["DEMO_CRM_TOKEN"] == DEMO_SECRETS["DEMO_CRM_TOKEN"]


def test_rebase_url():
    assert DEFAULT_BASE_URL == f"http://127.0.0.1:{DEFAULT_PORT}"
    assert rebase_url(f"{DEFAULT_BASE_URL}/crm/customers", "http://127.0.0.1:5000/") == \
        "http://127.0.0.1:5000/crm/customers"
    assert rebase_url("https://api.example.com/x", "http://127.0.0.1:5000") == "https://api.example.com/x"
