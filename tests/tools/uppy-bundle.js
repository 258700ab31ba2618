#!/usr/bin/env node
// Bundles Uppy (its core and tus plugin, from npm) into one script for the browser tests, printed to stdout: the tests
// add it to a page of the service and upload with it as a website would. Globals: window.Uppy, window.UppyTus.
"use strict";
const esbuild = require("esbuild");

esbuild.build({
  stdin: {
    contents: 'import Uppy from "@uppy/core"; import Tus from "@uppy/tus"; window.Uppy = Uppy; window.UppyTus = Tus;',
    resolveDir: __dirname,
    loader: "js",
  },
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2022",
  write: false,
  logLevel: "error",
}).then((result) => process.stdout.write(result.outputFiles[0].text), (error) => {
  console.error(error);
  process.exit(1);
});
