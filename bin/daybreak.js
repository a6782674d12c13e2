#!/usr/bin/env node
// The compiled CLI is built by `npm ci` (the `prepare` script); this shim keeps the bin path stable.
import '../dist/cli/main.js';
