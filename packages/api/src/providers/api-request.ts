import { setTimeout as sleep } from "node:timers/promises";
import { ProviderError } from "./provider-error.js";

export interface ApiRequestOptions {
  /** Upper bound of one HTTP exchange. */
  timeoutMs: number;
  /** Retries after a throttling or overload answer (429, 503, Google's 403 rate-limit reasons). */
  maxRetries: number;
  /** A Retry-After longer than this is not waited for: the caller gets `throttled` at once. */
  maxRetryWaitMs: number;
}

/** Calendar calls retry throttling twice and wait at most 5 s for it: a caller is waiting. */
export function calendarRequestOptions(timeoutMs: number): ApiRequestOptions {
  return { timeoutMs, maxRetries: 2, maxRetryWaitMs: 5_000 };
}

export interface ApiRequest {
  method?: "GET" | "POST" | "DELETE";
  url: string;
  accessToken: string;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Whether sending the request twice does no more than sending it once. GET and DELETE are; a POST
   * is only when it reads (getSchedule, freeBusy) or carries a provider-side idempotency key (Graph
   * transactionId, Google event id). Only such requests are retried.
   */
  idempotent?: boolean;
  /** The caller's deadline (and cancellation): aborts the exchange and any wait between retries. */
  signal?: AbortSignal | undefined;
}

/** Retry-After is either delta-seconds or an HTTP date. */
function retryAfterMs(response: Response, attempt: number): number {
  const header = response.headers.get("retry-after");
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(header);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return 500 * 2 ** attempt;
}

/**
 * Answers worth retrying after a pause, and what they mean if they persist: 429 and Google's 403
 * rate-limit reasons are throttling; 503 is retried the same way (Graph sends it with Retry-After
 * under load) but a provider still answering 503 afterwards is down, not limiting this caller.
 */
async function retryableKind(response: Response): Promise<"throttled" | "unavailable" | null> {
  if (response.status === 429) return "throttled";
  if (response.status === 503) return "unavailable";
  if (response.status !== 403) return null;
  const text = await response.clone().text();
  return /rateLimitExceeded|userRateLimitExceeded|quotaExceeded/.test(text) ? "throttled" : null;
}

async function send(
  label: string,
  request: ApiRequest,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Response> {
  try {
    return await fetch(request.url, {
      method: request.method ?? "GET",
      headers: {
        authorization: `Bearer ${request.accessToken}`,
        accept: "application/json",
        ...(request.body === undefined ? {} : { "content-type": "application/json" }),
        ...request.headers,
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal,
    });
  } catch (cause) {
    throw failedExchange(label, cause, signal, timeoutMs);
  }
}

/** A fetch that threw: the caller's deadline or our own timeout is `timeout`, anything else `unavailable`. */
function failedExchange(
  label: string,
  cause: unknown,
  signal: AbortSignal,
  timeoutMs: number,
): ProviderError {
  const timedOut = signal.aborted;
  const why = timedOut
    ? signal.reason instanceof DOMException && signal.reason.name === "TimeoutError"
      ? `no answer within the deadline (${timeoutMs} ms per request)`
      : "cancelled by the caller's deadline"
    : "request failed";
  return new ProviderError(timedOut ? "timeout" : "unavailable", `${label}: ${why}`, undefined, { cause });
}

/**
 * One JSON call to a provider's calendar API, with the failure modes mapped once for all callers:
 * throttling is retried after Retry-After (bounded), 401 means the access token is no longer good.
 */
export async function apiRequest(
  label: string,
  request: ApiRequest,
  options: ApiRequestOptions,
): Promise<Record<string, unknown>> {
  for (let attempt = 0; ; attempt++) {
    const ownTimeout = AbortSignal.timeout(options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, ownTimeout]) : ownTimeout;
    const response = await send(label, request, signal, options.timeoutMs);
    if (response.ok) {
      // The body can still be cut off by the deadline: that is a timeout, like no answer at all.
      const text = await response.text().catch((cause: unknown) => {
        throw failedExchange(label, cause, signal, options.timeoutMs);
      });
      try {
        return text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        throw new ProviderError(
          "unavailable",
          `${label}: HTTP ${response.status} with a non-JSON body`,
          response.status,
        );
      }
    }
    const retryable = await retryableKind(response);
    if (retryable) {
      const wait = retryAfterMs(response, attempt);
      await response.body?.cancel();
      const mayRepeat = request.idempotent ?? (request.method ?? "GET") !== "POST";
      if (!mayRepeat || attempt >= options.maxRetries || wait > options.maxRetryWaitMs) {
        throw new ProviderError(
          retryable,
          `${label}: ${retryable === "throttled" ? "throttled" : "unavailable"} (HTTP ${response.status})`,
          response.status,
        );
      }
      try {
        await sleep(wait, undefined, request.signal ? { signal: request.signal } : {});
      } catch (cause) {
        throw new ProviderError("timeout", `${label}: deadline reached while waiting to retry`, undefined, {
          cause,
        });
      }
      continue;
    }
    const detail = (await response.text()).slice(0, 300);
    if (response.status === 401) {
      throw new ProviderError("expired_token", `${label}: access token refused (HTTP 401)`, 401);
    }
    const kind = response.status >= 500 ? "unavailable" : "rejected";
    throw new ProviderError(kind, `${label}: HTTP ${response.status} ${detail}`, response.status);
  }
}
