/**
 * The `llm` narrative writer: any OpenAI-compatible chat-completions endpoint through the `openai` SDK (OpenRouter by
 * default). One call per report. The model never sees a fact's value and may not write a number: it gets the semantic
 * states, the decision (in words) and a catalogue of `{PLACEHOLDER}`s (key, label, unit), writes prose with those
 * placeholders, and code checks the answer, repairs what it safely can, rejects the rest, and later injects the exact
 * numbers (report/facts.ts). A rejected answer, an exhausted budget or an unavailable provider falls back to the
 * `fallback` writer (the template writer) with a warning saying why; the report is never left without a narrative.
 *
 * The prompt is built in llm-prompt.ts, the answer checked in llm-answer-validation.ts; this file is the HTTP
 * client, its retries and the accounting of tokens and cost on the budget (llm-budget.ts).
 *
 * Errors: 429 (waiting at least its retry-after), 408, 5xx, timeouts and connection errors are retried with
 * exponential backoff up to `retry.attempts` attempts in all, then fall back (`llm unavailable after N attempts: …`);
 * 402 is not retried: it falls back (`llm payment required (402): …`) and halts the budget so the rest of the run falls
 * back at once; 401/403 likewise; other 4xx fall back (`llm request failed (400): …`). The SDK's own retries are off
 * (`maxRetries: 0`) so every attempt is ours and counted on the budget's summary.
 *
 * Cost: the provider's reported cost when it sends one (OpenRouter `usage.cost`, requested with
 * `usage: {include: true}`), else tokens × the price table; a model with neither is recorded at 0 with a warning.
 * Concurrency: at most `maxConcurrent` HTTP attempts in flight per writer (p-limit); backoff waits hold no slot.
 */
import OpenAI from 'openai';
import pLimit, { type LimitFunction } from 'p-limit';
import type { NarrativeInputs } from '../report/narrative-inputs.js';
import { validateLlmAnswer } from './llm-answer-validation.js';
import {
  costAtPrice,
  priceOf,
  type LlmBudget,
  type LlmFailureKind,
  type LlmFallbackReason,
  type LlmReservation,
  type ModelPriceTable,
} from './llm-budget.js';
import { buildLlmPrompt, type LlmPrompt } from './llm-prompt.js';
import type { NarrativeDraft, NarrativePlan, NarrativeWriter } from './narrative-writer.js';

