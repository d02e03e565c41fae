import { type FormEvent, useState } from "react";

import { execute } from "./client";
import { graphql } from "./gql";
import type { Currency } from "./gql/graphql";

const TransferMutation = graphql(`
  mutation PortalTransfer($input: TransferInput!) {
    transfer(input: $input) {
      transaction {
        id
        status
        amount {
          display
        }
      }
      errors {
        code
        field
        message
      }
    }
  }
`);

type Account = { id: string; currency: Currency };

function toMinor(amount: string): number {
  return Math.round(Number.parseFloat(amount) * 100);
}

export function TransferForm({
  token,
  accounts,
  onTransferred,
}: {
  token: string;
  accounts: Account[];
  onTransferred: () => void;
}) {
  const [from, setFrom] = useState(accounts[0]?.id ?? "");
  const [email, setEmail] = useState("");
  const [amount, setAmount] = useState("");
  const [reference, setReference] = useState("");
  const [outcome, setOutcome] = useState<string | null>(null);
  // One key per intended transfer: a retry of the same submission is not paid twice.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const currency = accounts.find((account) => account.id === from)?.currency ?? "NAD";
    try {
      const { transfer } = await execute(
        TransferMutation,
        {
          input: {
            idempotencyKey,
            fromAccountId: from,
            to: { email },
            amount: { amountMinor: toMinor(amount), currency },
            reference,
          },
        },
        token,
      );
      if (transfer.errors.length) {
        setOutcome(transfer.errors.map((e) => e.message).join("; "));
        return;
      }
      setOutcome(`Sent ${transfer.transaction?.amount.display}: ${transfer.transaction?.status}`);
      setIdempotencyKey(crypto.randomUUID());
      onTransferred();
    } catch (failure) {
      setOutcome(String(failure));
    }
  };

  return (
    <form onSubmit={submit}>
      <h2>Transfer</h2>
      <label>
        From{" "}
        <select value={from} onChange={(e) => setFrom(e.target.value)}>
          {accounts.map((account) => (
            <option key={account.id} value={account.id}>
              {account.currency} {account.id.slice(0, 8)}
            </option>
          ))}
        </select>
      </label>
      <label>
        To (email) <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
      </label>
      <label>
        Amount <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required />
      </label>
      <label>
        Reference <input value={reference} onChange={(e) => setReference(e.target.value)} />
      </label>
      <button type="submit">Send</button>
      {outcome && <p role="status">{outcome}</p>}
    </form>
  );
}
