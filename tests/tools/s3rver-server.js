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

// Nor ListMultipartUploads (GET /bucket?uploads), with which a reconciler finds the uploads a crash left: the same
// answer S3 gives, from the folder s3rver keeps for each upload (its key in a file, begun when the folder was made).
function listMultipartUploads(store) {
  const escape = (text) => String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return async (ctx, next) => {
    if (ctx.method !== "GET" || ctx.query.uploads === undefined) return next();
    const bucket = decodeURIComponent(ctx.path.replace(/^\/+|\/+$/g, ""));
    if (bucket.includes("/")) return next();
    const folder = path.join(store.rootDirectory, bucket, "._S3rver_uploads");
    const ids = await fs.readdir(folder).catch(() => []);
    const prefix = ctx.query.prefix ?? "";
    const uploads = [];
    for (const id of ids) {
      const key = await fs.readFile(path.join(folder, id, "key"), "utf8").catch(() => null);
      if (key === null || !key.startsWith(prefix)) continue;
      const { birthtime, mtime } = await fs.stat(path.join(folder, id));
      uploads.push(`<Upload><Key>${escape(key)}</Key><UploadId>${escape(id)}</UploadId><Initiated>${(birthtime.getTime() ? birthtime : mtime).toISOString()}</Initiated></Upload>`);
    }
    ctx.type = "application/xml";
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
      `<Bucket>${escape(bucket)}</Bucket><Prefix>${escape(prefix)}</Prefix><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><MaxUploads>1000</MaxUploads>` +
      `<IsTruncated>false</IsTruncated>${uploads.join("")}</ListMultipartUploadsResult>`;
  };
}

// s3rver reads the copy source of CopyObject with decodeURI, which leaves the %2F between bucket and key that the AWS
// SDKs send (AWSSDKUtils.UrlEncode of "bucket/key"), and then finds no bucket. S3, MinIO and R2 decode it whole; so does
// this, before s3rver reads it.
function decodeCopySource() {
  return async (ctx, next) => {
    const source = ctx.headers["x-amz-copy-source"];
    if (typeof source === "string") ctx.headers["x-amz-copy-source"] = encodeURI(decodeURIComponent(source));
    return next();
  };
}

// s3rver completes a multipart upload whatever ETags the request names. S3 answers 400 InvalidPart when a named part
// was never uploaded or its ETag is not the one it answered with, and the service relies on that to refuse parts a
// client made up. This checks each named part against the MD5 s3rver kept beside it, then hands s3rver the same body.
function checkCompletedParts(store) {
  const { Readable } = require("stream");
  return async (ctx, next) => {
    if (ctx.method !== "POST" || ctx.query.uploadId === undefined) return next();
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const [bucket] = ctx.path.replace(/^\/+/, "").split("/");
    const upload = path.join(store.rootDirectory, decodeURIComponent(bucket), "._S3rver_uploads", path.basename(String(ctx.query.uploadId)));
    const unquote = (etag) => etag.replace(/&quot;|"/g, "").trim();
    for (const [, part] of body.toString("utf8").matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
      const number = /<PartNumber>(\d+)<\/PartNumber>/.exec(part)?.[1] ?? "0";
      const etag = /<ETag>([^<]*)<\/ETag>/.exec(part)?.[1] ?? "";
      const md5 = await fs.readFile(path.join(upload, `${Number(number)}.md5`), "utf8").catch(() => null);
      if (md5 === null || md5.trim() !== unquote(etag)) {
        ctx.status = 400;
        ctx.type = "application/xml";
        ctx.body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidPart</Code><Message>One or more of the specified parts could not be found.</Message></Error>`;
        return;
      }
    }
    const replay = Readable.from([body]);
    replay.headers = ctx.req.headers;
    ctx.req = replay;
    return next();
  };
}

const run = S3rver.prototype.run;
S3rver.prototype.run = function (...args) {
  this.middleware.unshift(listMultipartUploads(this.store));
  this.middleware.unshift(abortMultipartUpload(this.store));
  this.middleware.unshift(decodeCopySource());
  this.middleware.unshift(checkCompletedParts(this.store));
  return run.apply(this, args);
};

require("s3rver/bin/s3rver.js");
