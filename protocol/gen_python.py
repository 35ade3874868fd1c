#!/usr/bin/env python3
"""Writes protocol/constants.json as a Python module (for the Python SDK). Standard library only.

Usage: gen_python.py OUTPUT.py [--input constants.json]

Enum groups become enum.IntEnum classes, constants groups plain classes of typing.Final attributes; member names are
the JSON names in UPPER_SNAKE_CASE (protocol/README.md gives the rule). Enum groups whose members carry "text" also
get a <GROUP>_SPEC_NAMES dict. The schema is checked as strictly as the C# generator does; errors go to stderr
with exit status 1.
"""

import argparse
import json
import os
import re
import sys

INTEGER_RANGES = {
    "u8": (0, 2**8 - 1),
    "u16": (0, 2**16 - 1),
    "u32": (0, 2**32 - 1),
    "u64": (0, 2**64 - 1),
    "i32": (-(2**31), 2**31 - 1),
    "i64": (-(2**63), 2**63 - 1),
}
ROOT_KEYS = {"groups"}
GROUP_KEYS = {"name", "kind", "type", "doc", "spec", "members"}
MEMBER_KEYS = {"name", "value", "text", "doc", "spec"}
IDENTIFIER = re.compile(r"[A-Z][A-Za-z0-9]*\Z")


class SchemaError(Exception):
    pass


def upper_snake(name):
    """PascalCase -> UPPER_SNAKE: '_' before an upper-case letter that follows a lower-case letter or digit, or
    that follows an upper-case letter and precedes a lower-case one (IAmLeader -> I_AM_LEADER, Utf8Text -> UTF8_TEXT)."""
    out = []
    for i, c in enumerate(name):
        if i > 0 and c.isupper():
            prev = name[i - 1]
            nxt = name[i + 1] if i + 1 < len(name) else ""
            if prev.islower() or prev.isdigit() or (prev.isupper() and nxt.islower()):
                out.append("_")
        out.append(c.upper())
    return "".join(out)


def check_keys(obj, allowed, where):
    if not isinstance(obj, dict):
        raise SchemaError(f"{where} must be an object")
    for key in obj:
        if not key.startswith("$") and key not in allowed:
            raise SchemaError(f"unknown key {key!r} in {where}")


def required(obj, key, kind, where):
    if key not in obj:
        raise SchemaError(f"{where}: missing required key {key!r}")
    value = obj[key]
    if kind is str and not isinstance(value, str):
        raise SchemaError(f"{where}: {key!r} must be a string")
    if kind is list and not isinstance(value, list):
        raise SchemaError(f"{where}: {key!r} must be an array")
    if kind is str and key in ("doc", "spec") and not value.strip():
        raise SchemaError(f"{where}: {key!r} is empty")
    return value


def identifier(obj, where):
    name = required(obj, "name", str, where)
    if not IDENTIFIER.match(name):
        raise SchemaError(f"{where}: {name!r} is not a PascalCase identifier")
    return name


