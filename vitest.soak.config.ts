import { defineConfig } from "vitest/config";

/** `npm run test:soak`: suites that start real servers, kill them and load them; minutes, not seconds. */
export default defineConfig({
  test: {
    include: ["test/soak/**/*.test.ts"],
    pool: "forks",
    // One at a time: each suite drives its own server process flat out on two cores.
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 120_000,
    allowOnly: false,
  },
});
