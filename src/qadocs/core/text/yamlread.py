"""Reading the YAML people write (a source's front matter, the registry) with the safe loader, so
that whatever it holds ends in data or in a message with its line, never in a traceback.

The safe loader builds dates, numbers and tagged values with Python's constructors, which raise
plain `ValueError`s (`2024-13-45`, `!!float abc`, an offset past 24 hours): `construct` turns them
into the `ConstructorError` of the value that failed. An alias (`*name`) makes one value stand
for many (an 800-byte alias bomb is gigabytes once printed or walked), and deep nesting exhausts
the composer's recursion: `front_matter_data` refuses both from the event stream, which is read
without recursion, before anything is composed.
"""

from __future__ import annotations

import reprlib
from typing import Any

import yaml
from yaml.constructor import ConstructorError

MAX_YAML_DEPTH = 32  # lists and mappings nested in one another that front matter may hold; deeper is refused unread
SHOWN_MAX = 60  # characters of a value (or of an error about it) a message shows
ALIAS_REFUSED = "it uses a YAML alias (`*name`); write every value out"
_SHORT = reprlib.Repr()  # bounded whatever it is given: a few items per level, a few levels
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxstring, _SHORT.maxother = 3, 4, 4, SHOWN_MAX, SHOWN_MAX
_CONSTRUCTOR_ERRORS = (ValueError, OverflowError, TypeError)  # what Python's int, float, date… raise


def shown(value: object) -> str:
    """`repr(value)` cut to about SHOWN_MAX characters; bounded for any value, however large."""
    text = _SHORT.repr(value)
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"


def _short(text: str) -> str:
    """`text` cut to SHOWN_MAX characters."""
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"


def construct(loader: Any, node: yaml.Node) -> Any:
    """`loader.construct_document(node)`; a value the constructors cannot build raises the
    `ConstructorError` of that value, with its line."""
    try:
        return loader.construct_document(node)
    except _CONSTRUCTOR_ERRORS as exc:
        bad = _failing_scalar(loader, node) or node
        value = bad.value if isinstance(bad, yaml.ScalarNode) else bad.tag
        problem = f"cannot read {_short(str(value))!r} ({_short(str(exc))})"
        raise ConstructorError(None, None, problem, bad.start_mark) from exc


def _failing_scalar(loader: Any, root: yaml.Node) -> yaml.ScalarNode | None:
    """The first scalar under `root` (document order) that its constructor cannot build."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            loader.constructed_objects, loader.recursive_objects = {}, {}
            try:
                loader.construct_object(node, deep=True)
            except _CONSTRUCTOR_ERRORS:
                return node
            except yaml.YAMLError:
                continue
        elif isinstance(node, yaml.SequenceNode):
            stack += reversed(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack += reversed([part for pair in node.value for part in pair])
    return None


def _holds_mapping(text: str) -> bool:
    """Whether `text` is one YAML mapping, its events read (YAMLError where they stop); YamlRefused
    at the first alias or nesting past MAX_YAML_DEPTH, before the parser goes deeper: Python's
    scanner spends time in the depth on every token, so a deep text read to its end is quadratic."""
    depth = n = 0
    events = yaml.parse(text, Loader=yaml.SafeLoader)  # not libyaml: it calls deep nesting bad syntax
    for n, event in enumerate(events):
        if n == 2 and not isinstance(event, yaml.MappingStartEvent):
            return False  # events 0 and 1 start the stream and the document
        if isinstance(event, yaml.AliasEvent):
            raise YamlRefused(_line(event.start_mark), ALIAS_REFUSED)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise YamlRefused(_line(event.start_mark), f"it nests more than {MAX_YAML_DEPTH} lists or mappings")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return depth == 0 and n > 2


def _line(mark: Any) -> int:
    """The 0-based line of a mark (0 without one)."""
    return int(mark.line) if mark is not None else 0


class YamlRefused(Exception):
    """YAML that holds a mapping but is not read: why, and its 0-based line."""

    def __init__(self, line: int, why: str) -> None:
        super().__init__(why)
        self.line = line
        self.why = why


def front_matter_data(text: str) -> dict[Any, Any] | None:
    """The mapping `text` (a front matter's YAML) holds; None when it is no YAML mapping. YamlRefused
    when it is one but cannot be read: an alias, nesting past MAX_YAML_DEPTH, a value the safe
    loader cannot build."""
    try:
        if not _holds_mapping(text):
            return None
    except yaml.YAMLError:
        return None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = construct(loader, node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise YamlRefused(_line(exc.problem_mark or exc.context_mark), _short(str(exc.problem or exc))) from exc
    finally:
        loader.dispose()
    return data if isinstance(data, dict) else None
