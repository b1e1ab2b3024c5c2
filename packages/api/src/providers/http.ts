import type { ProviderTokens } from "./calendar-provider.js";
import { ProviderError } from "./provider-error.js";

export interface HttpOptions {
  /** Aborts a call that takes longer; providers sometimes hang rather than fail. */
  timeoutMs: number;
}

async function send(label: string, url: string, init: RequestInit, options: HttpOptions): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (cause) {
    const timedOut = cause instanceof DOMException && cause.name === "TimeoutError";
    throw new ProviderError(
      "unavailable",
      `${label}: ${timedOut ? `no answer within ${options.timeoutMs} ms` : "request failed"}`,
      undefined,
      { cause },
    );
  }
}

async function readJson(label: string, response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  try {
    const value: unknown = text ? JSON.parse(text) : {};
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through: not JSON
  }
  throw new ProviderError(
    "unavailable",
    `${label}: HTTP ${response.status} with a non-JSON body`,
    response.status,
  );
}

const str = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : undefined);

/** Posts an OAuth token request (form body) and maps RFC 6749 error answers to ProviderError kinds. */
export async function requestTokens(
  label: string,
  url: string,
  form: Record<string, string>,
  options: HttpOptions,
): Promise<ProviderTokens> {
  const response = await send(
    label,
    url,
    {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams(form).toString(),
    },
    options,
  );
  const body = await readJson(label, response);
  if (!response.ok) {
    const code = str(body.error) ?? "unknown_error";
    const kind =
      code === "invalid_grant" ? "invalid_grant" : response.status >= 500 ? "unavailable" : "rejected";
    throw new ProviderError(kind, `${label}: ${code} (HTTP ${response.status})`, response.status);
  }
  const accessToken = str(body.access_token);
  if (!accessToken)
    throw new ProviderError("unavailable", `${label}: answer without access_token`, response.status);
  const expiresIn = Number(body.expires_in);
  return {
    accessToken,
    refreshToken: str(body.refresh_token) ?? null,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(Date.now() + expiresIn * 1000) : null,
    scope: str(body.scope) ?? null,
  };
}

/** GETs a JSON resource with a bearer token. */
export async function getJson(
  label: string,
  url: string,
  accessToken: string,
  options: HttpOptions,
): Promise<Record<string, unknown>> {
  const response = await send(
    label,
    url,
    { headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" } },
    options,
  );
  const body = await readJson(label, response);
  if (!response.ok) {
    const kind =
      response.status === 401 ? "invalid_grant" : response.status >= 500 ? "unavailable" : "rejected";
    throw new ProviderError(kind, `${label}: HTTP ${response.status}`, response.status);
  }
  return body;
}

/** POSTs a form and only checks the status (revocation endpoints answer with little or no body). */
export async function postForm(
  label: string,
  url: string,
  form: Record<string, string>,
  options: HttpOptions,
): Promise<void> {
  const response = await send(
    label,
    url,
    {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    },
    options,
  );
  await response.body?.cancel();
  if (!response.ok) throw new ProviderError("rejected", `${label}: HTTP ${response.status}`, response.status);
}

export { str as nonEmptyString };
