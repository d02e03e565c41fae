"""No IDOR: another customer's accounts and transactions are NOT_FOUND by every path, and
commands on them change nothing."""

from server.app import Runtime
from tests.support.graphql import GraphQLClient
from tests.support.money import staff_token, withdraw
from tests.support.payments import balance_of, customer, deposit, transfer

ACCOUNT = "query($id: ID!) { account(id: $id) { id balance { amountMinor } } }"
TRANSACTION = "query($id: ID!) { transaction(id: $id) { id amount { amountMinor } } }"
NODE = """query($id: ID!) { node(id: $id) { id ... on Account { balance { amountMinor } }
                                          ... on Transaction { amount { amountMinor } } } }"""


async def test_another_customers_account_and_transaction_are_not_found(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)
    mallory = await customer(runtime, graphql)
    sent = (await transfer(graphql, ada, bob, 500)).data["transfer"]["transaction"]["id"]

    accounts = await graphql(ACCOUNT, {"id": ada.account_id}, token=mallory.token)
    transactions = await graphql(TRANSACTION, {"id": sent}, token=mallory.token)
    account_node = await graphql(NODE, {"id": ada.account_id}, token=mallory.token)
    transaction_node = await graphql(NODE, {"id": sent}, token=mallory.token)

    assert accounts.error_codes == transactions.error_codes == ["NOT_FOUND"]
    assert accounts.data == {"account": None}
    assert transactions.data == {"transaction": None}
    assert account_node.result == transaction_node.result == {"data": {"node": None}}


async def test_owners_parties_and_staff_read_them_by_id(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)
    sent = (await transfer(graphql, ada, bob, 500)).data["transfer"]["transaction"]["id"]
    staff = await staff_token(runtime)

    own = await graphql(ACCOUNT, {"id": ada.account_id}, token=ada.token)
    by_staff = await graphql(ACCOUNT, {"id": ada.account_id}, token=staff)
    by_recipient = await graphql(NODE, {"id": sent}, token=bob.token)
    unknown = await graphql(
        ACCOUNT, {"id": "QWNjb3VudDowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA="}, token=staff
    )

    assert (
        own.data
        == by_staff.data
        == {"account": {"id": ada.account_id, "balance": {"amountMinor": 9_500}}}
    )
    assert by_recipient.data == {"node": {"id": sent, "amount": {"amountMinor": 500}}}
    assert unknown.error_codes == ["NOT_FOUND"]


async def test_commands_on_another_customers_account_change_nothing(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    mallory = await customer(runtime, graphql, 1_000)
    ada_as_source = type(ada)(mallory.token, ada.account_id)

    stolen = await transfer(graphql, ada_as_source, mallory, 5_000)
    paid_out = await withdraw(graphql, ada_as_source, 5_000)
    topped_up = await deposit(graphql, mallory.token, ada.account_id, 100)

    assert stolen.data["transfer"]["errors"][0]["code"] == "NOT_FOUND"
    assert paid_out.data["withdraw"]["errors"][0]["code"] == "NOT_FOUND"
    assert topped_up.data["deposit"]["errors"][0]["code"] == "NOT_FOUND"
    assert await balance_of(graphql, ada) == 10_000
    assert await balance_of(graphql, mallory) == 1_000
