import { z } from "zod";
import { apiRequest, type ProviderHttpConfig, providerRequestOptions } from "../api-request.js";
import type { AuthorizationRequest, CalendarProvider, CodeExchange } from "../calendar-provider.js";
import { requestTokens } from "../oauth.js";
import { createMicrosoftCalendar } from "./microsoft-calendar.js";

/** Graph /me: only the addresses are read. */
const me = z.object({ mail: z.string().nullish(), userPrincipalName: z.string().nullish() });

export interface MicrosoftProviderConfig extends ProviderHttpConfig {
  clientId: string;
  clientSecret: string;
  /** `common` (work and personal accounts), `organizations`, `consumers` or a tenant id. */
  tenant: string;
  /** https://login.microsoftonline.com */
  loginUrl: string;
  /** https://graph.microsoft.com/v1.0 */
  graphUrl: string;
}

/** offline_access is what makes Microsoft issue a refresh token at all. */
const scopes = "offline_access User.Read Calendars.ReadWrite";

/** Microsoft identity platform (v2.0 endpoints) + Graph. */
export function createMicrosoftProvider(config: MicrosoftProviderConfig): CalendarProvider {
  const base = `${config.loginUrl.replace(/\/+$/, "")}/${encodeURIComponent(config.tenant)}/oauth2/v2.0`;
  const graph = config.graphUrl.replace(/\/+$/, "");
  const client = { client_id: config.clientId, client_secret: config.clientSecret };
  const options = providerRequestOptions(config.timeoutMs);

  return {
    id: "microsoft",
    displayName: "Microsoft",
    ...createMicrosoftCalendar(graph, options),

    authorizationUrl({ state, codeChallenge, redirectUri }: AuthorizationRequest) {
      const url = new URL(`${base}/authorize`);
      url.search = new URLSearchParams({
        client_id: config.clientId,
        response_type: "code",
        redirect_uri: redirectUri,
        response_mode: "query",
        scope: scopes,
        state,
        code_challenge: codeChallenge,
        code_challenge_method: "S256",
        // Lets a user pick another account than the one the browser is signed in with.
        prompt: "select_account",
      }).toString();
      return url.toString();
    },

    exchangeCode({ code, codeVerifier, redirectUri }: CodeExchange) {
      return requestTokens(
        "Microsoft token (authorization_code)",
        `${base}/token`,
        {
          ...client,
          grant_type: "authorization_code",
          code,
          redirect_uri: redirectUri,
          code_verifier: codeVerifier,
          scope: scopes,
        },
        options,
      );
    },

    refresh(refreshToken: string) {
      // Microsoft rotates refresh tokens: the answer carries a new one, which the caller must store.
      return requestTokens(
        "Microsoft token (refresh_token)",
        `${base}/token`,
        { ...client, grant_type: "refresh_token", refresh_token: refreshToken, scope: scopes },
        options,
      );
    },

    async fetchAccountEmail(accessToken: string) {
      const url = `${graph}/me`;
      const account = await apiRequest("Microsoft Graph /me", { url, accessToken }, options, me);
      // Personal accounts often have no `mail`; the sign-in name is then the address.
      return account.mail || account.userPrincipalName || null;
    },

    // The identity platform has no endpoint to revoke a refresh token; disconnecting forgets it, and
    // the user can withdraw consent at https://myapps.microsoft.com (or account.live.com/consent).
    async revoke() {},
  };
}
