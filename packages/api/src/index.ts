export type { Caller, SessionClaims } from "./caller.js";
export { generateKeyringSpec, type Keyring, KeyringError, parseKeyring } from "./crypto/keyring.js";
export { TokenCipher } from "./crypto/token-cipher.js";
export { DomainError, type DomainErrorKind } from "./errors.js";
export { databaseUnavailableMessage } from "./middlewares/domain-errors.js";
export type { CalendarProvider, CalendarProviders, ProviderTokens } from "./providers/calendar-provider.js";
export { createGoogleProvider, type GoogleProviderConfig } from "./providers/google/google-provider.js";
export {
  createMicrosoftProvider,
  type MicrosoftProviderConfig,
} from "./providers/microsoft/microsoft-provider.js";
export { ProviderError } from "./providers/provider-error.js";
export { appRouter } from "./root.js";
export type { AppRouter, RouterInputs, RouterOutputs } from "./router-types.js";
export type { CalendarDependencies, CalendarServices } from "./services/calendar/index.js";
export type { ClerkDelivery, DeliveryOutcome, DeliveryResult } from "./services/clerk-sync/index.js";
export { createServices, type ServiceDependencies, type Services } from "./services/index.js";
export type { ClerkProfile, ClerkProfileSource } from "./services/users/clerk-profile-source.js";
export { toolInvocations, type VapiRequest, vapiRequestSchema } from "./services/voice-agent/vapi-message.js";
export type { ToolCallResult } from "./services/voice-agent/voice-agent-service.js";
export { type Context, createCallerFactory, createContext, type ProcedureMeta } from "./trpc.js";
