#!/usr/bin/env node
// The CLI entry point runs the compiled server (npm install builds it through "prepare").
import '../dist/server/main.js';
