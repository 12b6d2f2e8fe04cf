"""Email addresses, checked with email-validator (syntax only: nothing is looked up)."""

from __future__ import annotations

import re
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


@lru_cache(maxsize=2048)
def is_email(text: str) -> bool:
    try:
        validate_email(text, check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return False
    return True


def find_emails(text: str) -> list[tuple[str, int, int]]:
    """Each address as written (trailing dots of a sentence left out)."""
    out = []
    for m in EMAIL_RE.finditer(text):
        value = m.group(0).rstrip(".")
        if is_email(value):
            out.append((value, m.start(), m.start() + len(value)))
    return out
