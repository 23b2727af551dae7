/**
 * Escalation paths: for each user and role of an account, the ways it can raise its own
 * permissions through IAM and STS alone (and through iam:PassRole to compute services, reported
 * as such). A path is a chain of moves (moves.ts): zero or more that let the principal act as
 * another identity (assume a role, take over a user's credentials, pass a role to code), then
 * one whose result — acting as that identity, or an identity whose policies were changed — is
 * allowed something the principal is not (gain.ts). Every step and every comparison is the
 * engine's decision, so Denies, boundaries, guardrails, conditions and resource constraints
 * defeat a path exactly as they would defeat the requests. Pure: no I/O; bounded by the depth,
 * the paths kept per principal, and the witnesses per comparison.
 */
import { compilePolicy } from '../../policy/index.ts';
import type { CompiledPolicy } from '../../policy/types.ts';
import type { DirectoryPrincipal, EscalationDirectory } from './directory.ts';
import { GainJudge } from './gain.ts';
import { MoveFinder, type EscalationStep } from './moves.ts';
import type { EscalationTechnique } from './techniques.ts';

/** One way a principal can raise its permissions. */
export interface EscalationPath {
  /** The technique of the step that raises (the last move). */
  readonly technique: EscalationTechnique;
  /** The identity whose (possibly changed) permissions the principal ends up with. */
  readonly targetArn: string;
  /** For PassRole paths: the compute combination, e.g. `ec2:RunInstances`. */
  readonly computeService?: string;
  /** Every request of the path, in order. */
  readonly steps: readonly EscalationStep[];
}

/** A principal's paths. */
export interface PrincipalEscalation {
  readonly principalArn: string;
  readonly principalType: 'User' | 'Role';
  readonly paths: readonly EscalationPath[];
  /** Whether more paths exist than were kept. */
  readonly truncated: boolean;
}

/** Limits of one analysis. */
export interface EscalationLimits {
  /** Identities a path may pass through before its last move (default 2). */
  readonly maxHops?: number;
  /** Paths kept per principal (default 50). */
  readonly maxPaths?: number;
}

const ANY_POLICY = { kind: 'any-policy' } as const;

/** Identities one search may pass through: bounded work per principal whatever the account holds. */
const MAX_IDENTITIES = 256;

const ANY_POLICY_TEXT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

/** One account's analysis; moves and comparisons are shared by every principal asked about. */
export class EscalationAnalysis {
  private readonly principals = new Map<string, DirectoryPrincipal>();
  private readonly moves: MoveFinder;
  private readonly gain: GainJudge;
  private readonly maxHops: number;
  private readonly maxPaths: number;
  private readonly answers = new Map<string, PrincipalEscalation>();

  constructor(
    readonly directory: EscalationDirectory,
    now: Date,
    limits: EscalationLimits = {},
  ) {
    for (const p of directory.principals) this.principals.set(p.arn, p);
    this.moves = new MoveFinder(directory, now);
    this.gain = new GainJudge(directory.accountId, directory.guardrails, now, anyPolicy());
    this.maxHops = limits.maxHops ?? 2;
    this.maxPaths = limits.maxPaths ?? 50;
  }

  /** Whether the directory holds `arn` (a user or role). */
  has(arn: string): boolean {
    return this.principals.has(arn);
  }

  /** The paths of `arn`, shortest first; undefined for a principal the directory does not hold. */
  pathsOf(arn: string): PrincipalEscalation | undefined {
    let answer = this.answers.get(arn);
    if (answer === undefined) {
      const source = this.principals.get(arn);
      if (source === undefined) return undefined;
      answer = this.search(source);
      this.answers.set(arn, answer);
    }
    return answer;
  }

  private search(source: DirectoryPrincipal): PrincipalEscalation {
    const paths: EscalationPath[] = [];
    const seen = new Set<string>();
    let truncated = false;
    // Breadth first over the identities the principal can act as: shortest prefixes first.
    const visited = new Set<string>([source.arn]);
    let frontier: Array<{ actor: DirectoryPrincipal; prefix: readonly EscalationStep[] }> = [{ actor: source, prefix: [] }];
    for (let hop = 0; hop <= this.maxHops && frontier.length > 0 && !truncated; hop++) {
      const next: typeof frontier = [];
      for (const { actor, prefix } of frontier) {
        for (const move of this.moves.movesOf(actor)) {
          const target = this.principals.get(move.targetArn);
          if (target === undefined) continue;
          const acting = move.change.kind === 'none';
          const gains = !(acting && target.arn === source.arn) && this.gain.gains(target, move.change, source);
          if (gains) {
            const steps = [...prefix, ...move.steps];
            const key = steps.map((s) => `${s.action} ${s.resourceArn}`).join('\n');
            if (!seen.has(key)) {
              seen.add(key);
              if (paths.length >= this.maxPaths) {
                // One more than kept: enough to say so, and nothing further is read.
                truncated = true;
                return { principalArn: source.arn, principalType: source.type, paths, truncated };
              }
              paths.push({ technique: move.technique, targetArn: target.arn, steps, ...(move.computeService === undefined ? {} : { computeService: move.computeService }) });
            }
          }
          // An administrator ends its path: it can do anything a further step would give it.
          if (acting && !visited.has(target.arn) && visited.size < MAX_IDENTITIES && !this.isAdministrator(target)) {
            visited.add(target.arn);
            next.push({ actor: target, prefix: [...prefix, ...move.steps] });
          }
        }
      }
      frontier = next;
    }
    return { principalArn: source.arn, principalType: source.type, paths, truncated };
  }

  /** Whether no policy could give `p` anything more (it is allowed everything its boundary and the guardrails allow). */
  private isAdministrator(p: DirectoryPrincipal): boolean {
    return !this.gain.gains(p, ANY_POLICY, p);
  }

  /** Every principal's paths, in the directory's order (those without paths included). */
  *all(): Iterable<PrincipalEscalation> {
    for (const p of this.directory.principals) yield this.pathsOf(p.arn)!;
  }
}

function anyPolicy(): CompiledPolicy {
  const result = compilePolicy(ANY_POLICY_TEXT, 'identity', { id: 'escalation/any-policy', name: 'AnyPolicy' });
  if (!result.ok) throw new Error('the any-policy witness does not compile');
  return result.policy;
}
