/**
 * LLM money per execution: the price table that turns tokens into USD, and `LlmBudget`, the ledger one execution
 * (one precompute run) shares between all its reports.
 *
 * The budget rule, stated once:
 * - A call may start only if `spent + reserved + estimate ≤ limit`, where `reserved` is the sum of the estimates of
 *   the calls in flight. The writer's estimate is an upper bound (the prompt's size at two characters per token plus
 *   the whole `max_tokens` of output, at list price), so concurrent calls cannot together overshoot the limit unless a
 *   provider bills above its list price. When the model has no price, the estimate is the dearest call recorded so
 *   far (0 before the first one), so at most the in-flight calls of that moment can overshoot.
 * - When a call settles its reservation is replaced by its actual cost.
 * - The first refused call, or a spend reaching the limit, exhausts the budget for the rest of the execution: every
 *   later report falls back to the template writer at once (so a run reads "LLM up to a point, template after" and
 *   never flips back when in-flight estimates turn out generous). A `halt` (HTTP 402 out of credits, 401/403 bad key)
 *   exhausts it too.
 * - `limitUsd: null` is no limit; `0` allows no call at all.
 *
 * Concurrency: JavaScript runs one callback at a time, and `reserve` checks and books in one synchronous step, so
 * concurrent async writers cannot both pass the check for the same money; no lock is needed.
 */

/** List prices in USD per 1M tokens. */
export interface ModelPrice {
  input_per_million_usd: number;
  output_per_million_usd: number;
}

/** Model id (as sent in the request, e.g. `openai/gpt-4o-mini` on OpenRouter) → its price. */
export type ModelPriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * Public list prices (USD per 1M input / output tokens) as of writing (2025), on OpenRouter and the vendors' own
 * APIs. Prices change: pass your own table to the writer to override them; a provider-reported cost (OpenRouter's
 * `usage.cost`) always wins over this table.
 */
export const DEFAULT_MODEL_PRICES: ModelPriceTable = {
  'openai/gpt-4o': { input_per_million_usd: 2.5, output_per_million_usd: 10 },
  'openai/gpt-4o-mini': { input_per_million_usd: 0.15, output_per_million_usd: 0.6 },
  'anthropic/claude-3.5-sonnet': { input_per_million_usd: 3, output_per_million_usd: 15 },
  'google/gemini-flash-1.5': { input_per_million_usd: 0.075, output_per_million_usd: 0.3 },
};

/**
 * The price of `model`: an exact entry, else (for a bare id such as `gpt-4o` sent straight to a vendor) the single
 * entry `<vendor>/<model>`, else the entry for the id without a trailing date or tag (`openai/gpt-4o-2024-08-06`,
 * `openai/gpt-4o-mini:free` stay unpriced unless listed, since a tag can change the price). Null when unknown.
 */
export function priceOf(table: ModelPriceTable, model: string): ModelPrice | null {
  if (Object.prototype.hasOwnProperty.call(table, model)) return table[model]!;
  if (!model.includes('/')) {
    const hits = Object.keys(table).filter((k) => k.endsWith(`/${model}`));
    if (hits.length === 1) return table[hits[0]!]!;
  }
  const undated = model.replace(/-\d{4}-\d{2}-\d{2}$/, '');
  if (undated !== model) return priceOf(table, undated);
  return null;
}

/** USD for the given tokens at `price`. */
export function costAtPrice(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.input_per_million_usd + outputTokens * price.output_per_million_usd) / 1_000_000;
}

/** Why the budget stopped LLM calls. */
export type LlmHaltReason = 'budget' | 'payment_required' | 'unauthorized';

/** Why a report was written by the fallback writer. */
export type LlmFallbackReason =
  | 'budget'
  | 'payment_required'
  | 'unauthorized'
  | 'unavailable'
  | 'request_failed'
  | 'rejected';

/** What went wrong on one HTTP attempt (retried or not). */
export type LlmFailureKind = 'rate_limited' | 'server_error' | 'timeout' | 'connection' | 'payment_required' | 'client_error';

