// Bundles the emitted declarations into self-contained ones: @viewings/api's router types are
// inlined, so a frontend needs none of the backend's packages. Fails when anything else would be
// imported (a backend module, zod, Prisma...) instead of silently publishing a broken bundle.
import { dts } from "rollup-plugin-dts";

const peers = [
  "@trpc/client",
  "@trpc/server",
  "@trpc/tanstack-react-query",
  "@tanstack/react-query",
  "react",
];
const isPeer = (id) => peers.some((peer) => id === peer || id.startsWith(`${peer}/`));

const onlyPeerImports = {
  name: "only-peer-imports",
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      const foreign = (chunk.imports ?? []).filter(
        (id) => !isPeer(id) && !id.startsWith("./") && !(id in bundle),
      );
      if (foreign.length > 0) this.error(`${chunk.fileName} would import ${foreign.join(", ")}`);
    }
  },
};

export default {
  input: { index: "dist/emit/index.d.ts", react: "dist/emit/react.d.ts", server: "dist/emit/server.d.ts" },
  output: { dir: "dist/types", format: "es", chunkFileNames: "[name]-[hash].d.ts" },
  external: isPeer,
  treeshake: { moduleSideEffects: false },
  plugins: [dts({ respectExternal: true, tsconfig: "tsconfig.json" }), onlyPeerImports],
};
