"""Free text from people: trimmed, bounded, and free of control characters (PostgreSQL's
text refuses NUL; the others hide content from reviewers)."""

import unicodedata

from domain.shared.errors import DomainError

LINE_BREAKS = "\n\t"


def checked_text(raw: str, *, field: str, max_length: int, multiline: bool = False) -> str:
    """One line (inner whitespace collapsed) or several (kept as written), 1 to `max_length`
    characters."""
    text = raw.strip() if multiline else " ".join(raw.split())
    if not 1 <= len(text) <= max_length:
        raise DomainError(f"Give 1 to {max_length} characters", field=field)
    allowed = LINE_BREAKS if multiline else ""
    if any(unicodedata.category(char) == "Cc" and char not in allowed for char in text):
        raise DomainError("The text holds control characters", field=field)
    return text
