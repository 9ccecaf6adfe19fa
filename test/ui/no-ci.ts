// Imported before Ink by a test that reads Ink's frames as a terminal gets them: with CI set, Ink
// (is-in-ci, decided when it loads) writes no frame until unmount. The TUI clears CI before Ink
// loads for the same reason (main.ts); `CI=true npm test` must not change what these tests see.
for (const k of ['CI', 'CONTINUOUS_INTEGRATION']) delete process.env[k];
