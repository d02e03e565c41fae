"""Vehicle identification numbers (ISO 3779): 17 letters and digits, never I, O or Q."""

import string

from domain.payments.errors import InvalidVin

VIN_LENGTH = 17
CHECK_DIGIT_POSITION = 9
AMBIGUOUS = frozenset("IOQ")
"""Left out of VINs because they read like 1 and 0."""
ALPHABET = frozenset(string.digits + string.ascii_uppercase) - AMBIGUOUS
TRANSLITERATION = {
    **{digit: int(digit) for digit in string.digits},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_UPPER_ASCII = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def normalize_vin(raw: str) -> str:
    """Upper case without any whitespace: people write VINs in groups. Only ASCII letters
    change case (`str.upper` would turn "ß" into a valid "SS")."""
    return "".join(raw.split()).translate(_UPPER_ASCII)


def parse_vin(raw: str) -> str:
    """The normalised VIN, or InvalidVin saying what is wrong (never echoing the input)."""
    vin = normalize_vin(raw)
    if len(vin) != VIN_LENGTH:
        raise InvalidVin(f"A VIN is {VIN_LENGTH} characters; this one has {len(vin)}", field="vin")
    for position, char in enumerate(vin, start=1):
        if char in AMBIGUOUS:
            raise InvalidVin(
                f"A VIN never contains I, O or Q (found {char} at position {position})",
                field="vin",
            )
        if char not in ALPHABET:
            raise InvalidVin(
                f"A VIN holds only the letters A-Z and digits (position {position} is not one)",
                field="vin",
            )
    return vin


def expected_check_digit(vin: str) -> str:
    """The North-American check digit (49 CFR 565): weighted sum mod 11, 10 written X."""
    total = sum(TRANSLITERATION[char] * weight for char, weight in zip(vin, WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def check_digit_matches(vin: str) -> bool:
    """Only North-American VINs must carry it, so a mismatch is worth a warning, not a refusal."""
    return vin[CHECK_DIGIT_POSITION - 1] == expected_check_digit(vin)
