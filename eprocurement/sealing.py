"""Sealed bids: envelope encryption of bid prices and documents (issue 4, "Sealed").

Threat model
------------
Before the opening time nobody may read a bid's price or documents: not another vendor,
the pokja, an admin in the Django admin, an API client, nor someone holding a database dump
or a copy of the media folder. So:

- every package has its own random 256-bit data key, and the database stores only that key
  *wrapped* (AES-256-GCM) by a master key, never the raw key;
- the master key lives outside the database and the media folder: the environment
  (``SEALING_MASTER_KEY``) or a file a key service or a mounted secret provides
  (``SEALING_MASTER_KEY_FILE``); see ``config/settings.py``;
- prices and documents are stored only sealed (AES-256-GCM, a fresh 96-bit nonce per
  message) with a *context* such as ``"package:12/bid:34/price"`` as associated data, so a
  sealed value copied to another bid or field does not open;
- a database dump or the media folder alone therefore reveals nothing; opening needs the
  master key at opening time. *When* opening is allowed (the opening time has passed and two
  of the three pokja members confirmed) is the package service's rule, not this module's.

Anything tampered with, truncated, reordered, opened in the wrong context or with the wrong
key raises ``SealBroken``; this module never returns garbage.

Keys
----
Generate a master key (32 random bytes, base64) with::

    python -c "import secrets,base64;print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())"

Each master key has a key id (the first 8 hex digits of its SHA-256), stored with every key
it wraps. To rotate, set the new key as ``SEALING_MASTER_KEY`` and list the old ones in
``SEALING_OLD_MASTER_KEYS`` (comma-separated); old wrapped keys still open, and ``rewrap``
moves a package key to the current master key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import struct
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
SEGMENT_SIZE = 1024 * 1024
# A header claiming bigger segments is refused before anything is allocated for it.
MAX_SEGMENT_SIZE = 64 * 1024 * 1024
HASH_CHUNK_SIZE = 1024 * 1024

WRAPPED_KEY_VERSION = "k1"
VALUE_VERSION = "s1"
FILE_MAGIC = b"PSF1"
FILE_ID_BYTES = 16
_FILE_HEADER = struct.Struct(">4sI16s")  # magic, segment size, random file id
_SEGMENT_POSITION = struct.Struct(">QB")  # segment index, final-segment flag

# Distinct labels keep the three uses of AES-GCM apart (and the development key apart
# from anything else derived from SECRET_KEY).
_WRAP_LABEL = b"portal-ntt/sealing/package-key/v1\x00"
_VALUE_LABEL = b"portal-ntt/sealing/value/v1\x00"
_FILE_LABEL = b"portal-ntt/sealing/file/v1\x00"


class SealBroken(Exception):
    """A sealed value, file or wrapped key does not open: tampered, truncated, reordered,
    opened in the wrong context or with the wrong key. The message is for logs (English)."""


# --- Master keys ---------------------------------------------------------------------------


def key_id(key: bytes) -> str:
    """The public name of a master key: the first 8 hex digits of its SHA-256."""
    return hashlib.sha256(key).hexdigest()[:8]


def _strict_b64decode(text: str) -> bytes:
    """Standard or URL-safe base64, padded or not; any other character is an error."""
    text = text.replace("-", "+").replace("_", "/")
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def _decode_master_key(text: str, setting: str) -> bytes:
    try:
        key = _strict_b64decode(text.strip())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{setting} must be {KEY_BYTES} random bytes, base64-encoded.")
    return key


def _current_master_key() -> bytes:
    configured = getattr(settings, "PORTAL_SEALING_MASTER_KEY", "")
    if configured:
        return _decode_master_key(configured, "SEALING_MASTER_KEY")
    # With DEBUG the settings supply a development key kept in a file under var/
    # (eprocurement/sealing_dev_key.py); never one derived from SECRET_KEY, which lives
    # wherever the settings do.
    raise ImproperlyConfigured("Sealed bids need a master key: set SEALING_MASTER_KEY or SEALING_MASTER_KEY_FILE.")


def _master_keys() -> dict[str, bytes]:
    """Every master key that may unwrap, by key id; the current one first."""
    current = _current_master_key()
    keys = {key_id(current): current}
    for text in getattr(settings, "PORTAL_SEALING_OLD_MASTER_KEYS", []):
        if text.strip():
            old = _decode_master_key(text, "SEALING_OLD_MASTER_KEYS")
            keys.setdefault(key_id(old), old)
    return keys


# --- Package keys ----------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return _strict_b64decode(text)
    except (binascii.Error, ValueError) as error:
        raise SealBroken("malformed base64 in a sealed token") from error


@dataclass(frozen=True)
class WrappedKey:
    """A package's data key wrapped by a master key: all the database ever holds of it."""

    key_id: str
    nonce: bytes
    ciphertext: bytes

    def __str__(self) -> str:
        return ".".join((WRAPPED_KEY_VERSION, self.key_id, _b64(self.nonce), _b64(self.ciphertext)))

    def __repr__(self) -> str:
        return f"WrappedKey(key_id={self.key_id!r})"

    @classmethod
    def from_text(cls, text: str) -> WrappedKey:
        parts = text.split(".")
        if len(parts) != 4 or parts[0] != WRAPPED_KEY_VERSION:
            raise SealBroken("not a wrapped package key (expected k1.<key id>.<nonce>.<ciphertext>)")
        nonce = _unb64(parts[2])
        if len(nonce) != NONCE_BYTES:
            raise SealBroken("wrapped package key has a nonce of the wrong length")
        return cls(key_id=parts[1], nonce=nonce, ciphertext=_unb64(parts[3]))


