import { calendarRequestOptions } from "../api-request.js";
import type { AuthorizationRequest, CalendarProvider, CodeExchange } from "../calendar-provider.js";
import { getJson, type HttpOptions, nonEmptyString, requestTokens } from "../http.js";
import { createMicrosoftCalendar } from "./microsoft-calendar.js";

export interface MicrosoftProviderConfig extends HttpOptions {
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

  return {
    id: "microsoft",
    displayName: "Microsoft",
    ...createMicrosoftCalendar(graph, calendarRequestOptions(config.timeoutMs)),

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
        config,
      );
    },

    refresh(refreshToken: string) {
      // Microsoft rotates refresh tokens: the answer carries a new one, which the caller must store.
      return requestTokens(
        "Microsoft token (refresh_token)",
        `${base}/token`,
        { ...client, grant_type: "refresh_token", refresh_token: refreshToken, scope: scopes },
        config,
      );
    },

    async fetchAccountEmail(accessToken: string) {
      const me = await getJson("Microsoft Graph /me", `${graph}/me`, accessToken, config);
      // Personal accounts often have no `mail`; the sign-in name is then the address.
      return nonEmptyString(me.mail) ?? nonEmptyString(me.userPrincipalName) ?? null;
    },

    // The identity platform has no endpoint to revoke a refresh token; disconnecting forgets it, and
    // the user can withdraw consent at https://myapps.microsoft.com (or account.live.com/consent).
    async revoke() {},
  };
}
