/**
 * The state one validation run shares between checks: the parsed tree, the statements found
 * in it, the policy kind, and the list findings are appended to.
 */
import type { Finding, PolicyKind } from '../types.ts';
import type { PolicyVersion } from '../document.ts';
import type { ObjectMember, ObjectNode, SourcePosition } from '../parse/json-node.ts';
import type { CatalogView } from './catalog.ts';
import { ISSUE_CODES, type IssueCode } from './issue-codes.ts';

/** Something a finding can point at: a node (its path and start) or a key. */
export interface Location {
  readonly path: string;
  readonly start: SourcePosition;
}

/** One statement object of the policy, with its position in the `Statement` element. */
export interface StatementView {
  readonly index: number;
  readonly node: ObjectNode;
  /** First member named exactly `name` (JSON allows duplicates; the parser reports them). */
  member(name: string): ObjectMember | undefined;
}

/** Shared, read-mostly state of one `parsePolicy` call. */
export interface ValidationContext {
  readonly kind: PolicyKind;
  /** Characters (without white space) the policy may have: the kind's quota unless the caller overrides it. */
  readonly sizeQuota: number;
  readonly text: string;
  readonly root: ObjectNode;
  /** The effective language version: the given one when valid, else `2008-10-17`. */
  readonly version: PolicyVersion;
  readonly statements: readonly StatementView[];
  /** The account's service catalog, when the caller gave one: catalog-aware checks run only then. */
  readonly catalog?: CatalogView;
  report(code: IssueCode, at: Location, message: string): void;
}

/** Where a member's key starts, as a location with the member's path. */
export function keyLocation(member: ObjectMember): Location {
  return { path: member.value.path, start: member.keyStart };
}

/** First member of `node` named exactly `name`. */
export function memberOf(node: ObjectNode, name: string): ObjectMember | undefined {
  return node.members.find((m) => m.key === name);
}

/** Builds a statement view over an object node. */
export function statementView(node: ObjectNode, index: number): StatementView {
  return { index, node, member: (name) => memberOf(node, name) };
}

/** Appends findings to `sink`, taking each finding's type from the issue-code table. */
export function findingReporter(sink: Finding[]): (code: IssueCode, at: Location, message: string) => void {
  return (code, at, message) => {
    sink.push({
      findingType: ISSUE_CODES[code].findingType,
      issueCode: code,
      message,
      path: at.path,
      line: at.start.line,
      column: at.start.column,
    });
  };
}

/** Quotes user input for a message, shortened so a huge value cannot flood the finding. */
export function quote(value: string): string {
  const shown = value.length > 120 ? `${value.slice(0, 117)}...` : value;
  return JSON.stringify(shown);
}

/** "an identity policy", "a trust policy": the kind with its article, for messages. */
export function kindPhrase(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} policy`;
}
