"""Parsing JSON sent by clients without letting its shape crash the server.

`json.loads` recurses once per nesting level and raises RecursionError (not ValueError)
on a document nested about a thousand levels deep, and every walk over the parsed value
recurses again. Request JSON is therefore refused, as a ValueError like any other bad
JSON, beyond MAX_DEPTH levels: no request the app understands nests that deep.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

MAX_DEPTH = 64


class JSONTooDeep(ValueError):
    def __init__(self) -> None:
        super().__init__(f"nested more than {MAX_DEPTH} levels deep")


def loads_bounded(text: str | bytes, **kwargs: Any) -> Any:
    """`json.loads`, raising JSONTooDeep (a ValueError) past MAX_DEPTH levels of nesting."""
    try:
        data = json.loads(text, **kwargs)
    except RecursionError:
        raise JSONTooDeep() from None
    if _deeper_than(data, MAX_DEPTH):
        raise JSONTooDeep()
    return data


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels (walked without recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


# What Flask's provider writes (sorted keys, compact, a final newline), through orjson: a
# third of the cost of `json.dumps` on every API answer. Values orjson leaves to `default`
# (dates, dataclasses, decimals) are written as Flask writes them.
_ORJSON_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_APPEND_NEWLINE
    | orjson.OPT_NON_STR_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)


class BoundedJSONProvider(DefaultJSONProvider):
    """The app's JSON provider: `request.get_json()` (silent or not) parses with the bound,
    so a too-deep body is bad JSON (400, or None when silent), never a 500; responses are
    encoded by orjson (UTF-8 rather than `\\u` escapes), or by Flask's encoder for what
    orjson refuses (integers past 64 bits) and when debugging (indented)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads_bounded(s, **kwargs)

    def response(self, *args: Any, **kwargs: Any):
        if self._app.debug:
            return super().response(*args, **kwargs)
        obj = self._prepare_response_obj(args, kwargs)
        try:
            body = orjson.dumps(obj, default=self.default, option=_ORJSON_OPTIONS)
        except orjson.JSONEncodeError:
            return super().response(*args, **kwargs)
        return self._app.response_class(body, mimetype=self.mimetype)
