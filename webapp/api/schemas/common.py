"""Field types and models shared by every part of the API."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

from ...timeutil import iso_utc

UtcDatetime = Annotated[
    datetime,
    PlainSerializer(iso_utc, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time", "example": "2025-10-25T10:30:00Z"}),
]


def values_of(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


def one_of(enum: type[StrEnum]):
    """One of `enum`'s values, handed to the view as the member. Validated as the plain
    string choice it is on the wire (a Literal of the values), so that OpenAPI shows a
    string `enum` and a wrong value is the usual `literal_error`."""
    return Annotated[Literal[values_of(enum)], AfterValidator(enum)]


# Text the databases can store: Postgres refuses NUL in text columns.
NO_NUL = r"^[^\x00]*$"


def text(min_length: int, max_length: int):
    """A string with length bounds and no NUL character, kept as sent."""
    return Annotated[
        str, StringConstraints(min_length=min_length, max_length=max_length, pattern=NO_NUL)
    ]


# Something besides white space (and no NUL): what a required trimmed string must hold.
NOT_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"


def trimmed(min_length: int, max_length: int):
    """A string stripped of surrounding white space, with length bounds after stripping.
    A required one (min_length >= 1) says in its schema that white space alone is not
    enough, so that clients (and the fuzzer) know "\t" is refused."""
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True,
            min_length=min_length,
            max_length=max_length,
            pattern=NOT_BLANK if min_length else NO_NUL,
        ),
    ]


METADATA_DESCRIPTION = (
    "Up to 50 string keys (1-40 characters) with string values (up to 500), returned unchanged."
)
Metadata = Annotated[
    dict[text(1, 40), text(0, 500)],
    Field(max_length=50, description=METADATA_DESCRIPTION),
    # Stated outright: pydantic would describe the key pattern as patternProperties.
    WithJsonSchema(
        {
            "type": "object",
            "maxProperties": 50,
            "description": METADATA_DESCRIPTION,
            "propertyNames": {"minLength": 1, "maxLength": 40, "pattern": NO_NUL},
            "additionalProperties": {"type": "string", "maxLength": 500, "pattern": NO_NUL},
        }
    ),
]


class RequestModel(BaseModel):
    """A request body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class QueryModel(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ResponseModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class PageQuery(QueryModel):
    limit: int = Field(100, ge=1, le=100, description="Number of results (max 100).")
    offset: int = Field(0, ge=0, le=1_000_000_000, description="Pagination offset.")


class Message(ResponseModel):
    message: str


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorDetail(BaseModel):
    code: str = Field(examples=["VALIDATION_ERROR"])
    message: str
    errors: list[FieldError] | None = None
    retry_after: int | None = None
    error_id: str | None = Field(
        None,
        description="On 500: the id under which the error "
        "was logged; quote it when reporting the problem.",
    )


class ErrorEnvelope(BaseModel):
    detail: ErrorDetail
