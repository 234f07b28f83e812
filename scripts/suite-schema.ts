// Writes schema/suite.schema.json: the suite file's JSON Schema (api/regressSchema.ts) for editors
// (`$schema: ../schema/suite.schema.json` in a suite, or a yaml-language-server modeline).
// test/quick/regressSchema.test.ts fails when the shipped file is stale: run `npm run schema`.
import { writeFileAtomic } from '../core/fsutil.js';
import { repoPath } from '../core/paths.js';
import { suiteSchemaText } from '../api/regressSchema.js';

writeFileAtomic(repoPath('schema', 'suite.schema.json'), suiteSchemaText());
console.log(`wrote ${repoPath('schema', 'suite.schema.json')}`);
