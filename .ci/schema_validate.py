"""Validates scenario files against gatesim's JSON Schema with an independent
validator (the `jsonschema` package, draft-07), after reading each TOML file
with Python's own tomllib.

usage: schema_validate.py SCHEMA.json VALID.toml ... [--invalid INVALID.toml ...]
Every file before --invalid must validate; every file after it must not.
Exit code 0 when all do as expected, 1 otherwise, 3 when jsonschema is missing."""

import json
import sys
import datetime
import tomllib

try:
    import jsonschema
except ImportError:
    print("schema_validate: the Python package jsonschema is not installed (pip install jsonschema)")
    sys.exit(3)


def as_json(value):
    """The TOML document as JSON holds it: TOML dates and times become their
    ISO 8601 text (gatesim reads a TOML date and a "YYYY-MM-DD" string alike,
    and its schema says format "date")."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


def main():
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    valid, invalid, target = [], [], None
    target = valid
    for arg in sys.argv[2:]:
        if arg == "--invalid":
            target = invalid
        else:
            target.append(arg)
    failed = 0
    for path, must_pass in [(p, True) for p in valid] + [(p, False) for p in invalid]:
        try:
            with open(path, "rb") as f:
                doc = as_json(tomllib.load(f))
            errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        except tomllib.TOMLDecodeError as e:
            errors = [f"not TOML: {e}"]
        if must_pass and errors:
            failed += 1
            print(f"FAIL {path}: rejected by the schema")
            for e in errors[:5]:
                where = "/".join(str(p) for p in getattr(e, "absolute_path", [])) or "(top)"
                print(f"     - {where}: {getattr(e, 'message', e)}"[:300])
        elif not must_pass and not errors:
            failed += 1
            print(f"FAIL {path}: accepted by the schema, but it is invalid")
        else:
            first = "" if must_pass else f" ({str(getattr(errors[0], 'message', errors[0]))[:120]})"
            print(f"ok   {path}: {'valid' if must_pass else 'rejected'}{first}")
    total = len(valid) + len(invalid)
    print(f"{total - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
