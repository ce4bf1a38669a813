"""Strict YAML loading with line numbers, for scenario and parameter files.

Plain ``yaml.safe_load`` accepts duplicate keys (the last one silently wins), expands anchors and aliases
(a few lines can blow up to gigabytes), and forgets where each value stood in the file. This loader:

- refuses duplicate keys, aliases and anchors, files that are not UTF-8, and files above a size limit;
- returns the data together with a map from each key path to its line, so that a validation error on a
  field can name the line it came from.
"""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pydantic
import yaml

__all__ = ["InputError", "LoadedYaml", "load_yaml", "loads_yaml", "validate", "MAX_FILE_BYTES"]

#: Scenario and parameter files are small; anything larger is refused before it is parsed.
MAX_FILE_BYTES = 256 * 1024

Path_t = tuple[str | int, ...]
_M = TypeVar("_M", bound=pydantic.BaseModel)


class InputError(Exception):
    """A problem with an input file, located by file, line and field.

    Attributes:
        file: the file's name as given by the user.
        line: 1-based line number, or None when the problem concerns the whole file.
        field: dotted path of the field, or None.
        problem: what is wrong, in plain words.
    """

    def __init__(self, file: str, line: int | None, field: str | None, problem: str) -> None:
        self.file, self.line, self.field, self.problem = file, line, field, problem
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """One line: ``file:line: field: problem``."""
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        field = f" field '{self.field}':" if self.field else ""
        return f"{where}:{field} {self.problem}"


@dataclass(frozen=True)
class LoadedYaml:
    """Parsed YAML data and the line of every key path."""

    data: Any
    lines: dict[Path_t, int]
    file: str

    def line_of(self, path: Path_t) -> int | None:
        """The line of the deepest known prefix of ``path`` (None if nothing is known)."""
        for n in range(len(path), -1, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return None


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and duplicate keys."""


def _compose_node(self: _StrictLoader, parent: Any, index: Any) -> Any:
    if self.check_event(yaml.AliasEvent):
        event = self.peek_event()
        raise yaml.MarkedYAMLError(
            None, None, "aliases (*name) are not allowed in scenario files; write the value out", event.start_mark
        )
    event = self.peek_event()
    anchor = getattr(event, "anchor", None)
    if anchor is not None:
        raise yaml.MarkedYAMLError(
            None, None, "anchors (&name) are not allowed in scenario files; write the value out", event.start_mark
        )
    return yaml.SafeLoader.compose_node(self, parent, index)


_StrictLoader.compose_node = _compose_node  # type: ignore[method-assign,assignment]


def _walk(node: yaml.Node, path: Path_t, lines: dict[Path_t, int], file: str) -> Any:
    """Build Python data from a composed node tree, recording lines and refusing duplicate keys."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise InputError(file, key_node.start_mark.line + 1, _dotted(path), "merge keys (<<) are not allowed")
            key = _StrictLoader.construct_object(_loader_for_scalars, key_node, deep=True)
            if isinstance(key, (dict, list)):
                raise InputError(file, key_node.start_mark.line + 1, _dotted(path), "a key must be a plain value")
            if isinstance(key, bool) or key is None:
                key = str(key_node.value)
            if key in out:
                first = lines.get((*path, key))
                raise InputError(
                    file,
                    key_node.start_mark.line + 1,
                    _dotted((*path, key)),
                    f"duplicate key '{key}' (first set on line {first})",
                )
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _walk(value_node, (*path, key), lines, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, (*path, i), lines, file) for i, item in enumerate(node.value)]
    try:
        return _StrictLoader.construct_object(_loader_for_scalars, node, deep=True)
    except (ValueError, OverflowError) as exc:  # e.g. a date like 2026-13-45 that YAML reads as a date
        raise _BadScalar(node.start_mark.line + 1, path, str(node.value), str(exc)) from None


class _BadScalar(Exception):
    def __init__(self, line: int, path: Path_t, text: str, reason: str) -> None:
        super().__init__(reason)
        self.line, self.path, self.text, self.reason = line, path, text, reason


_loader_for_scalars = _StrictLoader("")


def _dotted(path: Path_t) -> str:
    return ".".join(str(p) for p in path) if path else ""


