import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['main/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/src/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Tests never reach the developer's keyring: secret stores choose the key file unless a test starts its own
    // Secret Service (test/secret-service.test.ts).
    env: { DBUS_SESSION_BUS_ADDRESS: '' },
  },
});
