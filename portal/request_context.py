"""Facts about the request being served, for code that has no request at hand.

The middleware sets them; the audit log reads them. Outside a request (a task, a
management command) they are empty.
"""

import ipaddress
import uuid
from contextvars import ContextVar

from django.conf import settings

request_id_var: ContextVar[str] = ContextVar("request_id", default="")
client_ip_var: ContextVar[str | None] = ContextVar("client_ip", default=None)

_REQUEST_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


def _is_trusted_proxy(addr: str) -> bool:
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    for entry in settings.TRUSTED_PROXIES:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(meta) -> str | None:
    """The client's address: the socket peer, or what a trusted proxy says it is.

    X-Forwarded-For is believed only when the peer is one of TRUSTED_PROXIES, and then
    only the entry that the nearest trusted proxy appended (counting from the right),
    so a client cannot forge its address by sending the header itself.
    """
    peer = _normalised(meta.get("REMOTE_ADDR", ""))
    if not peer or not _is_trusted_proxy(peer):
        return peer
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    count = settings.TRUSTED_PROXY_COUNT
    if len(forwarded) < count:
        return peer
    return _normalised(forwarded[-count]) or peer


def _normalised(addr: str) -> str | None:
    try:
        return str(ipaddress.ip_address(addr))
    except ValueError:
        return None


def request_id(meta) -> str:
    """The proxy's X-Request-ID when a trusted proxy sent a sane one, else a new id."""
    given = meta.get("HTTP_X_REQUEST_ID", "")
    if (
        given
        and _is_trusted_proxy(meta.get("REMOTE_ADDR", ""))
        and len(given) <= 64
        and set(given) <= _REQUEST_ID_CHARS
    ):
        return given
    return uuid.uuid4().hex
