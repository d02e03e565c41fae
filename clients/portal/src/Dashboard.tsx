import { useCallback, useEffect, useState } from "react";

import { execute } from "./client";
import { graphql } from "./gql";
import type { PortalMeQuery } from "./gql/graphql";
import { TransferForm } from "./TransferForm";

const MeQuery = graphql(`
  query PortalMe($recent: Int!) {
    me {
      id
      email
      fullName
      accounts {
        id
        kind
        currency
        balance {
          display
        }
        available {
          display
        }
        transactions(first: $recent) {
          edges {
            node {
              id
              kind
              status
              direction
              reference
              createdAt
              amount {
                display
              }
              counterparty {
                displayName
              }
            }
          }
        }
      }
    }
  }
`);

const LogoutMutation = graphql(`
  mutation PortalLogout {
    logout {
      ok
    }
  }
`);

type Me = NonNullable<PortalMeQuery["me"]>;

export function Dashboard({ token, onSignOut }: { token: string; onSignOut: () => void }) {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const data = await execute(MeQuery, { recent: 10 }, token);
      setMe(data.me ?? null);
    } catch (failure) {
      setError(String(failure));
    }
  }, [token]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const signOut = async () => {
    await execute(LogoutMutation, {}, token).catch(() => undefined);
    onSignOut();
  };

  if (error) return <p role="alert">{error} <button onClick={onSignOut}>Sign in again</button></p>;
  if (!me) return <p>Loading…</p>;
  return (
    <section>
      <p>
        {me.fullName} ({me.email}) <button onClick={signOut}>Sign out</button>
      </p>
      {me.accounts.map((account) => (
        <article key={account.id}>
          <h2>
            {account.kind} {account.currency}: {account.balance.display} (available {account.available.display})
          </h2>
          <table>
            <tbody>
              {account.transactions.edges.map(({ node }) => (
                <tr key={node.id}>
                  <td>{new Date(node.createdAt).toLocaleString()}</td>
                  <td>{node.kind}</td>
                  <td>{node.direction === "OUT" ? "-" : "+"}{node.amount.display}</td>
                  <td>{node.counterparty?.displayName}</td>
                  <td>{node.reference}</td>
                  <td>{node.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      ))}
      <TransferForm token={token} accounts={me.accounts} onTransferred={reload} />
    </section>
  );
}
