#!/usr/bin/env node
// Starts s3rver for the test suites, with s3rver's own command line (-d, -p, -a, --silent).
// s3rver 3.7 lets some errors escape as uncaught exceptions, which end the process: one CI run lost its server
// while the race tests deleted objects that were being read. A real S3 answers such a request with an error and
// carries on serving, so this logs the error and keeps the server up.
"use strict";
const path = require("path");
const fs = require("fs/promises");
const S3rver = require("s3rver");

process.on("uncaughtException", (error) => console.error("s3rver: uncaught exception (server kept running):", error));
process.on("unhandledRejection", (error) => console.error("s3rver: unhandled rejection (server kept running):", error));

// s3rver 3.7 has no AbortMultipartUpload (it answers MethodNotAllowed), which every S3 service has and the service
// relies on to remove an unfinished upload's parts. This adds it as S3 defines it: DELETE /bucket/key?uploadId=ID
// removes the upload and its parts (204), or answers 404 NoSuchUpload.
function abortMultipartUpload(store) {
  return async (ctx, next) => {
    if (ctx.method !== "DELETE" || ctx.query.uploadId === undefined) return next();
    const [bucket] = ctx.path.replace(/^\/+/, "").split("/");
    const upload = path.join(store.rootDirectory, decodeURIComponent(bucket), "._S3rver_uploads", path.basename(String(ctx.query.uploadId)));
    if (!(await fs.stat(upload).then(() => true, () => false))) {
      ctx.status = 404;
      ctx.type = "application/xml";
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>`;
      return;
    }
    await fs.rm(upload, { recursive: true, force: true });
    ctx.status = 204;
  };
}

const run = S3rver.prototype.run;
S3rver.prototype.run = function (...args) {
  this.middleware.unshift(abortMultipartUpload(this.store));
  return run.apply(this, args);
};

require("s3rver/bin/s3rver.js");
