"""Safe YAML loading that remembers where every key stands, and keeps text as written.

Mappings load as `LineDict` and sequences as `LineList`, which carry the file
line of each key or item, so later stages can name the line of a bad value.
Plain scalars stay the editor's text: YAML 1.1 would silently turn `no` into
False, `012` into 10, `1.10` into 1.1 and `12:30` into 750; here only the
schema decides what a value becomes (see validate). Only the safe loader is
used (the C one when PyYAML has it); duplicate keys, which PyYAML silently
collapses, are reported with both lines.

A plain value followed on its line by ` #...` lost that text to a comment
(`title: Regions #1 in ...` reads "Regions"); the containers keep what was cut
off in `comments`, so validation can refuse it where the schema wants text.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from wgsite.problems import Problems
from wgsite.content.yaml_errors import explain

try:
    _SafeLoader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _SafeLoader = yaml.SafeLoader  # type: ignore[misc]


class LineDict(dict):
    """A mapping from YAML; `lines[key]` is the file line of each key, `line` its own."""

    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lines: dict[Any, int] = {}
        self.comments: dict[Any, str] = {}  # key -> the rest of its line, from ' #'

    def line_of(self, key: Any) -> int:
        """The line of `key`, or of the mapping itself when the key is absent."""
        return self.lines.get(key, self.line)


class LineList(list):
    """A sequence from YAML; `lines[i]` is the file line of item i."""

    line: int = 0

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.lines: list[int] = []
        self.comments: dict[int, str] = {}  # index -> the rest of its line, from ' #'

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


class Text(str):
    """Text with the file line it starts on: Markdown from front matter or data."""

    line: int

    def __new__(cls, value: str, line: int) -> "Text":
        text = super().__new__(cls, value)
        text.line = line
        return text


_NULL = "tag:yaml.org,2002:null"


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """The safe loader, building line-aware containers and noting duplicate keys."""

    first_line = 1
    # Of YAML's implicit types only null is kept (an empty value, ~, null);
    # every other plain scalar is a string until the schema reads it.
    yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag == _NULL]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def _line(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.first_line

    def _comment_after(self, node: yaml.Node) -> str | None:
        """What a comment cut off after a plain (unquoted) value, or None."""
        if not isinstance(node, yaml.ScalarNode) or node.style:
            return None
        end = node.end_mark
        if end.line >= len(self.source_lines):
            return None
        rest = self.source_lines[end.line][end.column:]
        return rest.rstrip() if re.match(r"[ \t]+#", rest) else None

    def _construct_map(self, node: yaml.MappingNode) -> LineDict:
        self.flatten_mapping(node)
        result = LineDict()
        result.line = self._line(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key here is a list or mapping; keys must be plain words",
                    key_node.start_mark) from None
            line = self._line(key_node)
            if key in result:
                self.duplicates.append((key, result.lines[key], line))
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = line
            comment = self._comment_after(value_node)
            if comment is not None:
                result.comments[key] = comment
        return result

    def _construct_seq(self, node: yaml.SequenceNode) -> LineList:
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = self._line(node)
        result.lines = [self._line(child) for child in node.value]
        for index, child in enumerate(node.value):
            comment = self._comment_after(child)
            if comment is not None:
                result.comments[index] = comment
        return result


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader._construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader._construct_seq)


def load_yaml(text: str, path: str, problems: Problems, first_line: int = 1) -> Any:
    """Parse `text` (which starts at file line `first_line`); report mistakes into `problems`.

    Returns the data, or None when it could not be read.
    """
    loader = _Loader(text)
    loader.first_line = first_line
    loader.source_lines = text.split("\n")
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        said = explain(exc, loader.source_lines)
        problems.error(path, said.line + first_line, said.message, said.column)
        return None
    except yaml.YAMLError as exc:
        problems.error(path, first_line, f"YAML syntax: {exc}")
        return None
    finally:
        loader.dispose()
    for key, first, again in loader.duplicates:
        problems.error(path, again, f"duplicate key '{key}' (first given on line {first})")
    return data
