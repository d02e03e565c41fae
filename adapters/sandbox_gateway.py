"""The sandbox payment gateway: deterministic outcomes for tests and demos.

Amounts whose cents end in 13 (e.g. N$10.13) are declined; everything else succeeds.
"""

from domain.payments.ports import GatewayResult
from domain.shared.money import Money

DECLINED_CENTS = 13


class SandboxGateway:
    async def charge(self, reference: str, amount: Money) -> GatewayResult:
        gateway_reference = f"sandbox_{reference}"
        if amount.amount_minor % 100 == DECLINED_CENTS:
            return GatewayResult(False, gateway_reference, "card_declined")
        return GatewayResult(True, gateway_reference)
