// Sums the vitest JSON reports of every package and prints "N passed, N failed" as the last line.
// Exits non-zero when nothing passed, so a run that silently executed no test cannot look green.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const group of ["apps", "packages"]) {
  for (const name of readdirSync(group)) {
    const report = join(group, name, "test-results", "vitest.json");
    if (!existsSync(report)) continue;
    const json = JSON.parse(readFileSync(report, "utf8"));
    passed += json.numPassedTests;
    skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
    // A file that fails to load has no failed test, only an unsuccessful run: count it once.
    failed += json.numFailedTests || (json.success === false ? 1 : 0);
  }
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(passed === 0 || failed > 0 ? 1 : 0);
