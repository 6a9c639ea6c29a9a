#!/usr/bin/env node
// The CLI is bundled into dist/ (committed), so it runs without a build step after `npm ci`.
import '../dist/cli.js';