def _wrap_aad(master_key_id: str) -> bytes:
    return _WRAP_LABEL + master_key_id.encode("ascii")


def _wrap(data_key: bytes) -> WrappedKey:
    master = _current_master_key()
    master_id = key_id(master)
    nonce = secrets.token_bytes(NONCE_BYTES)
    return WrappedKey(master_id, nonce, AESGCM(master).encrypt(nonce, data_key, _wrap_aad(master_id)))


def _unwrap(wrapped: WrappedKey | str) -> bytes:
    if isinstance(wrapped, str):
        wrapped = WrappedKey.from_text(wrapped)
    master = _master_keys().get(wrapped.key_id)
    if master is None:
        raise SealBroken(f"package key was wrapped by master key {wrapped.key_id}, which is not configured")
    try:
        data_key = AESGCM(master).decrypt(wrapped.nonce, wrapped.ciphertext, _wrap_aad(wrapped.key_id))
    except InvalidTag as error:
        raise SealBroken(f"package key does not unwrap with master key {wrapped.key_id}") from error
    if len(data_key) != KEY_BYTES:
        raise SealBroken("unwrapped package key has the wrong length")
    return data_key


def new_package_key() -> WrappedKey:
    """A fresh random data key for one package, returned only wrapped by the current master key."""
    return _wrap(secrets.token_bytes(KEY_BYTES))


def rewrap(wrapped: WrappedKey | str) -> WrappedKey:
    """The same data key wrapped by the current master key (after a rotation)."""
    return _wrap(_unwrap(wrapped))


# --- Values ---------------------------------------------------------------------------------


def _context_bytes(context: str) -> bytes:
    if not context:
        raise ValueError("a sealing context is required, e.g. 'package:12/bid:34/price'")
    return context.encode("utf-8")


def seal(wrapped_key: WrappedKey | str, plaintext: bytes, *, context: str) -> str:
    """``plaintext`` sealed with the package key, bound to ``context``: ``s1.<nonce>.<ciphertext>``."""
    aad = _VALUE_LABEL + _context_bytes(context)
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = AESGCM(_unwrap(wrapped_key)).encrypt(nonce, plaintext, aad)
    return ".".join((VALUE_VERSION, _b64(nonce), _b64(ciphertext)))


def open_sealed(wrapped_key: WrappedKey | str, token: str, *, context: str) -> bytes:
    """The plaintext of a token made by ``seal`` with the same key and context, or ``SealBroken``."""
    aad = _VALUE_LABEL + _context_bytes(context)
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != VALUE_VERSION:
        raise SealBroken("not a sealed value (expected s1.<nonce>.<ciphertext>)")
    nonce, ciphertext = _unb64(parts[1]), _unb64(parts[2])
    if len(nonce) != NONCE_BYTES:
        raise SealBroken("sealed value has a nonce of the wrong length")
    try:
        return AESGCM(_unwrap(wrapped_key)).decrypt(nonce, ciphertext, aad)
    except InvalidTag as error:
        raise SealBroken(f"sealed value does not open in context {context!r}") from error


# --- Files ----------------------------------------------------------------------------------
# A sealed file is a header (magic, segment size, random file id) followed by segments, each
# its own GCM message (nonce + ciphertext + tag) over at most `segment size` bytes. The
# associated data binds each segment to the header, its index and whether it is the last, and
# to the context: reordering, truncation, splicing in segments of another file, or another
# context all fail to open. Memory stays around a few segments, whatever the file's size.


