"""The service request state machine: which action moves a request from which status to
which. Anything not in the table is refused, naming the statuses involved."""

from enum import StrEnum

from domain.shared.errors import DomainError, ErrorCode


class RequestStatus(StrEnum):
    OPEN = "open"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class RequestAction(StrEnum):
    ASSIGN = "assign"
    START = "start"
    WAIT_ON_CUSTOMER = "wait_on_customer"
    RESUME = "resume"
    RESOLVE = "resolve"
    CLOSE = "close"
    CANCEL = "cancel"
    REOPEN = "reopen"


class InvalidState(DomainError):
    code = ErrorCode.INVALID_STATE


S = RequestStatus
A = RequestAction
CANCELLABLE = (S.OPEN, S.ASSIGNED, S.IN_PROGRESS, S.WAITING_ON_CUSTOMER)

TRANSITIONS: dict[RequestAction, dict[RequestStatus, RequestStatus]] = {
    # (Re)assigning keeps a request's place in the workflow; only an open one moves.
    A.ASSIGN: {
        S.OPEN: S.ASSIGNED,
        S.ASSIGNED: S.ASSIGNED,
        S.IN_PROGRESS: S.IN_PROGRESS,
        S.WAITING_ON_CUSTOMER: S.WAITING_ON_CUSTOMER,
    },
    A.START: {S.ASSIGNED: S.IN_PROGRESS},
    A.WAIT_ON_CUSTOMER: {S.IN_PROGRESS: S.WAITING_ON_CUSTOMER},
    A.RESUME: {S.WAITING_ON_CUSTOMER: S.IN_PROGRESS},
    A.RESOLVE: {S.IN_PROGRESS: S.RESOLVED},
    A.CLOSE: {S.RESOLVED: S.CLOSED},
    A.CANCEL: dict.fromkeys(CANCELLABLE, S.CANCELLED),
    A.REOPEN: {S.RESOLVED: S.ASSIGNED},
}

INTENDED: dict[RequestAction, RequestStatus] = {
    A.ASSIGN: S.ASSIGNED,
    A.START: S.IN_PROGRESS,
    A.WAIT_ON_CUSTOMER: S.WAITING_ON_CUSTOMER,
    A.RESUME: S.IN_PROGRESS,
    A.RESOLVE: S.RESOLVED,
    A.CLOSE: S.CLOSED,
    A.CANCEL: S.CANCELLED,
    A.REOPEN: S.ASSIGNED,
}
"""Where each action means to take a request, for the message of a refused one."""


def next_status(current: RequestStatus, action: RequestAction) -> RequestStatus:
    target = TRANSITIONS[action].get(current)
    if target is None:
        raise InvalidState(
            f"Cannot {action.value.replace('_', ' ')} a service request that is "
            f"{current.value}: {current.value} -> {INTENDED[action].value} is not allowed",
            field="status",
        )
    return target


ACTIVE = frozenset({S.OPEN, S.ASSIGNED, S.IN_PROGRESS, S.WAITING_ON_CUSTOMER})
"""Statuses whose SLA clocks may run (waiting on the customer pauses them)."""
