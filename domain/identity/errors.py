from domain.shared.errors import DomainError, ErrorCode


class InvalidEmail(DomainError):
    code = ErrorCode.BAD_USER_INPUT


class InvalidFullName(DomainError):
    code = ErrorCode.BAD_USER_INPUT


class EmailTaken(DomainError):
    code = ErrorCode.CONFLICT


class UserNotFound(DomainError):
    code = ErrorCode.NOT_FOUND