def _read_exactly(fileobj: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes, fewer only at the end of the stream (raw streams may return short reads)."""
    parts, remaining = [], size
    while remaining:
        chunk = fileobj.read(remaining)
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _segment_aad(header: bytes, index: int, final: bool, context: bytes) -> bytes:
    return _FILE_LABEL + header + _SEGMENT_POSITION.pack(index, final) + context


def seal_file(
    wrapped_key: WrappedKey | str,
    src_fileobj: BinaryIO,
    dst_fileobj: BinaryIO,
    *,
    context: str,
    segment_size: int = SEGMENT_SIZE,
) -> str:
    """Seal ``src_fileobj`` into ``dst_fileobj`` segment by segment; returns the SHA-256 (hex)
    of the plaintext read, for the receipt."""
    if not 0 < segment_size <= MAX_SEGMENT_SIZE:
        raise ValueError(f"segment_size must be between 1 and {MAX_SEGMENT_SIZE} bytes")
    cipher, context_bytes = AESGCM(_unwrap(wrapped_key)), _context_bytes(context)
    header = _FILE_HEADER.pack(FILE_MAGIC, segment_size, secrets.token_bytes(FILE_ID_BYTES))
    dst_fileobj.write(header)
    digest = hashlib.sha256()
    index, segment = 0, _read_exactly(src_fileobj, segment_size)
    while True:
        # Read one segment ahead: the last segment (possibly empty) is marked final.
        following = _read_exactly(src_fileobj, segment_size) if len(segment) == segment_size else b""
        final = not following
        digest.update(segment)
        nonce = secrets.token_bytes(NONCE_BYTES)
        dst_fileobj.write(nonce)
        dst_fileobj.write(cipher.encrypt(nonce, segment, _segment_aad(header, index, final, context_bytes)))
        if final:
            return digest.hexdigest()
        index, segment = index + 1, following


def _read_header(src_fileobj: BinaryIO) -> tuple[bytes, int]:
    header = _read_exactly(src_fileobj, _FILE_HEADER.size)
    if len(header) != _FILE_HEADER.size:
        raise SealBroken("sealed file is shorter than its header")
    magic, segment_size, _file_id = _FILE_HEADER.unpack(header)
    if magic != FILE_MAGIC or not 0 < segment_size <= MAX_SEGMENT_SIZE:
        raise SealBroken("not a sealed file (bad header)")
    return header, segment_size


def open_sealed_file(
    wrapped_key: WrappedKey | str, src_fileobj: BinaryIO, dst_fileobj: BinaryIO, *, context: str
) -> str:
    """Open a file sealed by ``seal_file`` into ``dst_fileobj``; returns the plaintext's SHA-256 (hex).

    Each segment is authenticated before it is written, but truncation shows only at the end:
    on ``SealBroken`` the caller must discard whatever ``dst_fileobj`` received (write to a
    temporary file and move it into place on success)."""
    cipher, context_bytes = AESGCM(_unwrap(wrapped_key)), _context_bytes(context)
    header, segment_size = _read_header(src_fileobj)
    sealed_size = NONCE_BYTES + segment_size + TAG_BYTES
    digest = hashlib.sha256()
    index, sealed = 0, _read_exactly(src_fileobj, sealed_size)
    while True:
        following = _read_exactly(src_fileobj, sealed_size) if len(sealed) == sealed_size else b""
        final = not following
        if len(sealed) < NONCE_BYTES + TAG_BYTES:
            raise SealBroken(f"sealed file is truncated at segment {index}")
        aad = _segment_aad(header, index, final, context_bytes)
        try:
            # A memoryview slices without copying the segment.
            view = memoryview(sealed)
            segment = cipher.decrypt(view[:NONCE_BYTES], view[NONCE_BYTES:], aad)
        except InvalidTag as error:
            raise SealBroken(
                f"segment {index} of the sealed file does not open in context {context!r}"
                " (tampered, truncated, reordered or another key)"
            ) from error
        digest.update(segment)
        dst_fileobj.write(segment)
        if final:
            return digest.hexdigest()
        index, sealed = index + 1, following


# --- Receipts ---------------------------------------------------------------------------------


def sha256_hex(data: bytes) -> str:
    """SHA-256 (hex) of what was received, for a bid receipt."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(fileobj: BinaryIO, *, chunk_size: int = HASH_CHUNK_SIZE) -> str:
    """SHA-256 (hex) of a file read in chunks from its current position to its end."""
    digest = hashlib.sha256()
    while chunk := fileobj.read(chunk_size):
        digest.update(chunk)
    return digest.hexdigest()
