// Regenerates scenarios/scenario.schema.json from the zod scenario schema, formatted the way
// `biome format` leaves it so that formatting the repository does not touch it. Run:
//   apps/carrier/node_modules/.bin/tsx packages/harness/scripts/write-scenario-schema.ts
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  renderScenarioJsonSchema,
  scenarioJsonSchemaPath,
} from '../src/scenarios/scenario-json-schema.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const target = `${root}${scenarioJsonSchemaPath}`;
await writeFile(target, renderScenarioJsonSchema());
execFileSync(`${root}node_modules/.bin/biome`, ['format', '--write', target], {
  stdio: 'inherit',
});
console.log(`wrote ${scenarioJsonSchemaPath}`);
