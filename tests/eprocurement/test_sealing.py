"""Sealed bids: envelope encryption of prices and documents (eprocurement/sealing.py).

No database: sealing is pure cryptography over keys the settings provide."""

import base64
import hashlib
import io
import os
import secrets
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ImproperlyConfigured

from eprocurement import sealing
from eprocurement.sealing import (
    SealBroken,
    WrappedKey,
    new_package_key,
    open_sealed,
    open_sealed_file,
    rewrap,
    seal,
    seal_file,
    sha256_file,
    sha256_hex,
)

ROOT = Path(__file__).resolve().parents[2]
PRICE = b"1250000000.00"
CONTEXT = "package:12/bid:34/price"
SEGMENT = 1024


def _new_master_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _key_id(master_key: str) -> str:
    return hashlib.sha256(base64.urlsafe_b64decode(master_key)).hexdigest()[:8]


@pytest.fixture
def master_key(settings):
    settings.DEBUG = False
    settings.PORTAL_SEALING_MASTER_KEY = _new_master_key()
    settings.PORTAL_SEALING_OLD_MASTER_KEYS = []
    return settings.PORTAL_SEALING_MASTER_KEY


@pytest.fixture
def package_key(master_key):
    return new_package_key()


def _sealed_file(package_key, data: bytes, *, context: str = "package:12/bid:34/document:5") -> bytes:
    sealed = io.BytesIO()
    seal_file(package_key, io.BytesIO(data), sealed, context=context, segment_size=SEGMENT)
    return sealed.getvalue()


def _open_file(package_key, sealed: bytes, *, context: str = "package:12/bid:34/document:5") -> bytes:
    opened = io.BytesIO()
    open_sealed_file(package_key, io.BytesIO(sealed), opened, context=context)
    return opened.getvalue()


def _flip(data: bytes, position: int) -> bytes:
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


# --- Values ------------------------------------------------------------------------------------


def test_a_sealed_value_opens_with_its_key_and_context(package_key):
    token = seal(package_key, PRICE, context=CONTEXT)

    assert token.startswith("s1.")
    assert PRICE.decode() not in token
    assert open_sealed(package_key, token, context=CONTEXT) == PRICE


def test_the_key_may_be_stored_as_text_and_read_back(package_key):
    token = seal(str(package_key), PRICE, context=CONTEXT)

    assert open_sealed(WrappedKey.from_text(str(package_key)), token, context=CONTEXT) == PRICE


def test_every_seal_uses_a_fresh_nonce(package_key):
    first, second = seal(package_key, PRICE, context=CONTEXT), seal(package_key, PRICE, context=CONTEXT)

    assert first.split(".")[1] != second.split(".")[1]
    assert first != second


@pytest.mark.parametrize("part", [1, 2], ids=["nonce", "ciphertext"])
def test_a_flipped_byte_breaks_the_seal(package_key, part):
    token = seal(package_key, PRICE, context=CONTEXT)
    pieces = token.split(".")
    raw = base64.urlsafe_b64decode(pieces[part] + "==")
    pieces[part] = base64.urlsafe_b64encode(_flip(raw, 3)).rstrip(b"=").decode()

    with pytest.raises(SealBroken):
        open_sealed(package_key, ".".join(pieces), context=CONTEXT)


def test_a_value_moved_to_another_bid_or_field_does_not_open(package_key):
    token = seal(package_key, PRICE, context=CONTEXT)

    for other in ("package:12/bid:35/price", "package:12/bid:34/discount", "package:13/bid:34/price"):
        with pytest.raises(SealBroken, match="does not open"):
            open_sealed(package_key, token, context=other)


def test_a_value_sealed_for_another_package_does_not_open(package_key):
    token = seal(new_package_key(), PRICE, context=CONTEXT)

    with pytest.raises(SealBroken):
        open_sealed(package_key, token, context=CONTEXT)


@pytest.mark.parametrize("token", ["", "s1.abc", "s2.AAAAAAAAAAAAAAAA.AAAA", "s1.!!!!.AAAA", "s1.AAAA.AAAAAAAA"])
def test_a_malformed_token_is_a_broken_seal(package_key, token):
    with pytest.raises(SealBroken):
        open_sealed(package_key, token, context=CONTEXT)


