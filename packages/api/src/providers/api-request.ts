import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { ProviderError } from "./provider-error.js";

export interface ApiRequestOptions {
  /** Upper bound of one HTTP exchange. */
  timeoutMs: number;
  /** Retries after a throttling or overload answer (429, 503, Google's 403 rate-limit reasons). */
  maxRetries: number;
  /** A Retry-After longer than this is not waited for: the caller gets `throttled` at once. */
  maxRetryWaitMs: number;
}

/** Any answer: deletions and revocations reply with little or nothing, and only the status counts. */
export const anyAnswer = z.unknown();

/** What a provider's configuration says about its HTTP calls. */
export interface ProviderHttpConfig {
  /** Upper bound of one HTTP exchange; providers sometimes hang rather than fail. */
  timeoutMs: number;
}

/** Provider calls retry throttling twice and wait at most 5 s for it: a caller is waiting. */
export function providerRequestOptions(timeoutMs: number): ApiRequestOptions {
  return { timeoutMs, maxRetries: 2, maxRetryWaitMs: 5_000 };
}

export interface ApiRequest {
  method?: "GET" | "POST" | "DELETE";
  url: string;
  /** Bearer token of API calls; OAuth endpoints authenticate the client in the form instead. */
  accessToken?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded (OAuth token and revocation endpoints). */
  form?: Record<string, string>;
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
function retryableKind(status: number, text: string): "throttled" | "unavailable" | null {
  if (status === 429) return "throttled";
  if (status === 503) return "unavailable";
  if (status !== 403) return null;
  return /rateLimitExceeded|userRateLimitExceeded|quotaExceeded/.test(text) ? "throttled" : null;
}

function contentOf(request: ApiRequest): { headers: Record<string, string>; body: { body?: string } } {
  if (request.form !== undefined)
    return {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: { body: new URLSearchParams(request.form).toString() },
    };
  if (request.body !== undefined)
    return { headers: { "content-type": "application/json" }, body: { body: JSON.stringify(request.body) } };
  return { headers: {}, body: {} };
}

/** An RFC 6749 error answer (`{"error": "invalid_grant"}`); API errors carry an object there instead. */
function oauthErrorCode(text: string): string | undefined {
  try {
    const error = (JSON.parse(text) as { error?: unknown }).error;
    return typeof error === "string" && error.length > 0 ? error.slice(0, 64) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A refusal that is not worth retrying: `invalid_grant` (only a new consent helps), 401 on a bearer
 * call (the access token is no longer good: refresh and retry), 5xx the provider's fault, the rest a
 * refusal. Messages name the OAuth error code or the start of the answer, never the request.
 */
function refusal(label: string, request: ApiRequest, status: number, text: string): ProviderError {
  const code = oauthErrorCode(text);
  if (code === "invalid_grant")
    return new ProviderError("invalid_grant", `${label}: ${code} (HTTP ${status})`, status);
  if (status === 401 && request.accessToken !== undefined)
    return new ProviderError("expired_token", `${label}: access token refused (HTTP 401)`, 401);
  const kind = status >= 500 ? "unavailable" : "rejected";
  const detail = code ? `${code} (HTTP ${status})` : `HTTP ${status} ${text.slice(0, 300)}`;
  return new ProviderError(kind, `${label}: ${detail}`, status);
}

/** An answer that is not what the provider documents is the provider failing, not this server. */
function parseAnswer<T>(label: string, status: number, text: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : {};
  } catch {
    throw new ProviderError("unavailable", `${label}: HTTP ${status} with a non-JSON body`, status);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues[0]?.path.join(".") || "answer";
  throw new ProviderError("unavailable", `${label}: unexpected answer (${where})`, status);
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
        ...(request.accessToken === undefined ? {} : { authorization: `Bearer ${request.accessToken}` }),
        accept: "application/json",
        ...contentOf(request).headers,
        ...request.headers,
      },
      ...contentOf(request).body,
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
 * The signal of one HTTP exchange: the caller's, ended early by our own timeout. A timer and a
 * listener released when the exchange ends, rather than AbortSignal.timeout + AbortSignal.any, whose
 * signals and timers outlive the exchange until the timeout would have fired (on Node 20 both were
 * also among the costliest steps of a cold availability request).
 */
function exchangeSignal(caller: AbortSignal | undefined, timeoutMs: number) {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")),
    timeoutMs,
  );
  const follow = () => controller.abort(caller?.reason);
  if (caller?.aborted) follow();
  else caller?.addEventListener("abort", follow, { once: true });
  return {
    signal: controller.signal,
    end() {
      clearTimeout(timer);
      caller?.removeEventListener("abort", follow);
    },
  };
}

/**
 * One call to a provider (calendar API or OAuth endpoint), with the failure modes mapped once for all
 * callers: throttling is retried after Retry-After (bounded), 401 means the access token is no longer
 * good, `invalid_grant` that the grant is gone. The answer is parsed with `schema` (the fields read).
 */
export async function apiRequest<T>(
  label: string,
  request: ApiRequest,
  options: ApiRequestOptions,
  schema: z.ZodType<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const exchange = exchangeSignal(request.signal, options.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await send(label, request, exchange.signal, options.timeoutMs);
      // The body can still be cut off by the deadline: that is a timeout, like no answer at all.
      text = await response.text().catch((cause: unknown) => {
        throw failedExchange(label, cause, exchange.signal, options.timeoutMs);
      });
    } finally {
      exchange.end();
    }
    if (response.ok) return parseAnswer(label, response.status, text, schema);
    const retryable = retryableKind(response.status, text);
    if (retryable) {
      const wait = retryAfterMs(response, attempt);
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
    throw refusal(label, request, response.status, text);
  }
}
