import { z } from "zod";
import { type ApiRequestOptions, apiRequest } from "./api-request.js";
import type { ProviderTokens } from "./calendar-provider.js";

/** The fields of an RFC 6749 token answer this backend reads; absent or empty optional ones are null. */
const tokenAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().nullish(),
  expires_in: z.unknown(),
  scope: z.string().nullish(),
});

/**
 * Posts an OAuth token request (form body) through the one provider client. A token POST is never
 * repeated (a grant code is single-use; a refresh may rotate the refresh token).
 */
export async function requestTokens(
  label: string,
  url: string,
  form: Record<string, string>,
  options: ApiRequestOptions,
): Promise<ProviderTokens> {
  const answer = await apiRequest(label, { method: "POST", url, form }, options, tokenAnswer);
  const expiresIn = Number(answer.expires_in);
  return {
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token || null,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(Date.now() + expiresIn * 1000) : null,
    scope: answer.scope || null,
  };
}
