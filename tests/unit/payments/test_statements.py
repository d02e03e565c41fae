"""Settlement statement CSV: exact amounts, every bad line named, limits."""

from datetime import date

import pytest

from domain.payments.statements import (
    MAX_LISTED_PROBLEMS,
    LineProblem,
    MalformedStatement,
    StatementLimits,
    StatementTooLarge,
    format_major,
    parse_amount,
    parse_statement,
)
from domain.shared.errors import ErrorCode
from domain.shared.money import Currency, Money

TODAY = date(2026, 11, 25)
LIMITS = StatementLimits(max_bytes=10_000, max_lines=20)
HEADER = "reference,amount,currency,date\n"


def parse(text: str, limits: StatementLimits = LIMITS) -> list[tuple[int, str, Money, date]]:
    parsed = parse_statement(text.encode(), limits, TODAY)
    return [(line.line_no, line.reference, line.amount, line.settled_on) for line in parsed.lines]


def problems_of(text: str | bytes) -> list[LineProblem]:
    raw = text.encode() if isinstance(text, str) else text
    with pytest.raises(MalformedStatement) as malformed:
        parse_statement(raw, LIMITS, TODAY)
    assert malformed.value.code is ErrorCode.MALFORMED_STATEMENT
    return list(malformed.value.problems)


@pytest.mark.parametrize(
    ("text", "minor"),
    [("0.1", 10), ("0.01", 1), ("10", 1000), ("10.5", 1050), ("10.50", 1050), ("007.00", 700)],
)
def test_amounts_are_parsed_exactly_into_minor_units(text: str, minor: int) -> None:
    assert parse_amount(text) == minor


@pytest.mark.parametrize(
    "text",
    ["1.005", "1e3", "-5", "+5", "0", "0.00", "1,000.00", ".5", "5.", "", "NaN", "١٢", "1 0"],
)
def test_amounts_that_are_not_positive_two_decimal_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="amount"):
        parse_amount(text)


def test_amounts_beyond_the_ledger_range_are_refused() -> None:
    with pytest.raises(ValueError, match="out of range"):
        parse_amount("9999999999999999")


@pytest.mark.parametrize(("minor", "text"), [(1050, "10.50"), (1, "0.01"), (100000, "1000.00")])
def test_amounts_are_exported_in_the_statements_notation(minor: int, text: str) -> None:
    assert format_major(minor) == text
    assert parse_amount(format_major(minor)) == minor


def test_a_valid_statement_is_read_with_line_numbers_and_a_content_hash() -> None:
    text = " Reference , AMOUNT,Currency ,date\r\nref-1,10.50,NAD,2026-11-24\r\n\r\n ref-2 , 3 ,zar, 2026-11-25 \r\n"

    parsed = parse_statement(text.encode(), LIMITS, TODAY)

    assert [
        (line.line_no, line.reference, line.amount, line.settled_on) for line in parsed.lines
    ] == [
        (2, "ref-1", Money(1050, Currency.NAD), date(2026, 11, 24)),
        (4, "ref-2", Money(300, Currency.ZAR), date(2026, 11, 25)),
    ]
    assert parsed.period == (date(2026, 11, 24), date(2026, 11, 25))
    assert len(parsed.content_sha256) == 64
    assert (
        parsed.content_sha256
        != parse_statement(text.encode() + b"\n", LIMITS, TODAY).content_sha256
    )


def test_a_leading_byte_order_mark_is_ignored() -> None:
    assert parse("\ufeff" + HEADER + "r,1.00,USD,2026-11-01\n") == [
        (2, "r", Money(100, Currency.USD), date(2026, 11, 1))
    ]


def test_every_bad_line_is_named_with_its_number_and_reason() -> None:
    text = (
        HEADER
        + "ok-1,1.00,NAD,2026-11-20\n"  # 2
        + "short,1.00,NAD\n"  # 3
        + "amount,1.005,NAD,2026-11-20\n"  # 4
        + "currency,1.00,GBP,2026-11-20\n"  # 5
        + "date,1.00,NAD,2026-02-30\n"  # 6
        + " ,1.00,NAD,2026-11-20\n"  # 7
        + "ok-1,2.00,NAD,2026-11-21\n"  # 8
        + "future,1.00,NAD,2026-11-26\n"  # 9
        + "two,1e3,EURO,2026-11-20\n"  # 10
    )

    problems = problems_of(text)

    assert [(p.line, p.message) for p in problems] == [
        (3, "Expected 4 fields (reference,amount,currency,date), found 3"),
        (4, "The amount '1.005' is not a decimal with at most 2 decimals (e.g. 10.50)"),
        (5, "The currency 'GBP' is not one of NAD, ZAR, USD, EUR"),
        (6, "The date '2026-02-30' is not a date written YYYY-MM-DD"),
        (7, "The reference is empty"),
        (8, "The reference is already on line 2"),
        (9, "The date 2026-11-26 is not between 2000-01-01 and today"),
        (
            10,
            "The amount '1e3' is not a decimal with at most 2 decimals (e.g. 10.50); "
            "The currency 'EURO' is not one of NAD, ZAR, USD, EUR",
        ),
    ]


