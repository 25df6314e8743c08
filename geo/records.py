"""YAML records into pydantic models, and pydantic's errors into Problems a person can act on."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from geo.errors import Problem
from geo.models import TEXT_PATTERN, Record, text_message

ModelT = TypeVar("ModelT", bound=BaseModel)
RecordT = TypeVar("RecordT", bound=Record)


def pydantic_problems(exc: ValidationError, file: str, record: str) -> list[Problem]:
    """One Problem per pydantic error, naming the field the way a person edits it."""
    problems = []
    for error in exc.errors():
        loc = error.get("loc", ())
        field_name = ""
        for part in loc:
            field_name += f"[{part}]" if isinstance(part, int) else (f".{part}" if field_name else str(part))
        message = error["msg"].removeprefix("Value error, ")
        value = error.get("input")
        # A record-level check gets the whole record as input: echoing it would bury the message.
        whole_record = not loc and isinstance(value, dict)
        if error["type"] in ("extra_forbidden", "unexpected_keyword_argument"):  # a model's, a dataclass's
            message = "unknown field (not in the schema; see data/README.md)"
        elif error["type"] == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == TEXT_PATTERN:
            message = text_message(value) + f" (got {value!r})"
        elif error["type"] in ("model_type", "dataclass_type"):
            message = f"expected a mapping of fields, got {type(value).__name__}"
        elif error["type"] != "missing" and "input" in error and not whole_record and repr(value) not in message:
            message += f" (got {value!r})"
        problems.append(Problem(file, record, field_name or "-", message))
    return problems


def record_label(raw: Any, index: int) -> str:
    """How a report names a record: its id when it has a usable one, else its position (#1, #2...)."""
    if isinstance(raw, dict) and isinstance(record_id := raw.get("id"), str):
        return record_id
    return f"#{index + 1}"


def parse_records(
    raw_records: list[dict[str, Any]], model: type[RecordT], file: str, problems: list[Problem]
) -> dict[str, RecordT]:
    """Validate each record; the valid ones by id, every invalid or duplicate one as a Problem."""
    records: dict[str, RecordT] = {}
    for index, raw in enumerate(raw_records):
        label = record_label(raw, index)
        try:
            record = model.model_validate(raw)
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, file, label))
            continue
        record_id = record.id
        if record_id in records:
            problems.append(Problem(file, label, "id", "duplicate id (ids must be unique in the file)"))
            continue
        records[record_id] = record
    return records


def parse_record(raw: Any, model: type[ModelT], file: str, problems: list[Problem]) -> ModelT | None:
    """One whole-file record (such as data/atlas.yaml), or None with its Problems."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, file, "(file)"))
        return None
