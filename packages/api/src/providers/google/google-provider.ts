import { z } from "zod";
import { anyAnswer, apiRequest, type ProviderHttpConfig, providerRequestOptions } from "../api-request.js";
import type { AuthorizationRequest, CalendarProvider, CodeExchange } from "../calendar-provider.js";
import { requestTokens } from "../oauth.js";
import { createGoogleCalendar } from "./google-calendar.js";

/** OpenID userinfo: only the address is read. */
const userInfo = z.object({ email: z.string().nullish() });

export interface GoogleProviderConfig extends ProviderHttpConfig {
  clientId: string;
  clientSecret: string;
  /** https://accounts.google.com/o/oauth2/v2/auth */
  authUrl: string;
  /** https://oauth2.googleapis.com/token */
  tokenUrl: string;
  /** https://oauth2.googleapis.com/revoke */
  revokeUrl: string;
  /** https://www.googleapis.com (userinfo at /oauth2/v3/userinfo, calendar at /calendar/v3) */
  apiUrl: string;
}

const scopes = [
  "openid",
  "email",
  "https://www.googleapis.com/auth/calendar.events",
  "https://www.googleapis.com/auth/calendar.readonly",
].join(" ");

/** Google OAuth 2.0 (web server flow) + OpenID userinfo. */
export function createGoogleProvider(config: GoogleProviderConfig): CalendarProvider {
  const api = config.apiUrl.replace(/\/+$/, "");
  const client = { client_id: config.clientId, client_secret: config.clientSecret };
  const options = providerRequestOptions(config.timeoutMs);

  return {
    ...createGoogleCalendar(api, options),
    id: "google",
    displayName: "Google",

    authorizationUrl({ state, codeChallenge, redirectUri }: AuthorizationRequest) {
      const url = new URL(config.authUrl);
      url.search = new URLSearchParams({
        response_type: "code",
        client_id: config.clientId,
        redirect_uri: redirectUri,
        scope: scopes,
        state,
        code_challenge: codeChallenge,
        code_challenge_method: "S256",
        // offline + consent: Google issues a refresh token on every connect, not only the first one.
        access_type: "offline",
        prompt: "consent",
        include_granted_scopes: "true",
      }).toString();
      return url.toString();
    },

    exchangeCode({ code, codeVerifier, redirectUri }: CodeExchange) {
      return requestTokens(
        "Google token (authorization_code)",
        config.tokenUrl,
        {
          ...client,
          grant_type: "authorization_code",
          code,
          redirect_uri: redirectUri,
          code_verifier: codeVerifier,
        },
        options,
      );
    },

    refresh(refreshToken: string) {
      // Google usually omits refresh_token here; the token service keeps the stored one.
      return requestTokens(
        "Google token (refresh_token)",
        config.tokenUrl,
        { ...client, grant_type: "refresh_token", refresh_token: refreshToken },
        options,
      );
    },

    async fetchAccountEmail(accessToken: string) {
      const url = `${api}/oauth2/v3/userinfo`;
      const info = await apiRequest("Google userinfo", { url, accessToken }, options, userInfo);
      return info.email || null;
    },

    async revoke({ accessToken, refreshToken }) {
      // Revoking the refresh token withdraws the whole grant, access tokens included.
      const form = { token: refreshToken ?? accessToken };
      await apiRequest("Google revoke", { method: "POST", url: config.revokeUrl, form }, options, anyAnswer);
    },
  };
}
