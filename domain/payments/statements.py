"""Gateway settlement statements: the CSV a gateway sends of what it settled, validated.

    reference,amount,currency,date
    sandbox_ch_0190…,10.50,NAD,2026-11-25

Amounts are decimals in major units, parsed with integer arithmetic (never float).
Validation is all or nothing: every bad line is reported and none is imported."""

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from domain.payments.errors import LimitExceeded
from domain.shared.errors import DomainError, ErrorCode
from domain.shared.money import MAX_AMOUNT_MINOR, Currency, Money

HEADER = ("reference", "amount", "currency", "date")
MAX_REFERENCE = 200
MAX_LISTED_PROBLEMS = 100
EARLIEST_SETTLEMENT = date(2000, 1, 1)
_AMOUNT = re.compile(r"(?P<whole>[0-9]{1,16})(?:\.(?P<fraction>[0-9]{1,2}))?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SHOWN = 40
"""How much of a bad value a message repeats."""
T = TypeVar("T")
Record = tuple[int, list[str] | str]
"""(first line number, fields), or the reason the CSV there is broken."""


@dataclass(frozen=True)
class StatementLimits:
    max_bytes: int
    max_lines: int
    """Transaction lines, the header aside."""


@dataclass(frozen=True, kw_only=True)
class StatementLine:
    line_no: int
    """1-based line of the file (the header is line 1)."""
    reference: str
    amount: Money
    settled_on: date


@dataclass(frozen=True)
class LineProblem:
    line: int
    message: str


@dataclass(frozen=True)
class ParsedStatement:
    lines: tuple[StatementLine, ...]
    content_sha256: str

    @property
    def period(self) -> tuple[date, date]:
        """The first and the last settlement date (Namibian days, inclusive)."""
        days = [line.settled_on for line in self.lines]
        return min(days), max(days)


class MalformedStatement(DomainError):
    """Nothing was imported; `problems` lists the first bad lines, `problem_count` all."""

    code = ErrorCode.MALFORMED_STATEMENT

    def __init__(self, message: str, problems: Sequence[LineProblem] = ()) -> None:
        super().__init__(message, field="csv")
        self.problems = tuple(problems[:MAX_LISTED_PROBLEMS])
        self.problem_count = len(problems)


class StatementTooLarge(LimitExceeded):
    pass


def parse_statement(raw: bytes, limits: StatementLimits, today: date) -> ParsedStatement:
    """The statement's lines, or MalformedStatement naming every bad one. `today` (the
    Namibian date) bounds settlement dates: a gateway cannot settle in the future."""
    if len(raw) > limits.max_bytes:
        raise StatementTooLarge(
            f"A statement is at most {limits.max_bytes} bytes; this one has {len(raw)}",
            field="csv",
        )
    records = _records(_decoded(raw))
    header_at, header = next(records, (1, None))
    problems: list[LineProblem] = []
    if not isinstance(header, list) or [field.strip().lower() for field in header] != [*HEADER]:
        problems.append(LineProblem(header_at, f"The header must be {','.join(HEADER)}"))
    lines: list[StatementLine] = []
    first_seen: dict[str, int] = {}
    for count, (line_no, fields) in enumerate(_data(records), start=1):
        if count > limits.max_lines:
            raise StatementTooLarge(
                f"A statement has at most {limits.max_lines} lines after its header", field="csv"
            )
        line, reasons = _line(line_no, fields, today)
        reasons += _repeated_reference(line_no, fields, first_seen)
        if reasons:
            problems.append(LineProblem(line_no, "; ".join(reasons)))
        elif line is not None:
            lines.append(line)
    if problems:
        raise MalformedStatement(_summary(problems), problems)
    if not lines:
        raise MalformedStatement("The statement lists no transactions after its header")
    return ParsedStatement(tuple(lines), hashlib.sha256(raw).hexdigest())


def parse_amount(text: str) -> int:
    """`10.50` -> 1050 minor units. At most two decimals, no sign, exponent or separators."""
    match = _AMOUNT.fullmatch(text)
    if match is None:
        raise ValueError(
            f"The amount {_shown(text)} is not a decimal with at most 2 decimals (e.g. 10.50)"
        )
    fraction = (match.group("fraction") or "").ljust(2, "0")
    amount_minor = int(match.group("whole")) * 100 + int(fraction)
    if amount_minor <= 0:
        raise ValueError("The amount must be positive")
    if amount_minor > MAX_AMOUNT_MINOR:
        raise ValueError("The amount is out of range")
    return amount_minor


def format_major(amount_minor: int) -> str:
    """1050 -> `10.50`: the statement's own notation, so an export reads like an import."""
    sign = "-" if amount_minor < 0 else ""
    whole, cents = divmod(abs(amount_minor), 100)
    return f"{sign}{whole}.{cents:02d}"


def _decoded(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise MalformedStatement(
            "The statement is not UTF-8 text",
            [LineProblem(line, "Not UTF-8 text")],
        ) from None


def _records(text: str) -> Iterator[Record]:
    """(first line number, fields) per CSV record, or (line, why) where the CSV is broken."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous_end = 0
    while True:
        try:
            fields: list[str] | str = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            fields = f"Not valid CSV: {error}"
        yield previous_end + 1, fields
        previous_end = reader.line_num


def _data(records: Iterator[Record]) -> Iterator[Record]:
    """Every record but blank lines."""
    for line_no, fields in records:
        if isinstance(fields, str) or not _blank(fields):
            yield line_no, fields


def _blank(fields: list[str]) -> bool:
    return not fields or (len(fields) == 1 and not fields[0].strip())


def _repeated_reference(
    line_no: int, fields: list[str] | str, first_seen: dict[str, int]
) -> list[str]:
    """A reference is remembered from its first line even when that line is bad otherwise."""
    if isinstance(fields, str) or len(fields) != len(HEADER):
        return []
    reference = fields[0].strip()
    first = first_seen.setdefault(reference, line_no) if reference else line_no
    return [] if first == line_no else [f"The reference is already on line {first}"]


def _line(
    line_no: int, fields: list[str] | str, today: date
) -> tuple[StatementLine | None, list[str]]:
    if isinstance(fields, str):
        return None, [fields]
    if len(fields) != len(HEADER):
        return None, [f"Expected {len(HEADER)} fields ({','.join(HEADER)}), found {len(fields)}"]
    reference, amount_text, currency_text, date_text = (field.strip() for field in fields)
    reasons: list[str] = []
    reasons += _reference_problems(reference)
    amount_minor = _or_reason(reasons, lambda: parse_amount(amount_text))
    currency = _or_reason(reasons, lambda: _currency(currency_text))
    settled_on = _or_reason(reasons, lambda: _settlement_date(date_text, today))
    if amount_minor is None or currency is None or settled_on is None or reasons:
        return None, reasons
    line = StatementLine(
        line_no=line_no,
        reference=reference,
        amount=Money(amount_minor, currency),
        settled_on=settled_on,
    )
    return line, reasons


def _reference_problems(reference: str) -> list[str]:
    if not reference:
        return ["The reference is empty"]
    if len(reference) > MAX_REFERENCE:
        return [f"The reference is longer than {MAX_REFERENCE} characters"]
    if any(unicodedata.category(char) == "Cc" for char in reference):
        return ["The reference contains control characters"]
    return []


def _or_reason(reasons: list[str], parse: Callable[[], T]) -> T | None:
    try:
        return parse()
    except ValueError as error:
        reasons.append(str(error))
        return None


def _currency(text: str) -> Currency:
    try:
        return Currency(text.upper())
    except ValueError:
        known = ", ".join(currency.value for currency in Currency)
        raise ValueError(f"The currency {_shown(text)} is not one of {known}") from None


def _settlement_date(text: str, today: date) -> date:
    try:
        if _ISO_DATE.fullmatch(text) is None:
            raise ValueError
        settled_on = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"The date {_shown(text)} is not a date written YYYY-MM-DD") from None
    if not EARLIEST_SETTLEMENT <= settled_on <= today:
        raise ValueError(
            f"The date {text} is not between {EARLIEST_SETTLEMENT.isoformat()} and today"
        )
    return settled_on


def _shown(value: str) -> str:
    return repr(value if len(value) <= _SHOWN else value[:_SHOWN] + "…")


def _summary(problems: Sequence[LineProblem]) -> str:
    count = len(problems)
    listed = "" if count <= MAX_LISTED_PROBLEMS else f"; the first {MAX_LISTED_PROBLEMS} are listed"
    return f"{count} line{'s' if count != 1 else ''} of the statement cannot be read{listed}"
