"""The YAML dialect of the notes store: safe loading, readable dumping, placed errors.

Loading goes only through ``CSafeLoader`` (``SafeLoader`` where libyaml is
missing): plain YAML, no Python tags, nothing nested deeper than ``MAX_DEPTH``
(checked before libyaml's composer, which recurses in C, can overflow the stack).
Dumping keeps keys in order, writes Unicode as is and multi-line text as literal
blocks (``|``); text holding the other line
breaks YAML knows (``\\r``, NEL, U+2028, U+2029), which a block or a plain scalar
would fold into ``\\n``, is double-quoted so they are escaped. libyaml's emitter escapes
characters outside the Basic Multilingual Plane (emoji) even with
``allow_unicode``, so text holding them is dumped by the pure-Python emitter,
which writes them as they are. Every error carries a 1-based line and column.

YAML is imported on first use, so that importing the store costs nothing at start-up.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

__all__ = ["YamlTextError", "load_yaml", "check_nesting", "dump_yaml", "dump_yaml_plain", "node_mark", "MAX_DEPTH"]

MAX_DEPTH = 100  # collections inside collections: a notes file has five; libyaml's composer recurses in C
MAX_ALIASED = 100_000  # values that aliases may add to what the text spells out (an alias bomb adds billions)

_WIDE = 1 << 30  # never fold long lines
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")  # line breaks to YAML, folded inside blocks and quotes
_ESCAPED_ASTRAL = re.compile(r"\\U[0-9A-F]{8}")
_TAG = re.compile(r"the tag '(?:tag:yaml\.org,2002:)?([^']*)'")
# what PyYAML's constructors raise on a tagged or impossible value (!!bool maybe, 2024-13-01, !!int "")
_CONSTRUCTION_ERRORS = (ValueError, LookupError, AttributeError, TypeError, ArithmeticError)
# a line whose leading spaces and "-"/"?" indicators could start block collections this deep
_DEEP_LEAD = re.compile(rf"(?:^|[\r\x85\u2028\u2029])[ \t?-]{{{MAX_DEPTH // 4},}}", re.MULTILINE)


class YamlTextError(ValueError):
    """Text that is not YAML we read; ``line`` and ``column`` are 1-based (0 when unknown)."""

    def __init__(self, problem: str, line: int = 0, column: int = 0) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line
        self.column = column

    def placed(self) -> str:
        """``line L, column C: problem`` (or just the problem when the place is unknown)."""
        if self.line:
            return f"line {self.line}, column {self.column}: {self.problem}"
        return self.problem


def load_yaml(text: str) -> Any:
    """The data in ``text``, read safely; raises :class:`YamlTextError` with the place."""
    import yaml

    check_nesting(text)
    try:
        data = yaml.load(text, Loader=_loader())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = _problem(error.problem or str(error), error.context)
        if mark is None:
            raise YamlTextError(problem) from None
        raise YamlTextError(problem, mark.line + 1, mark.column + 1) from None
    except yaml.reader.ReaderError as error:
        line, column = _place(text, error.position)
        raise YamlTextError(f"character #x{error.character:04x} is not allowed in YAML", line, column) from None
    except yaml.YAMLError as error:
        raise YamlTextError(str(error).splitlines()[0]) from None
    except _CONSTRUCTION_ERRORS as error:
        raise _bad_value(text, error) from None
    if "*" in text:  # an alias: the data may hold itself, or expand far beyond the text
        _check_aliases(data, len(text) + MAX_ALIASED)
    return data


def check_nesting(text: str) -> None:
    """Raise :class:`YamlTextError` (with the place) for collections nested deeper than ``MAX_DEPTH``.

    libyaml's composer recurses in C, so a file of 50,000 ``[`` overflows the
    stack and kills the process. The bound is cheap and never too low: flow
    nesting needs a ``[`` or ``{`` a level, and a block collection starts in the
    leading run of spaces and ``-``/``?`` of a line, one column further right at
    least every second level. Only past it are the parser's events counted
    (libyaml's parser is a state machine: no recursion).
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH // 2 and not _DEEP_LEAD.search(text):
        return
    import yaml

    depth = 0
    try:
        for event in yaml.parse(text, Loader=_loader()):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise YamlTextError(f"nested more than {MAX_DEPTH} levels deep", mark.line + 1, mark.column + 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # not YAML: loading says where, before it nests any deeper


def dump_yaml(data: Any) -> str:
    """``data`` as readable YAML: key order kept, Unicode as is, multi-line text as blocks."""
    import yaml

    fast, pure, _ = _dumpers()
    text = yaml.dump(data, Dumper=fast, sort_keys=False, allow_unicode=True, width=_WIDE)
    if _ESCAPED_ASTRAL.search(text):
        text = yaml.dump(data, Dumper=pure, sort_keys=False, allow_unicode=True, width=_WIDE)
    return text


def dump_yaml_plain(data: Any) -> str:
    """``data`` as YAML without literal blocks (the fallback when a block does not read back)."""
    import yaml

    return yaml.dump(data, Dumper=_dumpers()[2], sort_keys=False, allow_unicode=True, width=_WIDE)


def node_mark(text: str, path: tuple[str | int, ...]) -> tuple[int, int]:
    """1-based (line, column) of the value at ``path`` (mapping keys and list indexes) in ``text``.

    Composes the text again, so it is meant for the error path only; ``(0, 0)`` when
    the path is not there.
    """
    import yaml

    try:
        node = yaml.compose(text, Loader=_loader())
    except yaml.YAMLError:
        return 0, 0
    for step in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value if getattr(key, "value", None) == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            child = node.value[step]
        if child is None:
            break
        node = child
    if node is None:
        return 0, 0
    return node.start_mark.line + 1, node.start_mark.column + 1


@cache
def _loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def _dumpers() -> tuple[Any, Any, Any]:
    """(libyaml dumper, pure dumper) writing multi-line text as literal blocks, and a plain one."""
    import yaml

    def represent_text(dumper: Any, value: str) -> Any:
        if any(mark in value for mark in _OTHER_BREAKS):
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
        if "\n" in value and dumper.blocks:
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
        return dumper.represent_str(value)

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    fast = type("BlockTextFastDumper", (base,), {"blocks": True})
    pure = type("BlockTextDumper", (yaml.SafeDumper,), {"blocks": True})
    plain = type("QuotedTextDumper", (yaml.SafeDumper,), {"blocks": False})
    for dumper in (fast, pure, plain):
        dumper.add_representer(str, represent_text)
    return fast, pure, plain


def _problem(problem: str, context: str | None) -> str:
    tag = _TAG.search(problem)
    if tag:
        shown = tag.group(1) if tag.group(1).startswith("!") else f"!!{tag.group(1)}"
        return f"the tag {shown} is not allowed (only plain YAML is read)"
    return f"{problem} ({context})" if context else problem


def _check_aliases(data: Any, limit: int) -> None:
    """Refuse data that holds itself, nests deeper than ``MAX_DEPTH`` or expands past ``limit`` values.

    Comparing, dumping or exporting such data recurses forever or takes exponential
    time (nine aliases of nine aliases ... of a list: 9**12 values from 1 KB). The
    walk counts each shared collection once, so it is linear in what was loaded.
    """
    seen: dict[int, tuple[int, int]] = {}  # a shared collection's (values, levels), counted once
    holding: list[int] = []

    def measure(value: Any) -> tuple[int, int]:
        if not isinstance(value, (dict, list, set, tuple)):
            return 1, 0
        key = id(value)
        if key in seen:
            return seen[key]
        if key in holding:
            raise YamlTextError("an alias (*name) refers to a collection that holds it")
        holding.append(key)
        total, levels = 1, 0
        for item in (*value.keys(), *value.values()) if isinstance(value, dict) else value:
            size, depth = measure(item)
            total, levels = total + size, max(levels, depth)
            if total > limit:
                raise YamlTextError(f"its aliases (*name) expand it to more than {limit:,} values")
        if levels >= MAX_DEPTH:  # an alias to a nest of aliases: deeper than the text is written
            raise YamlTextError(f"nested more than {MAX_DEPTH} levels deep through aliases (*name)")
        holding.pop()
        seen[key] = total, levels + 1
        return seen[key]

    measure(data)


def _bad_value(text: str, error: Exception) -> YamlTextError:
    """The first scalar PyYAML cannot construct, and its place (the error path only)."""
    import yaml

    loader = _loader()(text)
    try:
        stack, seen = [loader.get_single_node()], set()
        while stack:
            node = stack.pop()
            if node is None or id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, yaml.MappingNode):
                stack.extend(item for pair in reversed(node.value) for item in reversed(pair))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(reversed(node.value))
            elif not _constructs(loader, node):
                shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
                kind = node.tag.rsplit(":", 1)[-1]
                mark = node.start_mark
                return YamlTextError(f"{shown!r} is not a valid {kind}", mark.line + 1, mark.column + 1)
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return YamlTextError(f"a value that cannot be read ({type(error).__name__}: {error})".splitlines()[0])


def _constructs(loader: Any, node: Any) -> bool:
    try:
        loader.construct_object(node)
    except Exception:  # whatever the constructor raised: this is the value to name
        return False
    return True


def _place(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    line = before.count("\n") + 1
    return line, position - (before.rfind("\n") + 1) + 1
