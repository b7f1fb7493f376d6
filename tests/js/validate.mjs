// The second, independent SHACL validator for conflict-ld: rdf-validate-shacl (JavaScript),
// run by tests/test_shapes.py to check that it gives the same verdicts as pyshacl.
//
//   node validate.mjs SHAPES DATA [DATA ...]
//   node validate.mjs --batch CASES.json
//
// SHAPES and every DATA file are Turtle (.ttl) or N-Triples (.nt), optionally gzipped (.gz),
// parsed with the `n3` parser. All DATA files are merged into one data graph (the caller
// passes the ontology as one of them, as pyshacl gets it). rdf-validate-shacl runs with its
// default factory. Prints one JSON object:
//
//   {"conforms": bool, "results": [{"focusNode", "sourceShape", "severity", "path"}]}
//
// conforms: no result of severity sh:Violation (pyshacl's allow_warnings=True).
// focusNode: an IRI, "_:label" for a blank node, or the N-Triples form of a literal.
// sourceShape: the shape's IRI; a blank property shape is named by the nearest shape with
// an IRI that holds it through sh:property (so both validators name it the same way).
// severity: the local name ("Violation", "Warning", "Info"). path: the sh:resultPath IRI
// when it is a single predicate, else null.
//
// --batch validates many data graphs in one process (node starts once): CASES.json is
// {"shapes": FILE, "cases": {NAME: [DATA, ...], ...}} and the output is {NAME: report, ...}.

import fs from 'node:fs';
import zlib from 'node:zlib';
import { Parser } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';

const SH = 'http://www.w3.org/ns/shacl#';

const parsed = new Map();

function readQuads(file) {
  if (!parsed.has(file)) parsed.set(file, parseFile(file));
  return parsed.get(file);
}

function parseFile(file) {
  let bytes = fs.readFileSync(file);
  let name = file;
  if (name.endsWith('.gz')) {
    bytes = zlib.gunzipSync(bytes);
    name = name.slice(0, -3);
  }
  const format = name.endsWith('.nt') ? 'N-Triples' : 'Turtle';
  // A blank node label is local to its file: prefix it so two files never share one.
  return new Parser({ format, blankNodePrefix: `b${parsed.size}_` }).parse(bytes.toString('utf8'));
}

function show(term) {
  if (term.termType === 'NamedNode') return term.value;
  if (term.termType === 'BlankNode') return `_:${term.value}`;
  if (term.termType === 'Literal') {
    const text = JSON.stringify(term.value);
    if (term.language) return `${text}@${term.language}`;
    return `${text}^^<${term.datatype.value}>`;
  }
  return String(term.value);
}

function namedShape(shapes, term) {
  // Walk up sh:property from a blank property shape to a shape with an IRI.
  const seen = new Set();
  let node = term;
  while (node && node.termType === 'BlankNode' && !seen.has(node.value)) {
    seen.add(node.value);
    const parents = shapes.filter((q) => q.predicate.value === `${SH}property` && q.object.equals(node));
    node = parents.length ? parents[0].subject : null;
  }
  return node && node.termType === 'NamedNode' ? node.value : show(term);
}

async function validate(validator, shapes, dataFiles) {
  const data = validator.factory.dataset(dataFiles.flatMap(readQuads));
  const report = await validator.validate(data);
  const results = report.results.map((result) => ({
    focusNode: show(result.focusNode),
    sourceShape: namedShape(shapes, result.sourceShape),
    severity: result.severity ? result.severity.value.replace(SH, '') : 'Violation',
    path: result.path && result.path.termType === 'NamedNode' ? result.path.value : null,
  }));
  const conforms = !results.some((r) => r.severity === 'Violation');
  return { conforms, results };
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--batch' && args.length === 2) {
    const batch = JSON.parse(fs.readFileSync(args[1], 'utf8'));
    const shapes = readQuads(batch.shapes);
    // One validator for every case: its shapes are compiled once; validate() starts a new
    // report on each call.
    const validator = new SHACLValidator(shapes);
    const out = {};
    for (const [name, files] of Object.entries(batch.cases)) {
      out[name] = await validate(validator, shapes, files);
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const [shapesFile, ...dataFiles] = args;
  if (!shapesFile || dataFiles.length === 0) {
    process.stderr.write('usage: node validate.mjs SHAPES DATA [DATA ...] | --batch CASES.json\n');
    process.exit(2);
  }
  const shapes = readQuads(shapesFile);
  const report = await validate(new SHACLValidator(shapes), shapes, dataFiles);
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(2);
});
