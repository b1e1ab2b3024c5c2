// Loads Prisma's schema engine compiled to WebAssembly (the native engine cannot be downloaded here)
// and runs one operation against a database through the migration-aware pg adapter.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import { createMigrationAdapterFactory } from "./adapter.js";
import { connectionConfig, schemaParam } from "./connection-config.js";
import { MigrationError, toMigrationError } from "./errors.js";

interface PanicRegistry {
  message: string | undefined;
  set_message(message: string): void;
}

interface EngineModule {
  SchemaEngine: typeof SchemaEngine;
}

declare global {
  // Read by the wasm module's panic hook; must exist before the module is loaded.
  var PRISMA_WASM_PANIC_REGISTRY: PanicRegistry | undefined;
}

// The WebAssembly global is not in this project's lib typings (no "dom"); describe what we use.
interface WasmInstance {
  exports: Record<string, unknown>;
}
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: Record<string, unknown>): Promise<WasmInstance>;
  Module: { imports(module: object): { module: string }[] };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let loading: Promise<EngineModule> | undefined;

async function instantiate(): Promise<EngineModule> {
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: undefined,
    set_message(message: string) {
      this.message = message;
    },
  };
  // The package's entry imports the .wasm file as an ES module, which Node 20 cannot do without a flag;
  // load the JS glue and instantiate the wasm ourselves.
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const glue = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as EngineModule & {
    __wbg_set_wasm(exports: Record<string, unknown>): void;
  };
  const bytes = await fs.promises.readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
  const module = await wasmApi.compile(bytes);
  const imports: Record<string, unknown> = {};
  for (const { module: name } of wasmApi.Module.imports(module)) imports[name] = glue;
  const instance = await wasmApi.instantiate(module, imports);
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue;
}

function loadEngineModule(): Promise<EngineModule> {
  loading ??= instantiate();
  return loading;
}

export interface EngineContext {
  engine: SchemaEngine;
}

/**
 * Opens a schema engine on `connectionString` with `schemaFiles` (path, content) as its datamodel,
 * runs `operation`, then frees the engine and closes every connection (and shadow database).
 */
export async function withSchemaEngine<T>(
  connectionString: string,
  schemaFiles: [string, string][],
  operation: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const factory = createMigrationAdapterFactory(
    connectionConfig(connectionString),
    schemaParam(connectionString),
  );
  const { bindMigrationAwareSqlAdapterFactory } = await import("@prisma/driver-adapter-utils");
  const registry = globalThis.PRISMA_WASM_PANIC_REGISTRY;
  if (registry) registry.message = undefined;
  let engine: SchemaEngine | undefined;
  try {
    engine = await SchemaEngine.new(
      { datamodels: schemaFiles },
      () => {},
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    return await operation(engine);
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    throw toMigrationError(error, registry?.message);
  } finally {
    engine?.free();
    await factory.close();
  }
}
