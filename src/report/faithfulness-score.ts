/**
 * faithfulness: every number in the prose is traced to a fact within half a unit of the fact's last printed decimal;
 * no `{PLACEHOLDER}` is left. Pure.
 */
import type { Fact, Facts } from './narrative-contract.js';
import { factTolerance, printFact, type TracedToken, UNIT_KINDS } from './number-tracing.js';
import {
  type Dimension,
  findAll,
  type ParsedNarrative,
  penalised,
  PENALTIES,
  round1,
  roundAll,
  snippet,
  weighted,
} from './quality-scoring-kit.js';

/** Sub-score weights of each dimension (completeness is the plain mean of its applicable dimensions). */
export const FAITHFULNESS_WEIGHTS = { numbers_traced: 0.4, no_untraced_numbers: 0.4, placeholders_resolved: 0.2 } as const;

export function scoreFaithfulness(parsed: ParsedNarrative, tokens: TracedToken[], facts: Facts): Dimension {
  const issues: string[] = [];
  const checked = tokens.filter((t) => t.status !== 'structural');
  const traced = checked.filter((t) => t.status === 'traced');
  const bad = checked.filter((t) => t.status !== 'traced');
  const factList = Object.values(facts).filter((f) => Number.isFinite(f.value));

  for (const t of bad) {
    const where = snippet(parsed.original, t.index, t.end);
    if (t.status === 'unit_mismatch') {
      const f = t.valueOnly[0]!;
      issues.push(
        `number "${t.raw.trim()}" is printed as ${t.kind === 'plain' ? 'a plain number' : `a ${t.kind}`} but the fact ` +
          `with that value, ${f.key} (${printFact(f)}), is a ${f.unit}: ${where}`,
      );
      continue;
    }
    const sameKind = factList.filter((f) => UNIT_KINDS[t.kind].includes(f.unit));
    const pool = sameKind.length > 0 ? sameKind : factList;
    let nearest: Fact | undefined;
    for (const f of pool) if (!nearest || Math.abs(f.value - t.value) < Math.abs(nearest.value - t.value)) nearest = f;
    const hint = nearest ? ` (nearest fact: ${nearest.key} = ${printFact(nearest)} ± ${factTolerance(nearest).toPrecision(2)})` : ' (no facts given)';
    issues.push(`number "${t.raw.trim()}" matches no fact within tolerance${hint}: ${where}`);
  }

  const leftovers = findAll([/\{[^{}\n]{1,60}\}/gu], parsed.prose);
  for (const h of leftovers) issues.push(`unresolved placeholder ${h.text}: ${snippet(parsed.original, h.index, h.end)}`);

  if (checked.length === 0) {
    issues.push('no numbers found in the prose: faithfulness holds vacuously (numbers_traced = 100); completeness marks the missing figures');
  }

  const subs = {
    numbers_traced: checked.length === 0 ? 100 : (traced.length * 100) / checked.length,
    no_untraced_numbers: penalised(bad.length, PENALTIES.untracedNumber),
    placeholders_resolved: penalised(leftovers.length, PENALTIES.leftoverPlaceholder),
  };
  return { score: round1(weighted(subs, FAITHFULNESS_WEIGHTS)), sub_scores: roundAll(subs), issues };
}
