"""The demo API's seed records: customers, orders, inventory, tickets and appointments."""

from __future__ import annotations

from typing import Any

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
