"""Reading a response body with bounded memory, whatever its Content-Encoding claims.

httpx decodes gzip in one call per network chunk, without an output limit: 1,827 bytes of
``Content-Encoding: gzip, gzip`` expand to gigabytes. Here the raw bytes are decoded layer by
layer with zlib's ``max_length``, so no step holds more than :data:`STEP` bytes per layer and
decoding stops as soon as the body passes its cap.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass
from typing import AsyncIterator, Iterator

import httpx

STEP = 64 * 1024
#: beyond the cap, a decoded/encoded ratio above this is a decompression bomb, not a big answer
MAX_RATIO = 200
#: raw bytes read at most, as a multiple of the cap (an encoding that consumes without producing)
RAW_FACTOR = 8
DECODABLE = ("gzip", "x-gzip", "deflate")


@dataclass
class Body:
    data: bytes = b""          # decoded, at most the cap
    truncated: bool = False    # cut at the cap
    encoded_bytes: int = 0     # raw bytes read off the wire
    decoded_bytes: int = 0     # bytes decoded (stops a little past the cap)
    encodings: tuple[str, ...] = ()
    bomb: bool = False         # decoded past the cap at a ratio no honest API sends
    decode_error: str = ""     # a corrupt encoding: what zlib said
    undecoded: str = ""        # an encoding we do not decode (kept as raw bytes)


class _Layer:
    """One zlib decoder that never returns more than it is asked for."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.raw_deflate = False
        self.d = self._new()
        self.tail = b""
        self.started = False

    def _new(self) -> "zlib._Decompress":
        if self.encoding == "deflate":
            return zlib.decompressobj(-zlib.MAX_WBITS if self.raw_deflate else zlib.MAX_WBITS)
        return zlib.decompressobj(zlib.MAX_WBITS | 16)

    def decode(self, data: bytes, limit: int) -> bytes:
        if self.d.eof:  # trailing bytes after the stream's end are ignored, like httpx does
            self.tail = b""
            return b""
        try:
            out = self.d.decompress(data, limit)
        except zlib.error:
            if self.encoding != "deflate" or self.started or self.raw_deflate:
                raise
            self.raw_deflate = True  # "deflate" sent without its zlib header, as some servers do
            self.d = self._new()
            out = self.d.decompress(data, limit)
        self.started = True
        self.tail = self.d.unconsumed_tail
        return out


class Decoder:
    """Decode a Content-Encoding chain incrementally: ``feed`` raw chunks, get bounded output."""

    def __init__(self, encodings: list[str]) -> None:
        # "gzip, br" was gzipped first: decode in reverse order
        self.layers = [_Layer(e) for e in reversed(encodings)]
        self._raw = b""

    def _pull(self, i: int, limit: int) -> bytes:
        """Up to ``limit`` bytes out of layer ``i`` (b"" when it needs more raw input)."""
        layer = self.layers[i]
        while True:
            if layer.tail:
                src = layer.tail
            elif i == 0:
                src, self._raw = self._raw, b""
            else:
                src = self._pull(i - 1, STEP)
            if not src:
                return b""
            out = layer.decode(src, limit)
            if out:
                return out
            if layer.d.eof:
                return b""

    def feed(self, raw: bytes, budget: int) -> Iterator[bytes]:
        """Decoded pieces of ``raw`` until ``budget`` bytes are passed (the caller stops there)."""
        if not self.layers:
            yield raw
            return
        self._raw = raw
        top = len(self.layers) - 1
        while budget >= 0:
            piece = self._pull(top, min(STEP, budget + 1))
            if not piece:
                return
            budget -= len(piece)
            yield piece


def content_encodings(response: httpx.Response) -> list[str]:
    values = [e.strip().lower() for e in response.headers.get_list("content-encoding", split_commas=True)]
    return [e for e in values if e and e != "identity"]


class BodyReader:
    """Collects one response body: raw chunks in, :class:`Body` out. Shared by the sync and async reads."""

    def __init__(self, response: httpx.Response, cap: int, deadline: float, timeout_s: float) -> None:
        self.response, self.cap, self.deadline, self.timeout_s = response, cap, deadline, timeout_s
        # a body already in memory (a mock or replay transport) was decoded by httpx already
        self.in_memory = response.is_stream_consumed
        encodings = [] if self.in_memory else content_encodings(response)
        unknown = [e for e in encodings if e not in DECODABLE]
        self.body = Body(encodings=tuple(encodings), undecoded=", ".join(unknown))
        self.decoder = Decoder([] if unknown else encodings)
        self.buf = bytearray()

    def feed(self, raw: bytes) -> bool:
        """Take one raw chunk; True when reading should stop (cap reached, corrupt data)."""
        body = self.body
        body.encoded_bytes += len(raw)
        try:
            for piece in self.decoder.feed(raw, self.cap - len(self.buf)):
                body.decoded_bytes += len(piece)
                self.buf += piece
                if len(self.buf) > self.cap:
                    body.truncated = True
                    ratio = body.decoded_bytes / max(body.encoded_bytes, 1)
                    body.bomb = bool(self.decoder.layers) and ratio > MAX_RATIO
                    return True
        except zlib.error as exc:
            body.decode_error = str(exc)
            return True
        if body.encoded_bytes > RAW_FACTOR * self.cap:
            body.truncated = True
            return True
        if time.monotonic() > self.deadline:  # also for transports without the guarded stream's deadline
            raise httpx.ReadTimeout(f"no complete response within {self.timeout_s:g} s",
                                    request=self.response.request)
        return False

    def finish(self) -> Body:
        self.body.data = bytes(self.buf[: self.cap])
        return self.body


def read_body(response: httpx.Response, cap: int, deadline: float, timeout_s: float) -> Body:
    reader = BodyReader(response, cap, deadline, timeout_s)
    if reader.in_memory:
        reader.feed(response.content)
        return reader.finish()
    for raw in response.iter_raw():
        if reader.feed(raw):
            break
    return reader.finish()


async def aread_body(response: httpx.Response, cap: int, deadline: float, timeout_s: float) -> Body:
    reader = BodyReader(response, cap, deadline, timeout_s)
    if reader.in_memory:
        reader.feed(response.content)
        return reader.finish()
    raws: AsyncIterator[bytes] = response.aiter_raw()
    async for raw in raws:
        if reader.feed(raw):
            break
    return reader.finish()
