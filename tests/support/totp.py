"""Time-based one-time codes (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), written
out here rather than borrowed from allauth, so the tests check allauth against the RFC."""

import base64
import hashlib
import hmac
import struct
import time

PERIOD = 30
DIGITS = 6


def totp_code(secret: str, at: float | None = None) -> str:
    """The code of the Base32 ``secret`` at Unix time ``at`` (now when not given)."""
    counter = int(time.time() if at is None else at) // PERIOD
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**DIGITS:0{DIGITS}d}"


def fresh_totp_code(secret: str, margin: float = 2.0) -> str:
    """The current code, waiting for the next step first when this one ends within
    ``margin`` seconds, so the server still accepts it when the request arrives."""
    left = PERIOD - time.time() % PERIOD
    if left < margin:
        time.sleep(left + 0.05)
    return totp_code(secret)
