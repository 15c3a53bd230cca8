/** Runs after every integration test file (vitest setupFiles): removes what its scopes made. */
import { afterAll } from 'vitest';
import { cleanUpScopes } from './harness.js';

afterAll(async () => {
  await cleanUpScopes();
});