def test_a_context_is_required(package_key):
    with pytest.raises(ValueError, match="context"):
        seal(package_key, PRICE, context="")


# --- Package keys and master keys ----------------------------------------------------------------


def test_a_new_package_key_is_returned_only_wrapped(master_key, monkeypatch):
    generated = []

    def recording_token_bytes(size):
        value = os.urandom(size)
        generated.append(value)
        return value

    monkeypatch.setattr(sealing.secrets, "token_bytes", recording_token_bytes)
    wrapped = new_package_key()
    raw_key = next(value for value in generated if len(value) == 32)
    stored = str(wrapped)

    assert wrapped.key_id == _key_id(master_key)
    assert set(vars(wrapped)) == {"key_id", "nonce", "ciphertext"}
    assert raw_key not in wrapped.ciphertext and raw_key.hex() not in stored
    assert base64.urlsafe_b64encode(raw_key).rstrip(b"=").decode() not in stored
    assert base64.b64encode(raw_key).rstrip(b"=").decode() not in stored
    # The wrapped key really holds that raw key: a value sealed with it opens with plain AES-GCM.
    token = seal(wrapped, PRICE, context=CONTEXT).split(".")
    nonce, ciphertext = (base64.urlsafe_b64decode(part + "==") for part in token[1:])
    assert AESGCM(raw_key).decrypt(nonce, ciphertext, b"portal-ntt/sealing/value/v1\x00" + CONTEXT.encode()) == PRICE
    assert "ciphertext" not in repr(wrapped)


def test_another_master_key_cannot_unwrap(package_key, settings):
    token = seal(package_key, PRICE, context=CONTEXT)
    settings.PORTAL_SEALING_MASTER_KEY = _new_master_key()

    with pytest.raises(SealBroken, match="not configured"):
        open_sealed(package_key, token, context=CONTEXT)


def test_a_wrapped_key_under_a_forged_key_id_does_not_unwrap(package_key, settings):
    token = seal(package_key, PRICE, context=CONTEXT)
    settings.PORTAL_SEALING_MASTER_KEY = _new_master_key()
    forged = WrappedKey(_key_id(settings.PORTAL_SEALING_MASTER_KEY), package_key.nonce, package_key.ciphertext)

    with pytest.raises(SealBroken, match="does not unwrap"):
        open_sealed(forged, token, context=CONTEXT)


def test_a_tampered_wrapped_key_does_not_unwrap(package_key):
    tampered = WrappedKey(package_key.key_id, package_key.nonce, _flip(package_key.ciphertext, 0))

    with pytest.raises(SealBroken):
        seal(tampered, PRICE, context=CONTEXT)


@pytest.mark.parametrize("text", ["", "k1.abc", "k2.0000.AAAA.AAAA", "k1.0000.AAAA.AAAA"])
def test_a_malformed_wrapped_key_is_a_broken_seal(master_key, text):
    with pytest.raises(SealBroken):
        seal(text, PRICE, context=CONTEXT)


def test_after_rotation_old_keys_still_open_and_rewrap_moves_them_to_the_new_key(package_key, settings):
    old_master = settings.PORTAL_SEALING_MASTER_KEY
    token = seal(package_key, PRICE, context=CONTEXT)
    settings.PORTAL_SEALING_MASTER_KEY = _new_master_key()
    settings.PORTAL_SEALING_OLD_MASTER_KEYS = [old_master]

    rewrapped = rewrap(package_key)

    assert open_sealed(package_key, token, context=CONTEXT) == PRICE
    assert package_key.key_id == _key_id(old_master)
    assert rewrapped.key_id == _key_id(settings.PORTAL_SEALING_MASTER_KEY)
    settings.PORTAL_SEALING_OLD_MASTER_KEYS = []
    assert open_sealed(rewrapped, token, context=CONTEXT) == PRICE
    with pytest.raises(SealBroken):
        open_sealed(package_key, token, context=CONTEXT)


def test_a_standard_base64_master_key_is_accepted(settings):
    raw = secrets.token_bytes(32)
    settings.PORTAL_SEALING_MASTER_KEY = base64.b64encode(raw).decode()

    assert new_package_key().key_id == hashlib.sha256(raw).hexdigest()[:8]


