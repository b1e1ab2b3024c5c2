import {
  createTRPCClient,
  httpBatchLink,
  type TRPCClient,
  TRPCClientError,
  type TRPCLink,
} from "@trpc/client";
import type { AppRouter, RouterInputs, RouterOutputs } from "@viewings/api/router";

export type { AppRouter, RouterInputs, RouterOutputs };

// The API's records, as the router's output schemas infer them (no zod needed to use them).
export type User = RouterOutputs["users"]["me"];
export type CalendarStatus = RouterOutputs["calendar"]["status"][number];
export type Event = RouterOutputs["events"]["list"]["events"][number];
export type MissingProvider = RouterOutputs["events"]["list"]["missingProviders"][number];
export type Slot = RouterOutputs["events"]["availability"]["slots"][number];
export type Agent = RouterOutputs["agents"]["list"][number];
export type Appointment = RouterOutputs["appointments"]["list"][number];

/** Returns the current Clerk session token (`useAuth().getToken` or `(await auth()).getToken`), null when signed out. */
export type GetToken = () => Promise<string | null | undefined> | string | null | undefined;

export interface ApiClientOptions {
  /** The server's tRPC endpoint, e.g. https://api.example.com/trpc */
  url: string;
  getToken: GetToken;
  /** Custom fetch, e.g. for tests or to pass Next.js cache options. */
  fetch?: typeof fetch;
}

/** The link every entry point uses: batched HTTP, the Clerk session as a bearer token. */
export function apiLink(options: ApiClientOptions): TRPCLink<AppRouter> {
  return httpBatchLink<AppRouter>({
    url: options.url,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    async headers() {
      const token = await options.getToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });
}

/** A typed tRPC client; every call carries the Clerk session as a bearer token. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  return createTRPCClient<AppRouter>({ links: [apiLink(options)] });
}

export type ApiClient = TRPCClient<AppRouter>;
export type ApiError = TRPCClientError<AppRouter>;

/** Narrows an unknown error to a tRPC error from this API: `error.data?.code`, `error.data?.zodError`. */
export function isApiError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}
