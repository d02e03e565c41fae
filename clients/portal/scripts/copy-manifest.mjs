// Copies codegen's manifest (sha256 -> document) to where the server reads it.
import { copyFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const from = fileURLToPath(new URL("../src/gql/persisted-documents.json", import.meta.url));
const to = fileURLToPath(new URL("../../../server/trusted_documents.json", import.meta.url));
copyFileSync(from, to);
console.log(`trusted documents: ${from} -> ${to}`);
