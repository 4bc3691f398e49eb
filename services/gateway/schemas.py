"""The public API's response models, made from the service contracts: one pydantic model
per protobuf message, field for field as `as_json` renders it (protobuf's JSON mapping
with the proto field names), so the OpenAPI document states every response's shape and
FastAPI checks each response against it. Nothing is written twice: a field added to a
`.proto` appears in the API's schema."""

from __future__ import annotations

from functools import cache
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from pydantic import BaseModel, ConfigDict, create_model

SCALARS: dict[int, Any] = {
    FieldDescriptor.TYPE_DOUBLE: float,
    FieldDescriptor.TYPE_FLOAT: float,
    FieldDescriptor.TYPE_INT32: int,
    FieldDescriptor.TYPE_SINT32: int,
    FieldDescriptor.TYPE_SFIXED32: int,
    FieldDescriptor.TYPE_UINT32: int,
    FieldDescriptor.TYPE_FIXED32: int,
    # 64-bit integers are strings in protobuf's JSON mapping (JavaScript loses precision).
    FieldDescriptor.TYPE_INT64: str,
    FieldDescriptor.TYPE_SINT64: str,
    FieldDescriptor.TYPE_SFIXED64: str,
    FieldDescriptor.TYPE_UINT64: str,
    FieldDescriptor.TYPE_FIXED64: str,
    FieldDescriptor.TYPE_BOOL: bool,
    FieldDescriptor.TYPE_STRING: str,
    FieldDescriptor.TYPE_BYTES: str,  # base64
    FieldDescriptor.TYPE_ENUM: str,  # the value's name
}
WELL_KNOWN: dict[str, Any] = {
    "google.protobuf.Timestamp": str,  # RFC 3339, e.g. "2026-12-01T09:30:00Z"
    "google.protobuf.Duration": str,  # e.g. "1.5s"
    "google.protobuf.Struct": dict[str, Any],
}


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _type_of(field: FieldDescriptor) -> Any:
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        name = field.message_type.full_name
        return WELL_KNOWN.get(name) or model_of(field.message_type)
    return SCALARS[field.type]


def _is_map(field: FieldDescriptor) -> bool:
    return field.type == FieldDescriptor.TYPE_MESSAGE and field.message_type.GetOptions().map_entry


@cache
def model_of(descriptor: Descriptor) -> type[BaseModel]:
    """The model of a message as `as_json` renders it: scalars, repeated fields and maps
    always (with their defaults), message fields and fields with presence only when set."""
    fields: dict[str, Any] = {}
    for field in descriptor.fields:
        if _is_map(field):
            entry = field.message_type.fields_by_name
            fields[field.name] = (dict[str, _type_of(entry["value"])], ...)  # type: ignore[misc]
        elif field.is_repeated:
            fields[field.name] = (list[_type_of(field)], ...)  # type: ignore[misc]
        elif field.has_presence:
            fields[field.name] = (_type_of(field) | None, None)
        else:
            fields[field.name] = (_type_of(field), ...)
    name = descriptor.full_name.replace(".", "_")
    return create_model(name, __base__=Frozen, __doc__=f"`{descriptor.full_name}`", **fields)


def response(message_class: Any) -> type[BaseModel]:
    """The response model of a route that answers with one message."""
    return model_of(message_class.DESCRIPTOR)


def shaped(name: str, base: type[BaseModel] = Frozen, **fields: Any) -> type[BaseModel]:
    """A response the gateway composes (from messages and fields of its own):
    `fields` as pydantic's `create_model` takes them, `(type, default)`."""
    return create_model(name, __base__=base, **fields)


@cache
def listing(key: str, message_class: Any) -> type[BaseModel]:
    """The response model of a route that answers `{key: [message, ...]}`."""
    item = response(message_class)
    return shaped(f"{message_class.DESCRIPTOR.name}List", **{key: (list[item], ...)})  # type: ignore[valid-type,arg-type]
