import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";

/**
 * A QueryClient for server and client alike: data fetched on the server is not refetched at once in
 * the browser, and queries still pending when a server component streams are handed over too (so
 * prefetching needs no await).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000 },
      dehydrate: {
        shouldDehydrateQuery: (query) =>
          defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
    },
  });
}
