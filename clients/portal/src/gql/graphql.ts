/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type AccountKind =
  | 'CUSTOMER_WALLET'
  | 'FEES'
  | 'GATEWAY_CLEARING'
  | 'MERCHANT_SETTLEMENT'
  | 'SUSPENSE';

/** ISO 4217 currencies Elcorp holds. */
export type Currency =
  | 'EUR'
  | 'NAD'
  | 'USD'
  | 'ZAR';

export type DeviceInput = {
  id: string;
  name: string;
};

export type LoginInput = {
  device: DeviceInput;
  email: string;
  password: string;
};

/** An amount in minor units (cents) and its currency. */
export type MoneyInput = {
  amountMinor: number;
  currency: Currency;
};

/** Who receives: exactly one of the three. */
export type RecipientInput =
  {   accountId: string | number; email?: never; phone?: never; }
  |  { accountId?: never;   email: string; phone?: never; }
  |  { accountId?: never; email?: never;   phone: string; };

/** Money in or out of an account. */
export type TransactionDirection =
  | 'IN'
  | 'OUT';

export type TransactionKind =
  | 'DEPOSIT'
  | 'PAYMENT'
  | 'REFUND'
  | 'REVERSAL'
  | 'TRANSFER'
  | 'WITHDRAWAL';

export type TransactionStatus =
  | 'COMPLETED'
  | 'FAILED'
  | 'PENDING'
  | 'PROCESSING'
  | 'REVERSED';

export type TransferInput = {
  amount: MoneyInput;
  fromAccountId: string | number;
  idempotencyKey: string;
  reference?: string;
  to: RecipientInput;
};

/** Why a mutation could not do what was asked. */
export type UserErrorCode =
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'CURRENCY_MISMATCH'
  | 'EMAIL_NOT_VERIFIED'
  | 'FORBIDDEN'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INSUFFICIENT_FUNDS'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_STATE'
  | 'INVALID_TOKEN'
  | 'INVALID_URL'
  | 'INVALID_VIN'
  | 'LIMIT_EXCEEDED'
  | 'MALFORMED_STATEMENT'
  | 'NOT_FOUND'
  | 'REFUND_EXCEEDS_PAYMENT'
  | 'SELF_TRANSFER'
  | 'WEAK_PASSWORD';

export type PortalMeQueryVariables = Exact<{
  recent: number;
}>;


export type PortalMeQuery = { me: { id: string, email: string, fullName: string, accounts: Array<{ id: string, kind: AccountKind, currency: Currency, balance: { display: string }, available: { display: string }, transactions: { edges: Array<{ node: { id: string, kind: TransactionKind, status: TransactionStatus, direction: TransactionDirection | null, reference: string, createdAt: string, amount: { display: string }, counterparty: { displayName: string } | null } }> } }> } | null };

export type PortalLogoutMutationVariables = Exact<{ [key: string]: never; }>;


export type PortalLogoutMutation = { logout: { ok: boolean } };

export type PortalLoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type PortalLoginMutation = { login: { mfaChallenge: string | null, tokens: { accessToken: string, accessTokenExpiresAt: string } | null, errors: Array<{ code: UserErrorCode, message: string }> } };

export type PortalTransferMutationVariables = Exact<{
  input: TransferInput;
}>;


export type PortalTransferMutation = { transfer: { transaction: { id: string, status: TransactionStatus, amount: { display: string } } | null, errors: Array<{ code: UserErrorCode, field: Array<string> | null, message: string }> } };


export const PortalMeDocument = {"__meta__":{"hash":"sha256:11bd1a2aa314cae63dfebbce8131d5c0e06f4b8a1195bd3d6f693ac32a189aca"}} as unknown as DocumentNode<PortalMeQuery, PortalMeQueryVariables>;
export const PortalLogoutDocument = {"__meta__":{"hash":"sha256:2f5d5737870ead4e365c40722d09ddff0c46a4a27d4d465321a0b739ee92d565"}} as unknown as DocumentNode<PortalLogoutMutation, PortalLogoutMutationVariables>;
export const PortalLoginDocument = {"__meta__":{"hash":"sha256:0780ee6545326819bf820a26cb61111433f9f46c3a56fae1794f1221a00ad1e7"}} as unknown as DocumentNode<PortalLoginMutation, PortalLoginMutationVariables>;
export const PortalTransferDocument = {"__meta__":{"hash":"sha256:6602d1812d556f05fcf4f71f37fe5761ccb361aaa64e99eb23626fd4c02946d9"}} as unknown as DocumentNode<PortalTransferMutation, PortalTransferMutationVariables>;