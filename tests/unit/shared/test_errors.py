"""Domain errors carry a machine-readable code and the input field they concern."""

from domain.shared.errors import DomainError, ErrorCode, NotFound, RateLimited


def test_a_domain_error_is_bad_input_unless_told_otherwise() -> None:
    error = DomainError("Nope", field="amount")

    assert (error.code, error.field, error.message, str(error)) == (
        ErrorCode.BAD_USER_INPUT,
        "amount",
        "Nope",
        "Nope",
    )


def test_a_code_given_to_one_error_does_not_change_its_class() -> None:
    overridden = NotFound("Gone", code=ErrorCode.FORBIDDEN)

    assert overridden.code is ErrorCode.FORBIDDEN
    assert NotFound("Gone").code is ErrorCode.NOT_FOUND


def test_rate_limiting_says_when_to_retry() -> None:
    error = RateLimited("Slow down", retry_after_s=30)

    assert (error.code, error.retry_after_s, error.field) == (ErrorCode.RATE_LIMITED, 30, None)
