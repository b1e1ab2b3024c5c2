import { createRequire } from "node:module";

/** What a setupRequest hook may change on each request autocannon sends. */
export interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

// autocannon ships no types; only the programmatic call the workers use is declared.
export type Autocannon = (
  options: {
    url: string;
    connections: number;
    duration: number;
    overallRate?: number;
    requests: {
      method: string;
      path: string;
      setupRequest: (request: AutocannonRequest) => AutocannonRequest;
    }[];
  },
  done: (error: Error | null, result: unknown) => void,
) => unknown;

export const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;
