// Classify the changes between pairs of OpenAPI documents with the pinned api-smart-diff.
// Used by tools/spec_diff/smart_diff.py: reads a JSON array of [before, after] pairs on stdin and writes
// a JSON array holding one list of changes per pair, so that one Node start serves many pairs.
import { apiCompare } from "api-smart-diff";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const pairs = JSON.parse(Buffer.concat(chunks).toString("utf8"));

// Values are passed back only when small (a scalar, or a list of scalars such as a `type`).
const small = (value) =>
  value === null || typeof value !== "object" || (Array.isArray(value) && value.every((item) => small(item) && item !== null));

const result = pairs.map(([before, after]) =>
  apiCompare(before, after).diffs.map((diff) => ({
    type: diff.type,
    action: diff.action,
    path: diff.path,
    description: diff.description ?? "",
    ...(diff.before !== undefined && small(diff.before) ? { before: diff.before } : {}),
    ...(diff.after !== undefined && small(diff.after) ? { after: diff.after } : {}),
  })),
);
process.stdout.write(JSON.stringify(result));