/** The execution's LLM account, for the execution summary. */
export interface LlmUsageSummary {
  limit_usd: number | null;
  spent_usd: number;
  exhausted: boolean;
  exhausted_reason: LlmHaltReason | null;
  /** HTTP attempts made (retries included). */
  calls: number;
  /** Reports whose narrative the LLM wrote. */
  llm_reports: number;
  /** Reports written by the fallback writer, by reason. */
  fallback_reports: Partial<Record<LlmFallbackReason, number>>;
  /** Retried attempts, by what failed. */
  retries: Partial<Record<LlmFailureKind, number>>;
  /** Failed attempts (retried or final), by what failed. */
  failures: Partial<Record<LlmFailureKind, number>>;
  input_tokens: number;
  output_tokens: number;
  /** Calls with neither a provider cost nor a price for the model: recorded at 0 USD. */
  unpriced_calls: number;
  /** Execution-level warnings, each once. */
  warnings: string[];
}

/** A booked estimate for one in-flight call; settle it with the actual cost, or release it when nothing was billed. */
export interface LlmReservation {
  readonly estimateUsd: number;
  settle(costUsd: number, usage?: { input_tokens: number; output_tokens: number; priced: boolean }): void;
  release(): void;
}

const usd = (x: number): string => `$${x.toFixed(x > 0 && x < 1 ? 4 : 2)}`;

export class LlmBudget {
  readonly limitUsd: number | null;
  #spent = 0;
  #reserved = 0;
  #maxCallCost = 0;
  #halt: { reason: LlmHaltReason; detail: string } | null = null;
  #calls = 0;
  #llmReports = 0;
  #inputTokens = 0;
  #outputTokens = 0;
  #unpriced = 0;
  #fallbacks: Partial<Record<LlmFallbackReason, number>> = {};
  #retries: Partial<Record<LlmFailureKind, number>> = {};
  #failures: Partial<Record<LlmFailureKind, number>> = {};
  #warnings: string[] = [];

  constructor(options: { limitUsd: number | null }) {
    const l = options.limitUsd;
    if (l !== null && !(Number.isFinite(l) && l >= 0)) throw new RangeError(`LLM budget must be a non-negative number of USD or null, got ${l}`);
    this.limitUsd = l;
  }

  get spentUsd(): number {
    return this.#spent;
  }

  /** Sum of the estimates of the calls in flight. */
  get reservedUsd(): number {
    return this.#reserved;
  }

  /** True once the limit is reached or a call was refused for money, or after a halt (402, bad key). */
  get exhausted(): boolean {
    return this.#halt !== null;
  }

  get exhaustedReason(): LlmHaltReason | null {
    return this.#halt?.reason ?? null;
  }

  /** The dearest call recorded so far: the estimate to use when a model has no price. */
  get maxCallCostUsd(): number {
    return this.#maxCallCost;
  }

