import { defineConfig } from "vitest/config";

/** The browser suite: the desks in headless Chromium against a real server and identity provider. */
export default defineConfig({
  test: {
    include: ["test/browser/**/*.browser.test.ts"],
    pool: "forks",
    // One Chromium at a time on two cores.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    allowOnly: false,
  },
});
