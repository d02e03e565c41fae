"""The sandbox payment gateway: deterministic outcomes for tests and demos.

By the amount's cents, for deposits (charges) and payouts alike:
- `.13` (e.g. N$10.13): declined at once; nothing moves.
- `.14`: accepted and left processing; the gateway's signed callback settles it later.
- anything else: succeeds at once.
"""

from domain.payments.ports import GatewayOutcome, GatewayResult
from domain.shared.money import Money

DECLINED_CENTS = 13
ASYNC_CENTS = 14


class SandboxGateway:
    name = "sandbox"

    async def charge(self, reference: str, amount: Money) -> GatewayResult:
        return self._outcome(f"sandbox_ch_{reference}", amount, "card_declined")

    async def payout(self, reference: str, amount: Money) -> GatewayResult:
        return self._outcome(f"sandbox_po_{reference}", amount, "payout_rejected")

    def _outcome(self, gateway_reference: str, amount: Money, refusal: str) -> GatewayResult:
        cents = amount.amount_minor % 100
        if cents == DECLINED_CENTS:
            return GatewayResult(GatewayOutcome.FAILED, gateway_reference, refusal)
        if cents == ASYNC_CENTS:
            return GatewayResult(GatewayOutcome.PENDING, gateway_reference)
        return GatewayResult(GatewayOutcome.SUCCEEDED, gateway_reference)