export interface LlmNarrativeWriterOptions {
  client: OpenAI;
  /** Model id as the endpoint knows it, e.g. `openai/gpt-4o-mini` on OpenRouter. */
  model: string;
  /** HTTP attempts in flight at once, across all reports using this writer. */
  maxConcurrent: number;
  /** Per attempt. */
  timeoutMs: number;
  /** `attempts` in all (first call included); backoff `backoffMs × 2^(n−1)`, half of it jittered. */
  retry: { attempts: number; backoffMs: number; maxRetryAfterMs?: number };
  budget: LlmBudget;
  /** Writes the report when the LLM cannot (the template writer). */
  fallback: NarrativeWriter;
  prices: ModelPriceTable;
  /** `max_tokens` of the answer. Default 2000 (a 350-word Thai narrative is about 700–1,200 tokens). */
  maxOutputTokens?: number;
  /** Default 0.4. */
  temperature?: number;
  /**
   * Ask for the provider's cost with `usage: {include: true}` (OpenRouter). Default: on when the client's base URL is
   * OpenRouter's; other endpoints may reject the unknown field.
   */
  requestProviderCost?: boolean;
  /** For tests. */
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_MAX_OUTPUT_TOKENS = 2000;
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

interface Failure {
  kind: LlmFailureKind | 'unauthorized';
  retry: boolean;
  /** For warnings: `429 Rate limit exceeded`, `timeout after 30000 ms`… */
  text: string;
  status: number | null;
  retryAfterMs: number | null;
}

type CallOutcome =
  | { kind: 'answer'; completion: OpenAI.Chat.Completions.ChatCompletion; reservation: LlmReservation | null; attempts: number }
  | { kind: 'refused' }
  | { kind: 'failed'; failure: Failure; attempts: number; warning: string; reason: LlmFallbackReason };

function retryAfterMs(headers: Headers | undefined): number | null {
  if (!headers || typeof headers.get !== 'function') return null;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const ra = headers.get('retry-after');
  if (ra === null) return null;
  const secs = Number(ra);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

function classify(error: unknown, timeoutMs: number): Failure {
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return { kind: 'timeout', retry: true, text: `timeout after ${timeoutMs} ms`, status: null, retryAfterMs: null };
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return { kind: 'connection', retry: true, text: `connection error: ${error.message}`, status: null, retryAfterMs: null };
  }
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    const status = error.status;
    const text = error.message.startsWith(String(status)) ? error.message : `${status} ${error.message}`;
    const headers = error.headers as Headers | undefined;
    if (status === 402) return { kind: 'payment_required', retry: false, text, status, retryAfterMs: null };
    if (status === 429) return { kind: 'rate_limited', retry: true, text, status, retryAfterMs: retryAfterMs(headers) };
    if (status === 408) return { kind: 'timeout', retry: true, text, status, retryAfterMs: null };
    if (status >= 500) return { kind: 'server_error', retry: true, text, status, retryAfterMs: retryAfterMs(headers) };
    if (status === 401 || status === 403) return { kind: 'unauthorized', retry: false, text, status, retryAfterMs: null };
    return { kind: 'client_error', retry: false, text, status, retryAfterMs: null };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'server_error', retry: true, text: `unexpected answer: ${message}`, status: null, retryAfterMs: null };
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class LlmNarrativeWriter implements NarrativeWriter {
  readonly name = 'llm';
  readonly model: string;
  readonly #o: LlmNarrativeWriterOptions;
  readonly #limit: LimitFunction;
  readonly #maxOutputTokens: number;
  readonly #providerCost: boolean;
  readonly #sleep: (ms: number) => Promise<void>;

  /** `sharedLimit` is for `withBudget`: writers of several executions sharing one concurrency limit. */
  constructor(options: LlmNarrativeWriterOptions, sharedLimit?: LimitFunction) {
    if (!(options.maxConcurrent >= 1)) throw new RangeError(`maxConcurrent must be at least 1, got ${options.maxConcurrent}`);
    if (!(options.retry.attempts >= 1)) throw new RangeError(`retry.attempts must be at least 1, got ${options.retry.attempts}`);
    this.#o = options;
    this.model = options.model;
    this.#limit = sharedLimit ?? pLimit(Math.floor(options.maxConcurrent));
    this.#maxOutputTokens = options.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
    this.#providerCost = options.requestProviderCost ?? /openrouter\.ai/i.test(options.client.baseURL);
    this.#sleep = options.sleep ?? defaultSleep;
  }

  /**
   * The same writer (client, model, prices, and the same concurrency limit) charging another execution's budget:
   * build one writer per process, then `withBudget(new LlmBudget({ limitUsd }))` per execution.
   */
  withBudget(budget: LlmBudget): LlmNarrativeWriter {
    return new LlmNarrativeWriter({ ...this.#o, budget }, this.#limit);
  }

  /** HTTP attempts running right now. */
  get activeCalls(): number {
    return this.#limit.activeCount;
  }

  get pendingCalls(): number {
    return this.#limit.pendingCount;
  }

  async write(inputs: NarrativeInputs, plan: NarrativePlan): Promise<NarrativeDraft> {
    const budget = this.#o.budget;
    if (budget.exhausted) return this.#fallback(inputs, plan, budget.exhaustedReason ?? 'budget', budget.exhaustedWarning(), null);

    const prompt = buildLlmPrompt(inputs, plan);
    const outcome = await this.#call(prompt);
    if (outcome.kind === 'refused') return this.#fallback(inputs, plan, budget.exhaustedReason ?? 'budget', budget.exhaustedWarning(), null);
    if (outcome.kind === 'failed') return this.#fallback(inputs, plan, outcome.reason, outcome.warning, null);

    const { completion, reservation } = outcome;
    const accounted = this.#account(completion, prompt, reservation);
    const choice = completion.choices[0];
    const content = choice?.message?.content ?? '';
    if (choice?.finish_reason === 'length') {
      return this.#fallback(inputs, plan, 'rejected', `llm answer rejected: truncated at max_tokens (${this.#maxOutputTokens})`, accounted.usage, accounted.warnings);
    }
    const validation = validateLlmAnswer(content, inputs, plan);
    if (!validation.ok) {
      return this.#fallback(inputs, plan, 'rejected', `llm answer rejected: ${validation.reason}`, accounted.usage, [...accounted.warnings, ...validation.warnings]);
    }
    budget.noteLlmReport();
    return {
      template: validation.template,
      writer: this.name,
      model: completion.model || this.model,
      usage: accounted.usage,
      warnings: [...accounted.warnings, ...validation.warnings],
    };
  }

  /** The upper-bound USD estimate booked on the budget before a call (see llm-budget.ts). */
  estimateUsd(prompt: LlmPrompt): number {
    const price = priceOf(this.#o.prices, this.model);
    if (!price) return this.#o.budget.maxCallCostUsd;
    const inputTokens = Math.ceil((prompt.system.length + prompt.user.length) / 2);
    return costAtPrice(price, inputTokens, this.#maxOutputTokens);
  }

  async #call(prompt: LlmPrompt): Promise<CallOutcome> {
    const { retry, budget, timeoutMs, client } = this.#o;
    const body: OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming & { usage?: { include: boolean } } = {
      model: this.model,
      messages: [
        { role: 'system', content: prompt.system },
        { role: 'user', content: prompt.user },
      ],
      max_tokens: this.#maxOutputTokens,
      temperature: this.#o.temperature ?? 0.4,
    };
    if (this.#providerCost) body.usage = { include: true };

    let reservation: LlmReservation | null = null;
    let last: Failure | null = null;
    for (let attempt = 1; attempt <= retry.attempts; attempt++) {
      const result = await this.#limit(async (): Promise<{ ok: OpenAI.Chat.Completions.ChatCompletion } | { err: Failure } | 'refused'> => {
        if (budget.exhausted && (attempt === 1 || budget.exhaustedReason !== 'budget')) return 'refused';
        if (attempt === 1) {
          reservation = budget.reserve(this.estimateUsd(prompt));
          if (!reservation) return 'refused';
        }
        budget.noteCall();
        try {
          const completion = await client.chat.completions.create(body, { timeout: timeoutMs, maxRetries: 0 });
          if (!completion || !Array.isArray(completion.choices) || completion.choices.length === 0) {
            const err = (completion as unknown as { error?: { message?: string } } | undefined)?.error;
            return { err: { kind: 'server_error', retry: true, text: `answer without choices${err?.message ? `: ${err.message}` : ''}`, status: null, retryAfterMs: null } };
          }
          return { ok: completion };
        } catch (error) {
          return { err: classify(error, timeoutMs) };
        }
      });
      if (result === 'refused') {
        (reservation as LlmReservation | null)?.release();
        if (attempt > 1 && last) {
          return { kind: 'failed', failure: last, attempts: attempt - 1, reason: budget.exhaustedReason ?? 'unavailable', warning: `${budget.exhaustedWarning()} (after ${last.text})` };
        }
        return { kind: 'refused' };
      }
      if ('ok' in result) return { kind: 'answer', completion: result.ok, reservation, attempts: attempt };

      const failure = result.err;
      last = failure;
      const kind: LlmFailureKind = failure.kind === 'unauthorized' ? 'client_error' : failure.kind;
      if (failure.kind === 'payment_required') {
        budget.noteFailure(kind, false);
        (reservation as LlmReservation | null)?.release();
        const detail = failure.text.replace(/^402\s*/, '');
        budget.halt('payment_required', detail);
        return { kind: 'failed', failure, attempts: attempt, reason: 'payment_required', warning: `llm payment required (402): ${detail}` };
      }
      if (failure.kind === 'unauthorized') {
        budget.noteFailure(kind, false);
        (reservation as LlmReservation | null)?.release();
        budget.halt('unauthorized', `HTTP ${failure.status}`);
        return { kind: 'failed', failure, attempts: attempt, reason: 'unauthorized', warning: `llm refused the request (${failure.text}): template writer used` };
      }
      if (!failure.retry) {
        budget.noteFailure(kind, false);
        (reservation as LlmReservation | null)?.release();
        return { kind: 'failed', failure, attempts: attempt, reason: 'request_failed', warning: `llm request failed (${failure.text})` };
      }
      const maxRetryAfter = retry.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
      if (attempt < retry.attempts && failure.retryAfterMs !== null && failure.retryAfterMs > maxRetryAfter) {
        budget.noteFailure(kind, false);
        (reservation as LlmReservation | null)?.release();
        return {
          kind: 'failed',
          failure,
          attempts: attempt,
          reason: 'unavailable',
          warning: `llm unavailable after ${attempt} attempt${attempt > 1 ? 's' : ''}: ${failure.text} (retry-after ${Math.round(failure.retryAfterMs / 1000)} s is past the ${Math.round(maxRetryAfter / 1000)} s cap)`,
        };
      }
      const more = attempt < retry.attempts;
      budget.noteFailure(kind, more);
      if (!more) break;
      const backoff = retry.backoffMs * 2 ** (attempt - 1);
      const jittered = backoff / 2 + (Math.random() * backoff) / 2;
      await this.#sleep(Math.max(jittered, failure.retryAfterMs ?? 0));
    }
    (reservation as LlmReservation | null)?.release();
    const n = retry.attempts;
    return { kind: 'failed', failure: last!, attempts: n, reason: 'unavailable', warning: `llm unavailable after ${n} attempt${n > 1 ? 's' : ''}: ${last!.text}` };
  }

  /** Tokens and USD of one answer, recorded on the budget (settling the call's reservation). */
  #account(
    completion: OpenAI.Chat.Completions.ChatCompletion,
    prompt: LlmPrompt,
    reservation: LlmReservation | null,
  ): { usage: NonNullable<NarrativeDraft['usage']>; warnings: string[] } {
    const warnings: string[] = [];
    const u = completion.usage as (OpenAI.Completions.CompletionUsage & { cost?: unknown }) | undefined;
    let input = u?.prompt_tokens;
    let output = u?.completion_tokens;
    if (typeof input !== 'number' || typeof output !== 'number') {
      input = Math.ceil((prompt.system.length + prompt.user.length) / 4);
      output = Math.ceil((completion.choices[0]?.message?.content ?? '').length / 4);
      warnings.push('llm provider returned no token usage: tokens estimated at four characters per token');
    }
    let cost: number;
    let priced = true;
    if (typeof u?.cost === 'number' && Number.isFinite(u.cost) && u.cost >= 0) {
      cost = u.cost;
    } else {
      const price = priceOf(this.#o.prices, this.model) ?? (completion.model ? priceOf(this.#o.prices, completion.model) : null);
      if (price) cost = costAtPrice(price, input, output);
      else {
        cost = 0;
        priced = false;
        const w = `no price for model ${this.model}: its cost is recorded as 0`;
        warnings.push(w);
        this.#o.budget.warnOnce(w);
      }
    }
    const usage = { input_tokens: input, output_tokens: output, priced };
    if (reservation) reservation.settle(cost, usage);
    else this.#o.budget.record(cost, usage);
    return { usage: { input_tokens: input, output_tokens: output, cost_usd: cost }, warnings };
  }

  async #fallback(
    inputs: NarrativeInputs,
    plan: NarrativePlan,
    reason: LlmFallbackReason,
    warning: string,
    usage: NarrativeDraft['usage'],
    extra: string[] = [],
  ): Promise<NarrativeDraft> {
    this.#o.budget.noteFallback(reason);
    const draft = await this.#o.fallback.write(inputs, plan);
    // A billed but rejected answer keeps its usage on the report: the money was spent for it.
    return { ...draft, usage: usage ?? draft.usage, warnings: [warning, ...extra, ...draft.warnings] };
  }
}
