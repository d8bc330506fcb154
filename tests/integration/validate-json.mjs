// Validates JSON files against a JSON Schema (draft 2020-12) with ajv.
//   node validate-json.mjs SCHEMA FILE...
// ILP_NODE_DIR: the directory whose node_modules holds ajv and ajv-formats
// (scripts/install-deps.sh puts them in build/node).  Exit 0 valid, 1
// invalid (errors on stderr), 2 usage/missing module.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const dir = process.env.ILP_NODE_DIR;
if (!dir || process.argv.length < 4) {
	console.error('usage: ILP_NODE_DIR=DIR node validate-json.mjs SCHEMA FILE...');
	process.exit(2);
}
const require = createRequire(resolve(dir, 'node_modules') + '/');
let Ajv2020, addFormats;
try {
	Ajv2020 = require('ajv/dist/2020').default;
	addFormats = require('ajv-formats').default;
} catch (e) {
	console.error(`validate-json: ajv not found under ${dir}/node_modules: ${e.message}`);
	process.exit(2);
}
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(process.argv[2], 'utf8')));
let bad = 0;
for (const f of process.argv.slice(3)) {
	const doc = JSON.parse(readFileSync(f, 'utf8'));
	if (validate(doc)) {
		console.log(`${f}: valid`);
	} else {
		bad++;
		for (const e of validate.errors)
			console.error(`${f}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
	}
}
process.exit(bad ? 1 : 0);
