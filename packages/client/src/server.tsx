import {
  dehydrate,
  type FetchQueryOptions,
  HydrationBoundary,
  type QueryClient,
  type QueryKey,
} from "@tanstack/react-query";
import { createTRPCOptionsProxy, type TRPCOptionsProxy } from "@trpc/tanstack-react-query";
import type { AppRouter } from "@viewings/api/router";
import type { ReactNode } from "react";
import { type ApiClient, type ApiClientOptions, createApiClient } from "./index.js";
import { createQueryClient } from "./query-client.js";

export { createQueryClient };

export interface ServerApiOptions extends ApiClientOptions {
  /**
   * The request's QueryClient; in Next.js wrap a factory in React's `cache()` so one request shares
   * one (`cache(createQueryClient)`). Defaults to one client per call of createServerApi.
   */
  queryClient?: () => QueryClient;
}

export interface ServerApi {
  /** Query options for every procedure: `queryClient.fetchQuery(trpc.users.me.queryOptions())`. */
  trpc: TRPCOptionsProxy<AppRouter>;
  /** The plain client, for calls outside TanStack Query (mutations in server actions). */
  client: ApiClient;
  getQueryClient: () => QueryClient;
  /** Starts a query on the server; the page renders without waiting for it to finish. */
  prefetch<TQueryFnData, TError, TData, TQueryKey extends QueryKey>(
    query: FetchQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
  ): void;
}

/**
 * For React server components: query options over the HTTP client (token from Clerk's
 * `(await auth()).getToken()`), prefetching into the request's QueryClient and handing the
 * results to client components through <HydrateClient queryClient={getQueryClient()}>.
 */
export function createServerApi({ queryClient, ...clientOptions }: ServerApiOptions): ServerApi {
  const fallback = createQueryClient();
  const getQueryClient = queryClient ?? (() => fallback);
  const client = createApiClient(clientOptions);
  const trpc = createTRPCOptionsProxy<AppRouter>({ client, queryClient: getQueryClient });

  return {
    trpc,
    client,
    getQueryClient,
    prefetch: (query) => void getQueryClient().prefetchQuery(query),
  };
}

/** Hands what the server prefetched into `queryClient` to the client components inside it. */
export function HydrateClient({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(queryClient)}>{children}</HydrationBoundary>;
}
