from domain.shared.errors import DomainError, ErrorCode, NotFound


class InsufficientFunds(DomainError):
    code = ErrorCode.INSUFFICIENT_FUNDS


class SelfTransfer(DomainError):
    code = ErrorCode.SELF_TRANSFER


class CurrencyMismatch(DomainError):
    code = ErrorCode.CURRENCY_MISMATCH


class LimitExceeded(DomainError):
    code = ErrorCode.LIMIT_EXCEEDED


class IdempotencyKeyReused(DomainError):
    code = ErrorCode.IDEMPOTENCY_KEY_REUSED


class InvalidState(DomainError):
    code = ErrorCode.INVALID_STATE


class RefundExceedsPayment(DomainError):
    code = ErrorCode.REFUND_EXCEEDS_PAYMENT


class InvalidVin(DomainError):
    code = ErrorCode.INVALID_VIN


class AccountNotFound(NotFound):
    pass


class TransactionNotFound(NotFound):
    pass


class MerchantNotFound(NotFound):
    pass


class VehicleNotFound(NotFound):
    pass


class UnbalancedTransaction(ValueError):
    """A programming error: postings must sum to zero per currency."""
