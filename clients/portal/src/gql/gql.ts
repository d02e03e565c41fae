/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query PortalMe($recent: Int!) {\n    me {\n      id\n      email\n      fullName\n      accounts {\n        id\n        kind\n        currency\n        balance {\n          display\n        }\n        available {\n          display\n        }\n        transactions(first: $recent) {\n          edges {\n            node {\n              id\n              kind\n              status\n              direction\n              reference\n              createdAt\n              amount {\n                display\n              }\n              counterparty {\n                displayName\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.PortalMeDocument,
    "\n  mutation PortalLogout {\n    logout {\n      ok\n    }\n  }\n": typeof types.PortalLogoutDocument,
    "\n  mutation PortalLogin($input: LoginInput!) {\n    login(input: $input) {\n      tokens {\n        accessToken\n        accessTokenExpiresAt\n      }\n      mfaChallenge\n      errors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.PortalLoginDocument,
    "\n  mutation PortalTransfer($input: TransferInput!) {\n    transfer(input: $input) {\n      transaction {\n        id\n        status\n        amount {\n          display\n        }\n      }\n      errors {\n        code\n        field\n        message\n      }\n    }\n  }\n": typeof types.PortalTransferDocument,
};
const documents: Documents = {
    "\n  query PortalMe($recent: Int!) {\n    me {\n      id\n      email\n      fullName\n      accounts {\n        id\n        kind\n        currency\n        balance {\n          display\n        }\n        available {\n          display\n        }\n        transactions(first: $recent) {\n          edges {\n            node {\n              id\n              kind\n              status\n              direction\n              reference\n              createdAt\n              amount {\n                display\n              }\n              counterparty {\n                displayName\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.PortalMeDocument,
    "\n  mutation PortalLogout {\n    logout {\n      ok\n    }\n  }\n": types.PortalLogoutDocument,
    "\n  mutation PortalLogin($input: LoginInput!) {\n    login(input: $input) {\n      tokens {\n        accessToken\n        accessTokenExpiresAt\n      }\n      mfaChallenge\n      errors {\n        code\n        message\n      }\n    }\n  }\n": types.PortalLoginDocument,
    "\n  mutation PortalTransfer($input: TransferInput!) {\n    transfer(input: $input) {\n      transaction {\n        id\n        status\n        amount {\n          display\n        }\n      }\n      errors {\n        code\n        field\n        message\n      }\n    }\n  }\n": types.PortalTransferDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PortalMe($recent: Int!) {\n    me {\n      id\n      email\n      fullName\n      accounts {\n        id\n        kind\n        currency\n        balance {\n          display\n        }\n        available {\n          display\n        }\n        transactions(first: $recent) {\n          edges {\n            node {\n              id\n              kind\n              status\n              direction\n              reference\n              createdAt\n              amount {\n                display\n              }\n              counterparty {\n                displayName\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PortalMe($recent: Int!) {\n    me {\n      id\n      email\n      fullName\n      accounts {\n        id\n        kind\n        currency\n        balance {\n          display\n        }\n        available {\n          display\n        }\n        transactions(first: $recent) {\n          edges {\n            node {\n              id\n              kind\n              status\n              direction\n              reference\n              createdAt\n              amount {\n                display\n              }\n              counterparty {\n                displayName\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PortalLogout {\n    logout {\n      ok\n    }\n  }\n"): (typeof documents)["\n  mutation PortalLogout {\n    logout {\n      ok\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PortalLogin($input: LoginInput!) {\n    login(input: $input) {\n      tokens {\n        accessToken\n        accessTokenExpiresAt\n      }\n      mfaChallenge\n      errors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation PortalLogin($input: LoginInput!) {\n    login(input: $input) {\n      tokens {\n        accessToken\n        accessTokenExpiresAt\n      }\n      mfaChallenge\n      errors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PortalTransfer($input: TransferInput!) {\n    transfer(input: $input) {\n      transaction {\n        id\n        status\n        amount {\n          display\n        }\n      }\n      errors {\n        code\n        field\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation PortalTransfer($input: TransferInput!) {\n    transfer(input: $input) {\n      transaction {\n        id\n        status\n        amount {\n          display\n        }\n      }\n      errors {\n        code\n        field\n        message\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;