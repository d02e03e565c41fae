from domain.shared.errors import DomainError, ErrorCode


class InvalidEmail(DomainError):
    pass


class InvalidFullName(DomainError):
    pass


class EmailTaken(DomainError):
    code = ErrorCode.CONFLICT


class UserNotFound(DomainError):
    code = ErrorCode.NOT_FOUND


class WeakPassword(DomainError):
    code = ErrorCode.WEAK_PASSWORD


class InvalidCredentials(DomainError):
    code = ErrorCode.INVALID_CREDENTIALS

    def __init__(self) -> None:
        super().__init__("Invalid email or password")


class EmailNotVerified(DomainError):
    code = ErrorCode.EMAIL_NOT_VERIFIED

    def __init__(self) -> None:
        super().__init__("Verify your email address before signing in")


class InvalidToken(DomainError):
    code = ErrorCode.INVALID_TOKEN


class SessionNotFound(DomainError):
    code = ErrorCode.NOT_FOUND

    def __init__(self) -> None:
        super().__init__("No such session", field="sessionId")


class InvalidDevice(DomainError):
    pass
