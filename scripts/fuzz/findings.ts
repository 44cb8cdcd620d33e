/** What the fuzzers report: findings (each a failure of the suite) and counters. */
export type FindingKind =
  '5xx' | 'partial-write' | 'get-wrote' | 'crash' | 'unhealthy' | 'push-missed' | 'client-disconnected';

export interface Finding {
  kind: FindingKind;
  /** Route or frame class. */
  where: string;
  actor: string;
  status: number | null;
  detail: string;
  /** A short rendering of the (smallest seen) input. */
  input: string;
  /** How many times this kind of finding came up. */
  count: number;
}

export class Findings {
  readonly list: Finding[] = [];
  private readonly bySignature = new Map<string, Finding>();

  static signature(f: Pick<Finding, 'kind' | 'where' | 'status'>): string {
    return `${f.kind} ${f.where} ${f.status ?? '-'}`;
  }

  /** Records a finding, keeping the shortest input seen for its signature; returns the signature. */
  add(f: Omit<Finding, 'count'>): string {
    const sig = Findings.signature(f);
    const seen = this.bySignature.get(sig);
    if (seen) {
      seen.count++;
      if (f.input.length < seen.input.length) Object.assign(seen, { ...f, count: seen.count });
    } else {
      const entry = { ...f, count: 1 };
      this.bySignature.set(sig, entry);
      this.list.push(entry);
    }
    return sig;
  }
}

export function excerpt(value: unknown, max = 300): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}
