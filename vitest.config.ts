import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    // Two cores here and in CI: one test file a core.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Any .only left in the suite fails the run instead of silently skipping the rest.
    allowOnly: false,
  },
});
