#!/usr/bin/env node
// The `foyer` command. A committed launcher (not the build output) so npm can link it at install
// time, before `npm ci`'s prepare step has built dist/.
import "../dist/cli/foyer.js";
