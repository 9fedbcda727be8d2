import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The long suites (kill -9 under load, concurrent writers through a real server) run in `npm run test:soak`;
    // the desks in a real browser in `npm run test:browser`.
    exclude: ["test/soak/**", "test/browser/**", "node_modules/**"],
    pool: "forks",
    // Two cores here and in CI: one test file a core.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Any .only left in the suite fails the run instead of silently skipping the rest.
    allowOnly: false,
  },
});
