// Writes docs/errors.md from the error catalogue (run through `npm run docs:errors`, which builds first).
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderErrorsDoc } from "../dist/errors-doc.js";

const target = fileURLToPath(new URL("../../../docs/errors.md", import.meta.url));
writeFileSync(target, renderErrorsDoc());
console.log(`wrote ${target}`);
