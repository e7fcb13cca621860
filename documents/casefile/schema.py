"""Check a case file against the published JSON Schema (docs/case.schema.json).

A file that names an unknown ``format`` or breaks the schema is refused whole, with a message naming
the key (``merchant.kind``, ``money[1].amount``). ``validate`` raises ``CaseFileError`` on the first
error in the order of the document; it returns nothing when the file is valid.
"""

import json
import re
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

# documents/casefile/schema.py -> project root.
SCHEMA_PATH = Path(__file__).resolve().parent.parent.parent / "docs" / "case.schema.json"
FORMAT = "dispute-ladder/case@1"

_LONGEST_VALUE = 60


class CaseFileError(ValueError):
    """A case file that cannot be read. ``key`` is the JSON path of the fault, "" for the whole document."""

    def __init__(self, message, key=""):
        super().__init__(message)
        self.message = message
        self.key = key


def _ecma_pattern(validator, pattern, instance, schema):
    """``pattern`` with the schema's (ECMA-262) meaning: ``\\d`` is ASCII, ``$`` is the very end.

    Python's ``re`` would let "２９９.00" (full-width digits) and "299.00\\n" (``$`` before a final
    newline) through the published patterns.
    """
    if validator.is_type(instance, "string") and not _compile(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _compile(pattern):
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern, re.ASCII)


_Validator = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})


@cache
def schema():
    """The published schema, read once."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator():
    document = schema()
    Draft202012Validator.check_schema(document)
    return _Validator(document, format_checker=Draft202012Validator.FORMAT_CHECKER)


def json_path(parts):
    """``["money", 1, "amount"]`` -> ``"money[1].amount"``; ``[]`` -> ``""``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _show(value):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _LONGEST_VALUE else text[: _LONGEST_VALUE - 1] + "…"


def _json_type(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    return "number"


def validate(document):
    """Raise ``CaseFileError`` unless ``document`` (parsed JSON) is a valid case file, version 1."""
    if not isinstance(document, dict):
        raise CaseFileError(
            _("A case file must be a JSON object, not a JSON %(detail)s.") % {"detail": _json_type(document)}
        )
    if "format" not in document or document["format"] is None:
        raise CaseFileError(
            _("%(key)s is missing: this is not a case file (expected %(detail)s).")
            % {"key": "format", "detail": FORMAT},
            key="format",
        )
    if document["format"] != FORMAT:
        raise CaseFileError(
            _("%(key)s: unknown format %(detail)s; this app reads %(expected)s.")
            % {"key": "format", "detail": _show(document["format"]), "expected": FORMAT},
            key="format",
        )
    errors = list(_validator().iter_errors(document))
    if errors:
        first = min(errors, key=lambda error: _order(document, error))
        raise _refusal(first)


# Among errors at the same place: a missing key first, an unmet "one of these keys" last.
_RANK = {"required": 0, "type": 1, "anyOf": 3, "oneOf": 3}


def _order(document, error):
    """Sort key: where the error is in the document (keys in the file's order), then its kind."""
    positions = []
    node = document
    for part in error.absolute_path:
        if isinstance(node, dict):
            keys = list(node)
            positions.append(keys.index(part) if part in node else len(keys))
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            positions.append(part)
            node = node[part]
        else:
            positions.append(0)
            node = None
    return positions, _RANK.get(error.validator, 2), error.message


def _missing(error):
    """The first key a ``required`` error found missing."""
    present = error.instance if isinstance(error.instance, dict) else {}
    return next(name for name in error.validator_value if name not in present)


def _refusal(error):
    path = list(error.absolute_path)
    kind = error.validator
    value = error.instance
    if kind == "required":
        key = json_path([*path, _missing(error)])
        return CaseFileError(_("%(key)s is missing.") % {"key": key}, key=key)
    key = json_path(path)
    shown = key or _("The case file")
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        detail = "/".join(name for name in wanted if name != "null")
        if "null" in wanted:
            message = _("%(key)s must be a JSON %(detail)s, or null.")
        else:
            message = _("%(key)s must be a JSON %(detail)s.")
        return CaseFileError(message % {"key": shown, "detail": detail}, key=key)
    if kind == "enum":
        allowed = ", ".join(str(name) for name in error.validator_value if name is not None)
        return CaseFileError(
            _("%(key)s: %(detail)s is not allowed; use one of: %(allowed)s.")
            % {"key": shown, "detail": _show(value), "allowed": allowed},
            key=key,
        )
    if kind in ("anyOf", "oneOf"):
        names = [name for branch in error.validator_value for name in branch.get("required", [])]
        if names:
            return CaseFileError(
                _("%(key)s needs at least one of: %(detail)s.") % {"key": shown, "detail": ", ".join(names)},
                key=key,
            )
    if kind == "pattern":
        message = _pattern_messages().get(error.validator_value)
        if message:
            return CaseFileError(message % {"key": shown, "detail": _show(value)}, key=key)
    if kind == "format" and error.validator_value == "date":
        message = _("%(key)s is not a real date: %(detail)s.")
        return CaseFileError(message % {"key": shown, "detail": _show(value)}, key=key)
    if kind == "minimum":
        return CaseFileError(
            _("%(key)s must be at least %(detail)s.") % {"key": shown, "detail": error.validator_value}, key=key
        )
    return CaseFileError(_("%(key)s is not valid: %(detail)s.") % {"key": shown, "detail": error.message}, key=key)


def _pattern_messages():
    """Message templates for the schema's patterns, found through its $defs (dates, money, rates)."""
    defs = schema()["$defs"]
    return {
        defs["date"]["pattern"]: _("%(key)s must be a date written YYYY-MM-DD, not %(detail)s."),
        defs["money"]["pattern"]: _("%(key)s must be an amount in yuan such as 299.00, not %(detail)s."),
        defs["rate"]["pattern"]: _("%(key)s must be a rate such as 0.60%%, not %(detail)s."),
    }
