// Loopback Microsoft (identity platform + Graph) and Google (OAuth + Calendar) servers that follow the
// providers' documented contracts, including their failures. The tests and the bench run them; they
// depend only on node built-ins so they can run anywhere the server runs.
export * from "./fake-calendar.js";
export * from "./fake-google.js";
export * from "./fake-microsoft.js";
export * from "./fake-oauth-server.js";
export * from "./sandbox.js";
export * from "./zoned-clock.js";
