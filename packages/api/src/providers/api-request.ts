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

async function send(label: string, request: ApiRequest, timeoutMs: number): Promise<Response> {
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
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    const timedOut = cause instanceof DOMException && cause.name === "TimeoutError";
    throw new ProviderError(
      timedOut ? "timeout" : "unavailable",
      `${label}: ${timedOut ? `no answer within ${timeoutMs} ms` : "request failed"}`,
      undefined,
      { cause },
    );
  }
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
    const response = await send(label, request, options.timeoutMs);
    if (response.ok) {
      const text = await response.text();
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
      if (attempt >= options.maxRetries || wait > options.maxRetryWaitMs) {
        throw new ProviderError(
          retryable,
          `${label}: ${retryable === "throttled" ? "throttled" : "unavailable"} (HTTP ${response.status})`,
          response.status,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
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
