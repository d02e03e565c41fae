// Composes federation 2 subgraph SDL files; prints the supergraph's public API schema.
// Usage: node compose.mjs schema/subgraphs/identity.graphql ...
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { composeServices } from "@theguild/federation-composition";
import { buildSchema, lexicographicSortSchema, parse, printSchema } from "graphql";

const services = process.argv.slice(2).map((file) => {
  const name = basename(file, ".graphql");
  return { name, url: `http://${name}.invalid/graphql`, typeDefs: parse(readFileSync(file, "utf8")) };
});

const result = composeServices(services);
if (result.errors && result.errors.length > 0) {
  for (const error of result.errors) console.error(error.message);
  process.exit(1);
}
process.stdout.write(printSchema(lexicographicSortSchema(buildSchema(result.publicSdl))) + "\n");
