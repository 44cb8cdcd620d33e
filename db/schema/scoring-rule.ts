/** scoring_rule: one per round: aggregation method, trimming, decimals, tie-break chain, missing-score policy. */
export interface ScoringRuleTable {
  round_id: number;
  method: 'mean' | 'trimmed-mean';
  trim: number;
  min_judges_for_trim: number;
  decimals: number;
  /** JSON: [{ kind, criterionKey? }] */
  tie_breaks: string;
  missing_score: 'exclude' | 'mean-of-given';
  normalization: 'none' | 'z-score';
  /** JSON: { [group]: percent } or null */
  group_weights: string | null;
}