def load(path):
    """Reads and validates the constants file; returns its list of groups with member specs filled in."""

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        duplicates = {k for k in keys if keys.count(k) > 1}
        if duplicates:
            raise SchemaError(f"duplicate key {sorted(duplicates)[0]!r}")
        return dict(pairs)

    with open(path, encoding="utf-8-sig") as f:
        root = json.load(f, object_pairs_hook=no_duplicates)
    check_keys(root, ROOT_KEYS, "the document")
    groups = required(root, "groups", list, "the document")
    names = set()
    for group in groups:
        check_keys(group, GROUP_KEYS, "a group")
        name = identifier(group, "a group")
        where = f"group {name!r}"
        if name in names:
            raise SchemaError(f"duplicate group name {name!r}")
        names.add(name)
        kind = required(group, "kind", str, where)
        if kind not in ("enum", "constants"):
            raise SchemaError(f"{where}: 'kind' must be 'enum' or 'constants'")
        type_ = required(group, "type", str, where)
        if type_ not in INTEGER_RANGES and type_ != "string":
            raise SchemaError(f"{where}: unknown type {type_!r}")
        if kind == "enum" and type_ == "string":
            raise SchemaError(f"{where}: an enum needs an integer type")
        required(group, "doc", str, where)
        spec = required(group, "spec", str, where)
        members = required(group, "members", list, where)
        if not members:
            raise SchemaError(f"{where}: 'members' is empty")
        member_names = set()
        enum_values = set()
        for member in members:
            check_keys(member, MEMBER_KEYS, f"a member of {where}")
            member_name = identifier(member, f"a member of {where}")
            mwhere = f"member {name}.{member_name}"
            # Compared upper-cased because members are rendered in UPPER_SNAKE_CASE.
            if member_name.upper() in member_names:
                raise SchemaError(f"{where}: duplicate member name {member_name!r} (names must differ in more than case)")
            if member_name == name:
                raise SchemaError(f"{mwhere}: a member cannot have the name of its group")
            member_names.add(member_name.upper())
            if "value" not in member:
                raise SchemaError(f"{mwhere}: missing required key 'value'")
            value = member["value"]
            if type_ == "string":
                if not isinstance(value, str):
                    raise SchemaError(f"{mwhere}: 'value' must be a string")
            else:
                low, high = INTEGER_RANGES[type_]
                if isinstance(value, bool) or not isinstance(value, int):
                    raise SchemaError(f"{mwhere}: 'value' must be an integer for type {type_}")
                if not low <= value <= high:
                    raise SchemaError(f"{mwhere}: {value} is out of range for type {type_}")
                if kind == "enum" and value in enum_values:
                    raise SchemaError(f"{where}: duplicate enum value {value} (member {member_name!r})")
                enum_values.add(value)
            if "text" in member:
                if kind != "enum":
                    raise SchemaError(f"{mwhere}: 'text' is only allowed in enum groups")
                required(member, "text", str, mwhere)
            required(member, "doc", str, mwhere)
            member["spec"] = required(member, "spec", str, mwhere) if "spec" in member else spec
    return groups


def render(groups):
    lines = [
        "# Generated by protocol/gen_python.py from protocol/constants.json. Edit the JSON, not this file.",
        '"""GenVM protocol constants (target genvm commit b22bc5c); the spec section is given with each name."""',
        "",
        "import enum",
        "import typing",
        "",
    ]
    exported = []
    for group in groups:
        name = group["name"]
        exported.append(name)
        lines.append("")
        if group["kind"] == "enum":
            lines.append(f"class {name}(enum.IntEnum):")
        else:
            lines.append(f"class {name}:")
        lines.append(f"    {repr(group['doc'] + ' (' + group['spec'] + ')')}")
        for member in group["members"]:
            lines.append("")
            annotation = "" if group["kind"] == "enum" else ": typing.Final"
            lines.append(f"    {upper_snake(member['name'])}{annotation} = {member['value']!r}")
            lines.append(f"    {repr(member['doc'] + ' (' + member['spec'] + ')')}")
        lines.append("")
        texts = [m for m in group["members"] if "text" in m]
        if texts:
            mapping = f"{upper_snake(name)}_SPEC_NAMES"
            exported.append(mapping)
            lines.append("")
            lines.append(f"{mapping}: typing.Final[typing.Mapping[{name}, str]] = {{")
            for member in texts:
                lines.append(f"    {name}.{upper_snake(member['name'])}: {member['text']!r},")
            lines.append("}")
            lines.append("")
    lines.append("")
    lines.append("__all__ = [")
    lines.extend(f"    {n!r}," for n in exported)
    lines.append("]")
    return "\n".join(lines) + "\n"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", help="path of the Python module to write")
    parser.add_argument(
        "--input",
        default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "constants.json"),
        help="constants file (default: constants.json next to this script)",
    )
    args = parser.parse_args(argv)
    try:
        groups = load(args.input)
    except (SchemaError, json.JSONDecodeError) as e:
        print(f"{args.input}: {e}", file=sys.stderr)
        return 1
    text = render(groups)
    directory = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(directory, exist_ok=True)
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