def loads_yaml(text: bytes | str, file: str) -> LoadedYaml:
    """Parse YAML text strictly. ``file`` is only used in error messages.

    Raises:
        InputError: on any problem, with the file and (where known) the line.
    """
    if isinstance(text, bytes):
        raw = text
        if len(raw) > MAX_FILE_BYTES:
            raise InputError(file, None, None, f"file is {len(raw)} bytes; the limit is {MAX_FILE_BYTES}")
        if b"\x00" in raw:
            raise InputError(file, None, None, "file is binary (contains NUL bytes), not YAML text")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise InputError(file, line, None, f"file is not valid UTF-8 (byte {exc.start})") from None
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise InputError(file, None, None, f"text is larger than the limit of {MAX_FILE_BYTES} bytes")
    if not text.strip():
        raise InputError(file, None, None, "file is empty")
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = mark.line + 1 if mark is not None else None
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        if "\t" in problem or "found character '\\t'" in problem or "tab" in problem.lower():
            problem += " (tabs cannot be used for indentation; use spaces)"
        raise InputError(file, where, None, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise InputError(file, None, None, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    if node is None:
        raise InputError(file, None, None, "file holds no YAML document")
    lines: dict[Path_t, int] = {}
    try:
        data = _walk(node, (), lines, file)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise InputError(file, mark.line + 1 if mark else None, None, f"invalid value: {exc.problem}") from None
    except _BadScalar as exc:
        raise InputError(file, exc.line, _dotted(exc.path), f"invalid value {exc.text!r}: {exc.reason}") from None
    return LoadedYaml(data=data, lines=lines, file=file)


def load_yaml(path: Path | str) -> LoadedYaml:
    """Read and strictly parse a YAML file (see :func:`loads_yaml`)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(str(path), None, None, f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), None, None, "file not found") from None
    except IsADirectoryError:
        raise InputError(str(path), None, None, "is a folder, not a file") from None
    except PermissionError:
        raise InputError(str(path), None, None, "cannot be read (permission denied)") from None
    return loads_yaml(raw, str(path))


def validate(model: type[_M], loaded: LoadedYaml) -> _M:
    """Validate parsed YAML against a pydantic model; the first error becomes an :class:`InputError`."""
    try:
        return model.model_validate(loaded.data)
    except pydantic.ValidationError as exc:
        raise error_from_pydantic(exc, loaded, model) from None


def error_from_pydantic(
    exc: pydantic.ValidationError, loaded: LoadedYaml, model: type[pydantic.BaseModel] | None = None
) -> InputError:
    """Turn the first error of a pydantic ValidationError into an InputError with file, line and field."""
    err = exc.errors(include_url=False)[0]
    path = _data_path(loaded.data, tuple(err["loc"]))
    problem = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        problem = f"unknown key '{path[-1]}'" + _did_you_mean(str(path[-1]), _allowed_keys(model, path[:-1]))
    elif err["type"] == "missing":
        problem = f"required key '{path[-1]}' is missing"
    elif "input" in err and not isinstance(err["input"], (dict, list)) and err["type"] != "value_error":
        problem = f"{problem} (got {err['input']!r})"
    return InputError(loaded.file, loaded.line_of(path), _dotted(path), problem)


def _data_path(data: Any, loc: tuple[Any, ...]) -> Path_t:
    """Keep the parts of a pydantic error location that are real keys or indices in the data.

    Pydantic adds the names of union members and validators to locations; they are not in the file.
    The last part is always kept (a missing or unknown key is not, or not validly, in the data).
    """
    out: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif i == len(loc) - 1 and not (isinstance(part, str) and ("[" in part or "-" in part)):
            out.append(part)
    return tuple(out)


def _allowed_keys(model: type[pydantic.BaseModel] | None, path: Path_t) -> list[str]:
    """Field names (by alias) of the model found by following ``path`` (best effort, for suggestions)."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, pydantic.BaseModel)):
            current = _inner_model(current)
            if current is None:
                return []
        fields = {f.alias or n: f for n, f in current.model_fields.items()}
        if part not in fields:
            return []
        current = _inner_model(fields[part].annotation)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, pydantic.BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return []


def _inner_model(annotation: Any) -> type[pydantic.BaseModel] | None:
    """The pydantic model inside an annotation such as ``list[M]``, ``M | None`` or ``dict[str, M]``."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _did_you_mean(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; allowed keys: {', '.join(sorted(allowed))}" if allowed else ""
