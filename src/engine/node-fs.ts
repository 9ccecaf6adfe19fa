// node:fs for the modules a --plain trace loads before its command starts. Imported as an ES module,
// node:fs gets a facade that reads every export once, getters included, and fs.ReadStream's loads
// Node's streams: 19 internal modules (1-2 ms) that a trace written by the engine never uses, and
// that a launched command would wait for (issue 10). The CommonJS module is the same object.
export const fs = process.getBuiltinModule('node:fs');