  /** Whether a call estimated at `estimateUsd` may start now (does not book it). */
  canSpend(estimateUsd = 0): boolean {
    if (this.#halt) return false;
    return this.limitUsd === null || this.#spent + this.#reserved + Math.max(0, estimateUsd) <= this.limitUsd;
  }

  /**
   * Books `estimateUsd` for a call about to start, or returns null (and exhausts the budget) when it does not fit.
   * Synchronous check-and-book: safe under any number of concurrent async callers.
   */
  reserve(estimateUsd: number): LlmReservation | null {
    const estimate = Number.isFinite(estimateUsd) ? Math.max(0, estimateUsd) : 0;
    if (!this.canSpend(estimate)) {
      if (!this.#halt) this.#exhaust('budget', `a call estimated at ${usd(estimate)} would pass the limit`);
      return null;
    }
    this.#reserved += estimate;
    let open = true;
    const close = (): boolean => {
      if (!open) return false;
      open = false;
      this.#reserved = Math.max(0, this.#reserved - estimate);
      return true;
    };
    return {
      estimateUsd: estimate,
      settle: (costUsd, usage) => {
        if (close()) this.record(costUsd, usage);
      },
      release: () => {
        close();
      },
    };
  }

  /** Adds an actual cost (and its tokens) to the execution; reaching the limit exhausts the budget. */
  record(costUsd: number, usage?: { input_tokens: number; output_tokens: number; priced: boolean }): void {
    const cost = Number.isFinite(costUsd) ? Math.max(0, costUsd) : 0;
    this.#spent += cost;
    this.#maxCallCost = Math.max(this.#maxCallCost, cost);
    if (usage) {
      this.#inputTokens += usage.input_tokens;
      this.#outputTokens += usage.output_tokens;
      if (!usage.priced) this.#unpriced++;
    }
    if (this.limitUsd !== null && this.#spent >= this.limitUsd && !this.#halt) this.#exhaust('budget', 'spend reached the limit');
  }

  /** Stops every later LLM call of this execution (402 out of credits, 401/403 key refused). */
  halt(reason: Exclude<LlmHaltReason, 'budget'>, detail: string): void {
    if (this.#halt) return;
    this.#halt = { reason, detail };
    this.#warn(
      reason === 'payment_required'
        ? `llm payment required (402): ${detail}; LLM calls stopped, the rest of the run used the template writer`
        : `llm refused the API key (${detail}); LLM calls stopped, the rest of the run used the template writer`,
    );
  }

  /** The warning a report carries when it fell back because the budget is exhausted (one per report). */
  exhaustedWarning(): string {
    switch (this.#halt?.reason) {
      case 'payment_required':
        return 'llm payment required (402) earlier in this run: template writer used';
      case 'unauthorized':
        return `llm refused the API key earlier in this run (${this.#halt.detail}): template writer used`;
      default:
        return `llm budget of ${usd(this.limitUsd ?? 0)} reached: template writer used`;
    }
  }

  /** Counts one HTTP attempt. */
  noteCall(): void {
    this.#calls++;
  }

  /** Counts a failed attempt; `retried` when another attempt follows. */
  noteFailure(kind: LlmFailureKind, retried: boolean): void {
    this.#failures[kind] = (this.#failures[kind] ?? 0) + 1;
    if (retried) this.#retries[kind] = (this.#retries[kind] ?? 0) + 1;
  }

  noteLlmReport(): void {
    this.#llmReports++;
  }

  noteFallback(reason: LlmFallbackReason): void {
    this.#fallbacks[reason] = (this.#fallbacks[reason] ?? 0) + 1;
  }

  /** Adds an execution-level warning unless the same text is there already. */
  warnOnce(text: string): void {
    this.#warn(text);
  }

  summary(): LlmUsageSummary {
    const warnings = [...this.#warnings];
    const fallbacks = Object.values(this.#fallbacks).reduce((a, b) => a + b, 0);
    if (fallbacks > 0) warnings.push(`${fallbacks} report(s) used the template writer instead of the LLM (${describeCounts(this.#fallbacks)})`);
    const retries = Object.values(this.#retries).reduce((a, b) => a + b, 0);
    if (retries > 0) warnings.push(`${retries} LLM call(s) retried (${describeCounts(this.#retries)})`);
    return {
      limit_usd: this.limitUsd,
      spent_usd: this.#spent,
      exhausted: this.exhausted,
      exhausted_reason: this.exhaustedReason,
      calls: this.#calls,
      llm_reports: this.#llmReports,
      fallback_reports: { ...this.#fallbacks },
      retries: { ...this.#retries },
      failures: { ...this.#failures },
      input_tokens: this.#inputTokens,
      output_tokens: this.#outputTokens,
      unpriced_calls: this.#unpriced,
      warnings,
    };
  }

  #exhaust(reason: 'budget', detail: string): void {
    this.#halt = { reason, detail };
    this.#warn(
      `llm budget of ${usd(this.limitUsd ?? 0)} reached after ${this.#llmReports} LLM report(s) ` +
        `(${usd(this.#spent)} spent, ${detail}): the rest of the run used the template writer`,
    );
  }

  #warn(text: string): void {
    if (!this.#warnings.includes(text)) this.#warnings.push(text);
  }
}

function describeCounts(counts: Partial<Record<string, number>>): string {
  return Object.entries(counts)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}
