#!/usr/bin/env node
// Starts s3rver for the test suites, with s3rver's own command line (-d, -p, -a, --silent).
// s3rver 3.7 lets some errors escape as uncaught exceptions, which end the process: one CI run lost its server
// while the race tests deleted objects that were being read. A real S3 answers such a request with an error and
// carries on serving, so this logs the error and keeps the server up.
"use strict";
process.on("uncaughtException", (error) => console.error("s3rver: uncaught exception (server kept running):", error));
process.on("unhandledRejection", (error) => console.error("s3rver: unhandled rejection (server kept running):", error));
require("s3rver/bin/s3rver.js");