@pytest.mark.parametrize("bad", ["too-short", base64.b64encode(b"x" * 16).decode(), "é" * 44])
def test_a_master_key_that_is_not_32_bytes_is_a_configuration_error(settings, bad):
    settings.PORTAL_SEALING_MASTER_KEY = bad

    with pytest.raises(ImproperlyConfigured, match="32 random bytes"):
        new_package_key()


def test_with_debug_and_no_key_sealing_is_refused_too(settings):
    # The development key comes from the settings (a key file under var/), never from
    # SECRET_KEY: without a configured key nothing seals, DEBUG or not.
    settings.DEBUG = True
    settings.PORTAL_SEALING_MASTER_KEY = ""

    with pytest.raises(ImproperlyConfigured, match="need a master key"):
        new_package_key()


def test_without_debug_and_without_a_key_sealing_is_refused(package_key, settings):
    token = seal(package_key, PRICE, context=CONTEXT)
    settings.PORTAL_SEALING_MASTER_KEY = ""

    for attempt in (
        new_package_key,
        lambda: seal(package_key, PRICE, context=CONTEXT),
        lambda: open_sealed(package_key, token, context=CONTEXT),
        lambda: rewrap(package_key),
    ):
        with pytest.raises(ImproperlyConfigured, match="SEALING_MASTER_KEY"):
            attempt()


# --- Files -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, SEGMENT, 3 * SEGMENT + SEGMENT // 2, 4 * SEGMENT])
def test_a_sealed_file_opens_to_the_same_bytes(package_key, size):
    data = os.urandom(size)
    sealed = io.BytesIO()

    sealed_hash = seal_file(package_key, io.BytesIO(data), sealed, context="d", segment_size=SEGMENT)
    opened = io.BytesIO()
    opened_hash = open_sealed_file(package_key, io.BytesIO(sealed.getvalue()), opened, context="d")

    assert opened.getvalue() == data
    assert sealed_hash == opened_hash == sha256_hex(data)
    if size >= 16:  # a run of 16 random bytes does not occur in ciphertext by chance
        assert data[:64] not in sealed.getvalue()


def _segments(sealed: bytes) -> tuple[bytes, list[bytes]]:
    header, body = sealed[:24], sealed[24:]
    width = 12 + SEGMENT + 16
    return header, [body[start : start + width] for start in range(0, len(body), width)]


@pytest.fixture
def three_and_a_half_segments(package_key):
    data = os.urandom(3 * SEGMENT + SEGMENT // 2)
    return data, _sealed_file(package_key, data)


def test_the_sealed_file_has_a_segment_per_chunk(three_and_a_half_segments):
    _data, sealed = three_and_a_half_segments

    header, segments = _segments(sealed)

    assert header.startswith(b"PSF1")
    assert [len(segment) for segment in segments] == [12 + SEGMENT + 16] * 3 + [12 + SEGMENT // 2 + 16]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda header, segs: header + b"".join(segs[:3]), id="last segment dropped"),
        pytest.param(lambda header, segs: header + b"".join(segs[:3]) + segs[3][:-1], id="last segment cut short"),
        pytest.param(lambda header, segs: header + b"".join(segs[:3]) + segs[3][:20], id="only a nonce left"),
        pytest.param(lambda header, segs: header + segs[1] + segs[0] + segs[2] + segs[3], id="segments swapped"),
        pytest.param(lambda header, segs: header + segs[0] + segs[0] + segs[2] + segs[3], id="segment repeated"),
        pytest.param(lambda header, segs: header + b"".join(segs) + segs[3], id="segment appended"),
        pytest.param(lambda header, segs: header + _flip(segs[1], 5) + segs[2] + segs[3], id="nonce flipped"),
        pytest.param(lambda header, segs: header + segs[0] + _flip(segs[1], 500) + segs[2] + segs[3], id="data"),
        pytest.param(lambda header, segs: _flip(header, 6) + b"".join(segs), id="segment size in header"),
        pytest.param(lambda header, segs: _flip(header, 20) + b"".join(segs), id="file id in header"),
        pytest.param(lambda header, segs: b"PSF2" + header[4:] + b"".join(segs), id="magic"),
        pytest.param(lambda header, segs: header[:10], id="header cut short"),
        pytest.param(lambda header, segs: header, id="no segments"),
    ],
)
def test_a_tampered_sealed_file_does_not_open(package_key, three_and_a_half_segments, change):
    _data, sealed = three_and_a_half_segments
    header, segments = _segments(sealed)

    with pytest.raises(SealBroken):
        _open_file(package_key, change(header, segments))


