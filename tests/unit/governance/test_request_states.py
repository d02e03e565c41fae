"""The service request state machine, over every (status, action) pair."""

import pytest

from domain.governance.request_states import (
    InvalidState,
    RequestAction,
    RequestStatus,
    next_status,
)

S, A = RequestStatus, RequestAction
LEGAL = {
    (S.OPEN, A.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, A.ASSIGN): S.ASSIGNED,
    (S.IN_PROGRESS, A.ASSIGN): S.IN_PROGRESS,
    (S.WAITING_ON_CUSTOMER, A.ASSIGN): S.WAITING_ON_CUSTOMER,
    (S.ASSIGNED, A.START): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.WAIT_ON_CUSTOMER): S.WAITING_ON_CUSTOMER,
    (S.WAITING_ON_CUSTOMER, A.RESUME): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.RESOLVE): S.RESOLVED,
    (S.RESOLVED, A.CLOSE): S.CLOSED,
    (S.RESOLVED, A.REOPEN): S.ASSIGNED,
    (S.OPEN, A.CANCEL): S.CANCELLED,
    (S.ASSIGNED, A.CANCEL): S.CANCELLED,
    (S.IN_PROGRESS, A.CANCEL): S.CANCELLED,
    (S.WAITING_ON_CUSTOMER, A.CANCEL): S.CANCELLED,
}
"""Written out by hand from DOMAIN.md, independently of the table in the code."""
EVERY_PAIR = [(status, action) for status in S for action in A]
ILLEGAL = [pair for pair in EVERY_PAIR if pair not in LEGAL]


@pytest.mark.parametrize(("status", "action"), list(LEGAL), ids=lambda v: v.value)
def test_a_legal_action_moves_the_request_where_the_workflow_says(
    status: RequestStatus, action: RequestAction
) -> None:
    assert next_status(status, action) is LEGAL[(status, action)]


@pytest.mark.parametrize(("status", "action"), ILLEGAL, ids=lambda v: v.value)
def test_every_other_action_is_refused_naming_where_from_and_where_to(
    status: RequestStatus, action: RequestAction
) -> None:
    with pytest.raises(InvalidState) as refused:
        next_status(status, action)

    assert refused.value.code.value == "INVALID_STATE"
    assert f"{status.value} ->" in refused.value.message
    assert refused.value.message.split("-> ")[1].split(" ")[0] in {s.value for s in S}


def test_the_table_covers_every_pair_and_closed_and_cancelled_are_final() -> None:
    assert len(LEGAL) + len(ILLEGAL) == len(S) * len(A) == 56
    for final in (S.CLOSED, S.CANCELLED):
        assert all((final, action) in ILLEGAL for action in A)
