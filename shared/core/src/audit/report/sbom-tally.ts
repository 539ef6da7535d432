import type { AuditEventRecord } from '../event-hash.js';
import { readSbomEvaluated } from './read-payloads.js';
import type { ReportModel } from './report-model.js';
import { compareKeys, Counter } from './tally.js';

const sbomVerdicts = ['pass', 'review', 'fail'] as const;
const componentVerdicts = ['allow', 'review', 'deny'] as const;

/** SBOM verdicts and the license categories of their components, summed over the period. */
export class SbomTally {
  private evaluated = 0;
  private readonly byVerdict = new Counter();
  private readonly components = new Counter();
  private readonly categories = new Map<string, { count: number; verdicts: Counter }>();

  constructor(private readonly unreadable: Counter) {}

  add(event: AuditEventRecord, inPeriod: boolean): void {
    if (event.action !== 'sbom.evaluated' || !inPeriod) return;
    const facts = readSbomEvaluated(event.payload);
    if (facts === null) {
      this.unreadable.add(event.action);
      return;
    }
    this.evaluated += 1;
    this.byVerdict.add(facts.verdict);
    for (const [verdict, count] of Object.entries(facts.counts)) this.components.add(verdict, count);
    for (const { category, total, verdicts } of facts.categories) {
      const entry = this.categories.get(category) ?? { count: 0, verdicts: new Counter() };
      this.categories.set(category, entry);
      entry.count += total;
      for (const [verdict, count] of Object.entries(verdicts)) entry.verdicts.add(verdict, count);
    }
  }

  model(): ReportModel['sboms'] {
    return {
      evaluated: this.evaluated,
      byVerdict: this.byVerdict.tallies(sbomVerdicts),
      componentsByVerdict: this.components.size === 0 ? [] : this.components.tallies(componentVerdicts),
      byCategory: [...this.categories.entries()]
        .sort(([a, x], [b, y]) => y.count - x.count || compareKeys(a, b))
        .map(([category, entry]) => ({ category, count: entry.count, verdicts: entry.verdicts.size === 0 ? [] : entry.verdicts.tallies(componentVerdicts) })),
    };
  }
}