def test_a_segment_of_another_file_with_the_same_key_and_context_does_not_splice_in(
    package_key, three_and_a_half_segments
):
    _data, sealed = three_and_a_half_segments
    header, segments = _segments(sealed)
    _other_header, other_segments = _segments(_sealed_file(package_key, os.urandom(3 * SEGMENT + SEGMENT // 2)))

    with pytest.raises(SealBroken):
        _open_file(package_key, header + segments[0] + other_segments[1] + segments[2] + segments[3])


def test_a_sealed_file_does_not_open_in_another_context_or_with_another_package_key(
    package_key, three_and_a_half_segments
):
    _data, sealed = three_and_a_half_segments

    with pytest.raises(SealBroken, match="segment 0"):
        _open_file(package_key, sealed, context="package:12/bid:35/document:5")
    with pytest.raises(SealBroken):
        _open_file(new_package_key(), sealed)


class _Zeros:
    """A readable stream of `size` zero bytes that never holds them all."""

    def __init__(self, size):
        self.remaining = size

    def read(self, size=-1):
        size = self.remaining if size < 0 else min(size, self.remaining)
        self.remaining -= size
        return bytes(size)


class _HashingSink:
    def __init__(self):
        self.digest, self.size = hashlib.sha256(), 0

    def write(self, data):
        self.digest.update(data)
        self.size += len(data)
        return len(data)


def test_files_are_sealed_and_opened_in_bounded_memory(package_key, tmp_path):
    size = 20 * 1024 * 1024
    sealed_path = tmp_path / "sealed.bin"
    sink = _HashingSink()

    tracemalloc.start()
    try:
        with sealed_path.open("wb") as sealed:
            sealed_hash = seal_file(package_key, _Zeros(size), sealed, context="doc")
        _current, sealing_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        with sealed_path.open("rb") as sealed:
            opened_hash = open_sealed_file(package_key, sealed, sink, context="doc")
        _current, opening_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert sink.size == size
    assert sealed_hash == opened_hash == sink.digest.hexdigest() == hashlib.sha256(bytes(size)).hexdigest()
    # A few 1 MiB segments at a time (the one in hand, the one read ahead, its ciphertext).
    assert sealing_peak < 6 * 1024 * 1024, sealing_peak
    assert opening_peak < 6 * 1024 * 1024, opening_peak


# --- Receipts ----------------------------------------------------------------------------------------


def test_receipt_hashes_are_sha256_of_what_was_received():
    data = os.urandom(3 * 1024 + 7)
    stream = io.BytesIO(data)

    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
    assert sha256_file(stream, chunk_size=1024) == hashlib.sha256(data).hexdigest()
    assert sha256_file(io.BytesIO(b"")) == hashlib.sha256(b"").hexdigest()


# --- Settings -------------------------------------------------------------------------------------------

SHOW_KEY_ID = (
    "from django.core.exceptions import ImproperlyConfigured\n"
    "from eprocurement.sealing import new_package_key\n"
    "try:\n    print(new_package_key().key_id)\n"
    "except ImproperlyConfigured as error:\n    print('refused:', error)\n"
)


def _key_id_in_a_fresh_process(tmp_path, **environment):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEALING_", "DATABASE_URL", "REDIS_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", PORTAL_VAR_DIR=str(tmp_path), DEBUG="0")
    env.update(SECRET_KEY="a-production-like-secret-key-for-this-test-only-0123456789", **environment)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", SHOW_KEY_ID],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_master_key_comes_from_the_environment_or_a_file_and_its_absence_does_not_stop_start_up(tmp_path):
    from_environment, in_file = _new_master_key(), _new_master_key()
    key_file = tmp_path / "sealing.key"
    key_file.write_text(in_file + "\n")

    assert _key_id_in_a_fresh_process(tmp_path, SEALING_MASTER_KEY=from_environment) == _key_id(from_environment)
    assert _key_id_in_a_fresh_process(tmp_path, SEALING_MASTER_KEY_FILE=str(key_file)) == _key_id(in_file)
    assert _key_id_in_a_fresh_process(tmp_path).startswith("refused: Sealed bids need a master key")
