// Sends an operation as a trusted document: its sha256 hash only, never the text.
// The documents are registered on the server from codegen's manifest.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";

export const GRAPHQL_URL = import.meta.env.VITE_GRAPHQL_URL ?? "/graphql";

export type GraphQLError = { message: string; extensions?: { code?: string } };

export class RequestFailed extends Error {
  constructor(readonly errors: GraphQLError[]) {
    super(errors.map((error) => error.message).join("; "));
  }
}

// codegen writes "sha256:<hex>"; Apollo's protocol sends the hex digest
function hashOf(document: TypedDocumentNode<unknown, never>): string {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash) throw new Error("Not a trusted document: run `npm run codegen`");
  return hash.replace(/^sha256:/, "");
}

export async function execute<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  token?: string | null,
): Promise<TResult> {
  const response = await fetch(GRAPHQL_URL, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({
      variables,
      extensions: {
        persistedQuery: { version: 1, sha256Hash: hashOf(document as TypedDocumentNode<unknown, never>) },
      },
    }),
  });
  const body = (await response.json()) as { data?: TResult | null; errors?: GraphQLError[] };
  if (body.errors?.length || !body.data) throw new RequestFailed(body.errors ?? []);
  return body.data;
}
