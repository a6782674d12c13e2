import { InputError } from '../errors.js';

/** A symbol that no form of any registry ticker matches. Carries "did you mean" suggestions (DR symbols). */
export class UnknownTickerError extends InputError {
  override name = 'UnknownTickerError';
  constructor(
    readonly input: string,
    readonly suggestions: string[],
  ) {
    const hint = suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : '; no similar symbol in the registry';
    super(`unknown ticker "${input}"${hint}`, { input, suggestions });
  }
}
