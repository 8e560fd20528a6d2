# Schemathesis hooks for the shop's API fuzzing (test/openapi/schemathesis.test.ts).
#
# JSON Schema states shapes; a few of the shop's rules are about meaning, and stay 4xx refusals
# that the document describes in words. A request the fuzzer draws as *valid* (positive) is made
# valid in meaning too, the way a real client's would be, so that positive_data_acceptance tests
# what the schema says and nothing else. Negative cases are left exactly as drawn.
#
# - cardNumber: the last digit is the Luhn check digit (422 INVALID_CARD_NUMBER otherwise);
# - Idempotency-Key: a key is used with one body only (422 IDEMPOTENCY_KEY_REUSED otherwise):
#   each positive checkout gets a fresh key;
# - cursor: only what a page handed out continues a list (400 otherwise): none is sent;
# - from/to: `from` is before `to` (400 otherwise): they are put in order.
#
# Every request is signed in as SHOP_USERNAME (the auth provider below). POST /api/auth/logout
# revokes the token it is sent with, so it is sent a fresh token of its own.
import json
import os
import urllib.request
import uuid
from datetime import datetime

import schemathesis


def luhn_completed(card: str) -> str:
    """The same number with its last digit replaced by the Luhn check digit (separators kept)."""
    positions = [i for i, c in enumerate(card) if c.isdigit()]
    body = [int(card[i]) for i in positions[:-1]]
    total = 0
    for n, d in enumerate(reversed(body)):
        if n % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    check = (10 - total % 10) % 10
    last = positions[-1]
    return card[:last] + str(check) + card[last + 1 :]


def instant(text):
    """The instant as the server compares it: JavaScript dates hold milliseconds."""
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return parsed.replace(microsecond=parsed.microsecond // 1000 * 1000)


def fresh_token() -> str:
    request = urllib.request.Request(
        os.environ["SHOP_URL"] + "/api/auth/token",
        data=json.dumps({"username": os.environ["SHOP_USERNAME"], "password": os.environ["SHOP_PASSWORD"]}).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["token"]


@schemathesis.auth()
class SignedIn:
    def get(self, case, context):
        return fresh_token()

    def set(self, case, data, context):
        is_logout = case.method.upper() == "POST" and case.path == "/api/auth/logout"
        case.headers = {**(case.headers or {}), "Authorization": "Bearer " + (fresh_token() if is_logout else data)}


@schemathesis.hook
def before_call(context, case, kwargs):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return
    operation = f"{case.method.upper()} {case.path}"
    if operation == "POST /api/orders":
        if isinstance(case.body, dict) and isinstance(case.body.get("cardNumber"), str) and any(c.isdigit() for c in case.body["cardNumber"]):
            case.body["cardNumber"] = luhn_completed(case.body["cardNumber"])
        if case.headers and "idempotency-key" in {k.lower() for k in case.headers}:
            for key in list(case.headers):
                if key.lower() == "idempotency-key":
                    case.headers[key] = str(uuid.uuid4())
    if case.method.upper() == "GET" and case.path in ("/api/orders", "/api/products") and case.query:
        case.query.pop("cursor", None)
        start, end = instant(case.query.get("from")), instant(case.query.get("to"))
        if start and end and start.utcoffset() is not None and end.utcoffset() is not None and start >= end:
            if start == end:
                case.query.pop("to")
            else:
                case.query["from"], case.query["to"] = case.query["to"], case.query["from"]
