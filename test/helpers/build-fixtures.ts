// `npm test`'s step before the test files: every C fixture that is missing or out of date, built
// in parallel (fixtures.ts). One that does not compile is said here in one line; the suite runs
// all the same, and the tests that need it fail with that line.
import { buildFixtures } from './fixtures.js';

const { built, failed } = await buildFixtures();
if (built.length) console.log(`build-fixtures: built ${built.length}: ${built.join(' ')}`);
for (const line of failed) console.error(`build-fixtures: ${line}`);