def test_a_reference_repeated_after_a_bad_first_line_still_counts_as_repeated() -> None:
    problems = problems_of(HEADER + "dup,x,NAD,2026-11-20\ndup,1.00,NAD,2026-11-20\n")

    assert [p.line for p in problems] == [2, 3]
    assert problems[1].message == "The reference is already on line 2"


def test_a_wrong_header_is_line_one_and_the_lines_are_still_checked() -> None:
    problems = problems_of("ref,amt,cur,day\nr,1.0.0,NAD,2026-11-20\n")

    assert [(p.line, p.message.split(" ")[0:2]) for p in problems] == [
        (1, ["The", "header"]),
        (2, ["The", "amount"]),
    ]


def test_broken_csv_quoting_is_named_and_the_next_lines_are_still_read() -> None:
    problems = problems_of(
        HEADER
        + '"bad"x,1.00,NAD,2026-11-20\n"multi\nline",1.00,NAD,2026-11-20\nr,-1,NAD,2026-11-20\n'
    )

    assert [p.line for p in problems] == [2, 3, 5]
    assert problems[0].message.startswith("Not valid CSV")
    assert problems[1].message == "The reference contains control characters"


def test_text_that_is_not_utf8_is_malformed_at_its_line() -> None:
    assert problems_of(HEADER.encode() + b"r,1.00,NAD,2026-11-20\n\xff,1,NAD,2026-11-20\n") == [
        LineProblem(3, "Not UTF-8 text")
    ]


def test_the_list_of_bad_lines_is_capped_but_counts_them_all() -> None:
    lines = "".join(f"r{n},-1,NAD,2026-11-20\n" for n in range(MAX_LISTED_PROBLEMS + 20))
    limits = StatementLimits(max_bytes=1_000_000, max_lines=1_000)

    with pytest.raises(MalformedStatement) as malformed:
        parse_statement((HEADER + lines).encode(), limits, TODAY)

    assert len(malformed.value.problems) == MAX_LISTED_PROBLEMS
    assert malformed.value.problem_count == MAX_LISTED_PROBLEMS + 20
    assert "120 lines" in malformed.value.message
    assert f"the first {MAX_LISTED_PROBLEMS} are listed" in malformed.value.message


@pytest.mark.parametrize("text", ["", HEADER, HEADER + "\n\n"])
def test_a_statement_without_lines_is_refused(text: str) -> None:
    with pytest.raises(MalformedStatement):
        parse_statement(text.encode(), LIMITS, TODAY)


def test_a_statement_over_the_byte_limit_is_refused_before_it_is_read() -> None:
    raw = (HEADER + "r,1.00,NAD,2026-11-20\n").encode()

    with pytest.raises(StatementTooLarge, match=f"at most {len(raw) - 1} bytes"):
        parse_statement(raw, StatementLimits(max_bytes=len(raw) - 1, max_lines=5), TODAY)
    assert parse_statement(raw, StatementLimits(max_bytes=len(raw), max_lines=5), TODAY).lines


def test_a_statement_over_the_line_limit_is_refused() -> None:
    lines = "".join(f"r{n},1.00,NAD,2026-11-20\n" for n in range(6))
    limits = StatementLimits(max_bytes=10_000, max_lines=5)

    with pytest.raises(StatementTooLarge, match="at most 5 lines"):
        parse(HEADER + lines, limits)
    assert len(parse(HEADER + lines[: lines.index("r5")], limits)) == 5


def test_too_large_is_a_limit_not_a_malformed_statement() -> None:
    with pytest.raises(StatementTooLarge) as refused:
        parse_statement(b"x" * 11, StatementLimits(max_bytes=10, max_lines=5), TODAY)

    assert refused.value.code is ErrorCode.LIMIT_EXCEEDED
