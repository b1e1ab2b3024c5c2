import { type CalendarProviders, ProviderError } from "@viewings/api";
import type { Metrics } from "./metrics.js";

/**
 * Wraps each provider's asynchronous methods so every call to Microsoft/Google is counted and timed
 * (refresh calls are also the token-refresh count). The one seam where provider calls are observed.
 */
export function observeProviders(providers: CalendarProviders, metrics: Metrics): CalendarProviders {
  const observed: CalendarProviders = {};
  for (const [id, provider] of Object.entries(providers) as [
    keyof CalendarProviders,
    NonNullable<CalendarProviders[keyof CalendarProviders]>,
  ][]) {
    const wrapped: Record<string, unknown> = { ...provider };
    for (const [operation, member] of Object.entries(provider)) {
      if (typeof member !== "function") continue;
      wrapped[operation] = (...args: unknown[]) => {
        const started = performance.now();
        const report = (outcome: string) =>
          metrics.providerCall({ provider: id, operation, outcome }, (performance.now() - started) / 1000);
        const result: unknown = member.apply(provider, args);
        if (!(result instanceof Promise)) return result;
        return result.then(
          (value) => {
            report("ok");
            return value;
          },
          (error: unknown) => {
            report(error instanceof ProviderError ? error.kind : "error");
            throw error;
          },
        );
      };
    }
    observed[id] = wrapped as unknown as typeof provider;
  }
  return observed;
}
