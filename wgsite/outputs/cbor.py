"""The part of CBOR (RFC 8949) that Pagefind's index files use, read and written.

Integers, byte and text strings, arrays and maps of definite length, encoded
in their shortest form, so that decoding and encoding again gives the same bytes.
"""

from __future__ import annotations

from typing import Any


class CborError(ValueError):
    pass


def loads(data: bytes) -> Any:
    """The one value that `data` holds."""
    value, end = _read(data, 0)
    if end != len(data):
        raise CborError(f"{len(data) - end} bytes after the value")
    return value


def dumps(value: Any) -> bytes:
    out = bytearray()
    _write(value, out)
    return bytes(out)


def _read(data: bytes, at: int) -> tuple[Any, int]:
    if at >= len(data):
        raise CborError("the data ends inside a value")
    major, info = data[at] >> 5, data[at] & 0x1F
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        if at + size > len(data):
            raise CborError("the data ends inside a value")
        argument = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise CborError(f"unsupported item {data[at - 1]:#04x} (indefinite length or float)")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        chunk = data[at:at + argument]
        if len(chunk) != argument:
            raise CborError("the data ends inside a string")
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _read(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(argument):
            key, at = _read(data, at)
            mapping[key], at = _read(data, at)
        return mapping, at
    raise CborError(f"unsupported major type {major}")


def _head(major: int, argument: int, out: bytearray) -> None:
    if argument < 24:
        out.append(major << 5 | argument)
        return
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            out.append(major << 5 | info)
            out += argument.to_bytes(size, "big")
            return
    raise CborError(f"integer {argument} is too large")


def _write(value: Any, out: bytearray) -> None:
    if isinstance(value, bool) or value is None:
        raise CborError(f"unsupported value {value!r}")
    if isinstance(value, int):
        _head(0, value, out) if value >= 0 else _head(1, -1 - value, out)
    elif isinstance(value, bytes):
        _head(2, len(value), out)
        out += value
    elif isinstance(value, str):
        encoded = value.encode("utf-8")
        _head(3, len(encoded), out)
        out += encoded
    elif isinstance(value, list):
        _head(4, len(value), out)
        for item in value:
            _write(item, out)
    elif isinstance(value, dict):
        _head(5, len(value), out)
        for key, item in value.items():
            _write(key, out)
            _write(item, out)
    else:
        raise CborError(f"unsupported value {value!r}")
