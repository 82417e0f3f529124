// Who may do what: the roles of accounts, the scopes of API tokens, the signed-in actor a request carries, and the
// policy every route declares. Pure data (no I/O), shared by the accounts service, the workspace, the API and the CLI.

/** What an account is for: editors draft, reviewers approve and publish others' change sets, admins manage. */
export const ROLES = ['editor', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a credential may do. A role grants scopes; a token carries some of its account's scopes. */
export const SCOPES = ['drafts:write', 'review', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** The scopes each role grants (a token's scopes are cut to its account's role when the role changes). */
export const ROLE_SCOPES: ReadonlyMap<Role, readonly Scope[]> = new Map<Role, readonly Scope[]>([
  ['editor', ['drafts:write']],
  ['reviewer', ['drafts:write', 'review']],
  ['admin', ['drafts:write', 'review', 'admin']],
]);

/** The signed-in caller of a request: through a session cookie (pages) or a bearer token (API). */
export interface Actor {
  readonly accountId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  /** What this credential may do now: the role's scopes, cut to the token's own when it is a token. */
  readonly scopes: ReadonlySet<Scope>;
  readonly via: 'session' | 'token';
  /** The token's id when via is 'token'. */
  readonly tokenId?: string;
}

/**
 * Who may call a route; every route declares one in its options (`config: { policy }`), and a route without one
 * fails at start-up. `public`: anyone, no account (reading the guide, the API's reads, feeds). `capability`: anyone who
 * holds the secret the route itself checks (an owner token, a profile token, a confirmation token). `account`: a
 * signed-in actor, holding `scope` when one is named (401 without credentials, 403 without the scope).
 */
export type Policy =
  | { readonly access: 'public' }
  | { readonly access: 'capability' }
  | { readonly access: 'account'; readonly scope?: Scope };

export const PUBLIC: Policy = { access: 'public' };
export const CAPABILITY: Policy = { access: 'capability' };
export const SIGNED_IN: Policy = { access: 'account' };
export const needs = (scope: Scope): Policy => ({ access: 'account', scope });
