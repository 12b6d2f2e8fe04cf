"""Response bodies from several domains, with the caller's question and what the reply must say.

Each case: the action (a file of sample_actions/ or benchmarks/realism/actions/, or an inline one),
the arguments the agent sent, the response body, what the caller asked, ``has``: facts the reply must
contain (a tuple: any one of them), and ``lacks``: what it must not say. The demo API's own records
come from core.demo. Used by tests/test_replies.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.demo.data import SEED_CUSTOMERS, SEED_INVENTORY, SEED_ORDERS

TODAY = dt.date(2026, 3, 4)  # the day the caller asks, unless a case says otherwise
DEMO_DAY = dt.date(2026, 11, 26)  # the demo API's records are from around this day
ORDER = "sample_actions/order_status.json"
STOCK = "sample_actions/check_inventory.json"
REALISM = "benchmarks/realism/actions/"


def inline(name: str, description: str, **params: str) -> dict[str, Any]:
    return {"name": name, "description": description, "method": "GET", "url": "https://api.example.test/x",
            "variables": [{"name": k, "type": "string", "description": v, "required": True} for k, v in params.items()]}


CLAIM = inline("check_claim_status", "Look up an insurance claim's status and payout by claim number.",
               claim_number="The claim number, e.g. CLM-20931")
RX = inline("check_prescription", "Tell the patient whether their prescription is ready for pickup.",
            rx_number="The prescription number, e.g. RX-55120")
HOTEL = inline("get_reservation", "Look up a hotel reservation by its confirmation code.",
               confirmation_code="The confirmation code, e.g. HX7Q2")
TICKET = inline("get_support_ticket", "Read a support ticket's status by ticket ID.", ticket_id="e.g. TCK-1001")
APPTS = inline("list_appointments", "List the caller's upcoming appointments by email.",
               email="The caller's email address, e.g. ann@example.com")
PLAN = inline("lookup_phone_plan", "Look up the caller's mobile phone plan, monthly fee and data usage.",
              account_id="e.g. ACC-1001")
OUTAGE_MAP = inline("check_outage", "Check whether there is a power outage at a ZIP code and when power returns.",
                    zip_code="e.g. 94107")

CASES: list[dict[str, Any]] = [
    # ---------------------------------------------------------------- retail: the demo API's orders and stock
    {"id": "order-where", "today": DEMO_DAY, "action": ORDER, "args": {"order_number": "ORD-10042"}, "body": SEED_ORDERS["ORD-10042"],
     "ask": "where is my order ORD-10042?", "has": ["November 28, 2026", "shipped"], "lacks": ["ordered on"]},
    {"id": "order-when", "today": DEMO_DAY, "action": ORDER, "args": {"order_number": "ORD-10043"}, "body": SEED_ORDERS["ORD-10043"],
     "ask": "when will order ORD-10043 arrive?", "has": ["December 2, 2026"], "lacks": ["ordered on"]},
    {"id": "order-status", "today": DEMO_DAY, "action": ORDER, "args": {"order_number": "ORD-10044"}, "body": SEED_ORDERS["ORD-10044"],
     "ask": "what is the status of ORD-10044", "has": ["delivered", "November 3, 2026"],
     "lacks": ["ordered on", "total"]},
    {"id": "order-cancelled", "today": DEMO_DAY, "action": ORDER, "args": {"order_number": "ORD-10045"}, "body": SEED_ORDERS["ORD-10045"],
     "ask": "what happened to my order ORD-10045?", "has": ["cancelled", "payment declined"]},
    {"id": "order-cost", "today": DEMO_DAY, "action": ORDER, "args": {"order_number": "ORD-10044"}, "body": SEED_ORDERS["ORD-10044"],
     "ask": "how much did order ORD-10044 cost?", "has": ["$219.00"]},
    {"id": "order-items", "today": DEMO_DAY, "action": ORDER, "args": {"order_number": "ORD-10043"}, "body": SEED_ORDERS["ORD-10043"],
     "ask": "what's in order ORD-10043?", "has": ["Ergonomic Mouse (2)"]},
    {"id": "order-asked-before", "today": DEMO_DAY, "action": ORDER, "args": {"order_number": "ORD-10042"},
     "body": SEED_ORDERS["ORD-10042"], "ask": "where is my order? ORD-10042", "has": ["November 28, 2026"]},
    {"id": "stock-out", "today": DEMO_DAY, "action": STOCK, "args": {"sku": "PROD-54321"}, "body": SEED_INVENTORY["PROD-54321"],
     "ask": "is PROD-54321 in stock?", "has": [("not in stock", "out of stock"), "December 15, 2026", "USB-C Dock"]},
    {"id": "stock-in", "today": DEMO_DAY, "action": STOCK, "args": {"sku": "PROD-12345"}, "body": SEED_INVENTORY["PROD-12345"],
     "ask": "is PROD-12345 in stock?", "has": ["in stock", "42"], "lacks": ["not in stock"]},
    {"id": "stock-price", "today": DEMO_DAY, "action": STOCK, "args": {"sku": "PROD-12345"}, "body": SEED_INVENTORY["PROD-12345"],
     "ask": "how much do the PROD-12345 headphones cost?", "has": ["$149.00"]},
    {"id": "store-stock", "action": REALISM + "check_store_stock.json", "args": {"product_code": "HX-200"},
     "body": {"in_stock": True, "units": 7, "aisle": "12"}, "ask": "do you have the HX-200 kettle in stock?",
     "has": ["in stock", "7 units"]},
    {"id": "refund", "action": REALISM + "request_refund.json",
     "args": {"order_number": "SO-552310", "amount": 24.99, "reason": "damaged"},
     "body": {"refund_id": "RF-7781", "amount": 24.99, "currency": "USD", "arrives_in_days": 5},
     "ask": "I want my money back for order SO-552310, the kettle arrived broken", "has": ["RF-7781", "5 days"]},
    {"id": "return", "action": REALISM + "start_return.json", "args": {"order_number": "SO-1", "item": "kettle"},
     "body": {"return_id": "RT-5510", "label_sent_to": "email on file"}, "ask": "I'd like to return the kettle",
     "has": ["RT-5510", "email on file"]},
    {"id": "cancel-order", "action": REALISM + "cancel_order.json", "args": {"order_number": "SO-552310"},
     "body": {"order_number": "SO-552310", "status": "cancelled", "refund": {"amount": 89.5, "currency": "EUR"}},
     "ask": "please cancel order SO-552310", "has": ["cancelled", "€89.50"]},
    # ---------------------------------------------------------------- banking
    {"id": "balance", "action": REALISM + "check_account_balance.json", "args": {"account_last4": "4421"},
     "body": {"available_balance": 1523.4, "currency": "USD"}, "ask": "what's my balance on the account ending 4421?",
     "has": ["$1,523.40"]},
    {"id": "bill-due", "today": DEMO_DAY, "action": "sample_actions/check_balance.json", "args": {"account_id": "ACC-1001"},
     "body": {"account_id": "ACC-1001", "balance_due": 42.17, "currency": "USD", "due_date": "2026-12-15", "call": 3},
     "ask": "how much do I owe and when is it due?", "has": ["$42.17", "December 15, 2026"], "lacks": ["call"]},
    {"id": "transfer", "action": REALISM + "transfer_money.json",
     "args": {"amount": 50.0, "recipient_email": "sam@example.com"},
     "body": {"transfer_id": "TR-9001", "status": "sent", "fee_cents": 150, "currency": "USD"},
     "ask": "send 50 dollars to sam@example.com", "has": ["TR-9001"]},
    {"id": "lost-card", "action": REALISM + "report_lost_card.json", "args": {"card_last4": "1234"},
     "body": {"card_blocked": True, "replacement_arrives": "2026-03-10"}, "ask": "I lost my card ending 1234",
     "has": ["blocked", "March 10, 2026"]},
    # ---------------------------------------------------------------- travel
    {"id": "flight-status", "action": REALISM + "check_flight_status.json", "args": {"flight_number": "AA1118"},
     "body": {"status": "delayed", "new_departure": "16:40", "gate": "B12"}, "ask": "is flight AA1118 on time?",
     "has": ["delayed", "16:40"]},
    {"id": "flight-gate", "action": REALISM + "check_flight_status.json", "args": {"flight_number": "AA1118"},
     "body": {"status": "on_time", "gate": "B12", "departure": "2026-03-05T16:40:00Z"},
     "ask": "which gate does AA1118 leave from?", "has": ["B12"]},
    {"id": "flight-booked", "action": REALISM + "book_flight.json",
     "args": {"origin": "Boston", "destination": "Denver", "departure_date": "2026-03-20", "passengers": 2},
     "body": {"confirmation": "K7Q2PZ", "total_price": 412.8, "currency": "USD"},
     "ask": "book two seats from Boston to Denver on March 20th", "has": ["K7Q2PZ", "$412.80"]},
    {"id": "hotel", "action": HOTEL, "args": {"confirmation_code": "HX7Q2"},
     "body": {"reservation": {"id": "HX7Q2", "hotel": "Harbor Inn", "check_in": "2026-05-01",
                              "check_out": "2026-05-03", "total": {"amount": 320, "currency": "EUR"}}},
     "ask": "when is my check in for reservation HX7Q2?", "has": ["May 1, 2026"]},
    {"id": "demo-booking", "today": DEMO_DAY, "action": "sample_actions/book_appointment.json",
     "args": {"date": "2026-12-03", "customer_email": "jane.doe@example.com"},
     "body": {"booking_id": "BKG-5001", "status": "confirmed", "calendar_email": "bookings@demo.example.com",
              "date": "2026-12-03", "start_time": "09:00", "duration_minutes": 30,
              "customer_email": "jane.doe@example.com",
              "message": "Booked 2026-12-03 at 09:00; a confirmation was sent to jane.doe@example.com."},
     "ask": "I need to book an appointment 2026-12-03 jane.doe@example.com",
     "has": ["confirmed", "December 3, 2026 at 09:00", "BKG-5001"]},
    {"id": "demo-booking-email", "today": DEMO_DAY, "action": "sample_actions/book_appointment.json",
     "args": {"date": "2026-12-03", "customer_email": "jane.doe@example.com"},
     "body": {"booking_id": "BKG-5002", "status": "confirmed", "calendar_email": "bookings@demo.example.com",
              "date": "2026-12-03", "start_time": "10:00", "duration_minutes": 30,
              "customer_email": "jane.doe@example.com"},
     "ask": "I'd like to book an appointment on December 3rd, my email is jane.doe@example.com",
     "has": ["December 3, 2026 at 10:00"], "lacks": ["email"]},  # "my email is" gives a value, asks for none
    # ---------------------------------------------------------------- healthcare
    {"id": "clinic-booked", "action": REALISM + "book_clinic_appointment.json",
     "args": {"patient_last_name": "Nguyen", "date": "2026-03-10", "time": "09:30"},
     "body": {"appointment_id": "APT-70001", "status": "booked", "doctor": "Dr. Rivera", "date": "2026-03-10",
              "time": "09:30"},
     "ask": "book me in for March 10 at 9:30, last name Nguyen", "has": ["APT-70001", "March 10, 2026"]},
    {"id": "refill", "action": REALISM + "request_prescription_refill.json", "args": {"prescription_number": "RX-1"},
     "body": {"refill_id": "RF-2231", "ready_on": "2026-03-06", "pharmacy": "Main Street"},
     "ask": "can you refill prescription RX-1?", "has": ["March 6, 2026", "Main Street"]},
    {"id": "rx-ready", "action": RX, "args": {"rx_number": "RX-55120"},
     "body": {"rx_number": "RX-55120", "ready_for_pickup": False, "ready_on": "2026-03-06", "refills_left": 2},
     "ask": "is my prescription RX-55120 ready?", "has": ["not ready", "March 6, 2026"]},
    {"id": "appointments", "action": APPTS, "args": {"email": "ann@example.com"},
     "body": {"appointments": [{"date": "2026-03-10", "time": "09:30", "doctor": "Dr. Rivera"},
                               {"date": "2026-04-02", "time": "14:00", "doctor": "Dr. Chen"}], "count": 2},
     "ask": "what appointments do I have coming up?", "has": ["March 10, 2026"]},
    # ---------------------------------------------------------------- utilities and field service
    {"id": "outage-report", "action": REALISM + "report_power_outage.json",
     "args": {"street_address": "12 Elm Street", "zip_code": "94107"},
     "body": {"ticket": "OUT-3321", "crew_eta": "within 2 hours"}, "ask": "the power is out at 12 Elm Street",
     "has": ["OUT-3321", "within 2 hours"]},
    {"id": "outage-map", "action": OUTAGE_MAP, "args": {"zip_code": "94107"},
     "body": {"outage": True, "customers_affected": 1240, "cause": "storm damage",
              "estimated_restoration": "2026-03-04T18:00:00Z"},
     "ask": "when will power come back in 94107?", "has": ["March 4, 2026 at 18:00"]},
    {"id": "meter", "action": REALISM + "submit_meter_reading.json", "args": {"account_number": "77120", "reading": 4821},
     "body": {"accepted": True, "next_bill": "2026-03-28"}, "ask": "my meter reads 4821", "has": ["March 28, 2026"]},
    {"id": "technician", "action": REALISM + "schedule_technician_visit.json", "args": {"visit_date": "2026-03-12"},
     "body": {"visit_id": "FV-1204", "window": "8:00-12:00"}, "ask": "send someone to fix my boiler on March 12",
     "has": ["FV-1204", "8:00-12:00"]},
    {"id": "slots", "today": DEMO_DAY, "action": "sample_actions/find_technician_slot.json", "args": {"zip_code": "94107"},
     "body": {"zip_code": "94107", "slots": [{"date": "2026-12-02", "window": "09:00-12:00"},
                                            {"date": "2026-12-03", "window": "13:00-17:00"}],
              "first_available": "2026-12-02 09:00-12:00"},
     "ask": "when can a technician come out to 94107?", "has": ["December 2, 2026", "09:00-12:00"]},
    # ---------------------------------------------------------------- support, accounts, insurance
    {"id": "ticket-created", "today": DEMO_DAY, "action": "sample_actions/create_support_ticket.json",
     "args": {"issue_description": "headphones stop charging", "priority_level": "normal"},
     "body": {"ticket_id": "TCK-1004", "issue_description": "headphones stop charging", "priority_level": "normal",
              "status": "open", "created_at": "2026-11-26T10:12:00Z", "requester": "support-bot",
              "expected_response": "1 business day"},
     "ask": "my headphones stop charging, open a ticket", "has": ["TCK-1004", "1 business day"],
     "lacks": ["support-bot"]},
    {"id": "ticket-read", "today": DEMO_DAY, "action": TICKET, "args": {"ticket_id": "TCK-1001"},
     "body": {"ticket_id": "TCK-1001", "status": "pending", "priority_level": "high", "assigned_to": "Priya",
              "updated_at": "2026-11-25T08:00:00Z"},
     "ask": "what's happening with ticket TCK-1001?", "has": ["pending"]},
    {"id": "crm", "today": DEMO_DAY, "action": "sample_actions/crm_customer_lookup.json", "args": {"customer_id": "CUST-1002"},
     "body": {**SEED_CUSTOMERS["CUST-1002"], "open_tickets": 1, "recent_orders": ["ORD-10043"]},
     "ask": "look up customer CUST-1002", "has": ["Grace Hopper"], "lacks": ["The Grace Hopper"]},
    {"id": "verify", "today": DEMO_DAY, "action": "sample_actions/verify_caller.json", "args": {"phone": "+15551234567"},
     "body": {"verified": True, "customer_id": "CUST-1001", "name": "Ada Lovelace", "phone": "+15551234567"},
     "ask": "it's +1 555 123 4567", "has": ["Ada Lovelace", "verified"]},
    {"id": "caller-picks", "picked": True, "today": DEMO_DAY, "action": "sample_actions/find_caller_account.json", "args": {"phone": "+15551234567"},
     "body": {"customer_id": "CUST-1001", "customer_name": "Ada Lovelace", "tier": "gold"},
     "ask": "I'm calling about my account", "has": ["Ada Lovelace"]},
    {"id": "plan-data", "picked": True, "today": DEMO_DAY, "action": PLAN, "args": {"account_id": "ACC-1001"},
     "body": {"plan": "Unlimited Plus", "monthly_fee": 65.0, "data_used_gb": 18.4},
     "ask": "how much data have I used?", "has": ["18.4 GB"]},
    {"id": "plan", "today": DEMO_DAY, "action": PLAN, "args": {"account_id": "ACC-1001"},
     "body": {"account_id": "ACC-1001", "customer_id": "CUST-1001", "plan": "Unlimited Plus", "monthly_fee": 65.0,
              "data_used_gb": 18.4, "data_limit_gb": None, "contract_ends": "2027-03-31", "autopay": True},
     "ask": "what plan am I on?", "has": ["Unlimited Plus"]},
    {"id": "claim", "action": CLAIM, "args": {"claim_number": "CLM-20931"},
     "body": {"claim": {"number": "CLM-20931", "status": "under_review", "submitted_on": "2026-02-01",
                        "adjuster": {"name": "Sam Lee", "phone": "+15550001111"}, "payout": None}},
     "ask": "what's going on with my claim CLM-20931?", "has": ["under review"]},
    {"id": "callback", "picked": True, "today": DEMO_DAY, "action": "sample_actions/schedule_callback.json", "args": {"customer_id": "CUST-1001"},
     "body": {"callback_id": "CB-3001", "when": "within 2 hours"}, "ask": "please have someone call me back",
     "has": ["CB-3001", "within 2 hours"]},
    {"id": "email-updated", "action": REALISM + "update_contact_email.json",
     "args": {"customer_id": "C-1", "new_email": "jo@example.com"}, "body": {"updated": True},
     "ask": "change my email to jo@example.com", "has": ["updated"]},
]
