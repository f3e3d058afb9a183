/**
 * The vocabulary of the knowledge base as the API speaks it: string unions used by the server (server/kb, ops,
 * routes) and by the browser code (web/). Types only: no runtime code, no Node or DOM imports (both tsconfig projects
 * compile this folder). Where the server keeps a runtime list of the same values (LEVELS, ROLES…), it checks the
 * list against the union here with `true satisfies ListsAll<…>`, so the two cannot drift.
 */

/** The seven columns (栏目) of the 一网通办 knowledge base, as stable codes. */
export type CategoryCode = 'guide' | 'faq' | 'glossary' | 'policy' | 'notice' | 'hotline' | 'department';
export type Audience = 'enterprise' | 'individual' | 'all';
/** 市级 or 区级. */
export type Level = 'city' | 'district';
export type EntryStatus = 'draft' | 'published' | 'archived';
export type EntryOrigin = 'ingest' | 'manual' | 'agent' | 'gap-fill' | 'import';

/** Who a token belongs to: what they may do is fixed by the role (server/auth/tokens.ts PERMISSIONS). */
export type Role = 'editor' | 'reviewer' | 'agent' | 'admin';

export type Channel = 'pc' | 'mobile' | 'app' | 'miniprogram' | 'kiosk' | 'api';
export type AskOutcome = 'answered' | 'suggest' | 'no_answer' | 'out_of_scope';
export type HandoffChannel = 'online_agent' | '12345';
export type DocumentKind = 'policy' | 'qa_sheet';

/** `true` when a runtime list names every member of a union (and, with `satisfies readonly Union[]`, nothing else). */
export type ListsAll<Union, List extends readonly unknown[]> = [Union] extends [List[number]] ? true : false;

/** `true` when two types accept the same values (a server type written another way, e.g. inferred from a zod schema). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
