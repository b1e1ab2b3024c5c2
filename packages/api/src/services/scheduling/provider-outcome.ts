import type { CalendarProviderId, MissingProvider } from "@viewings/validators";
import { DomainError } from "../../errors.js";
import { ProviderError } from "../../providers/provider-error.js";
import { providerName } from "../calendar/calendar-errors.js";

/** Why one provider's part of an answer is missing, from whatever its call threw. */
export function missingProvider(provider: CalendarProviderId, error: unknown): MissingProvider {
  const name = providerName(provider);
  if (error instanceof DomainError && error.kind === "precondition_failed") {
    return { provider, reason: "needs_reconnect", message: error.message };
  }
  if (error instanceof ProviderError) {
    if (error.kind === "invalid_grant") {
      return { provider, reason: "needs_reconnect", message: `Reconnect your ${name} calendar` };
    }
    if (error.kind === "throttled") {
      return { provider, reason: "throttled", message: `${name} is limiting requests; try again shortly` };
    }
    if (error.kind === "timeout") {
      return { provider, reason: "timeout", message: `${name} did not answer in time` };
    }
  }
  return { provider, reason: "unavailable", message: `${name} calendar is unavailable right now` };
}

const kindByReason: Record<MissingProvider["reason"], DomainError["kind"]> = {
  needs_reconnect: "precondition_failed",
  throttled: "too_many_requests",
  timeout: "timeout",
  unavailable: "unavailable",
};

/** The error to answer with when no provider could answer at all: the first provider's reason. */
export function noProviderAnswered(missing: readonly MissingProvider[]): DomainError {
  const [first] = missing;
  if (!first) return new DomainError("precondition_failed", "Connect a calendar first (calendar.connect)");
  return new DomainError(kindByReason[first.reason], first.message);
}
