from domain.shared.errors import DomainError, ErrorCode


class InvalidEmail(DomainError):
    pass


class InvalidFullName(DomainError):
    pass


class EmailTaken(DomainError):
    code = ErrorCode.CONFLICT


class UserNotFound(DomainError):
    code = ErrorCode.NOT_FOUND
