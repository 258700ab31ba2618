// The client against a real running service (the Release build of src/MediaLibrary), on Node's test runner.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, MediaLibraryError, srcset, transformUrl, verifyWebhook } from "../dist/client/media.js";
import { Webhook as ReferenceWebhook } from "standardwebhooks";
import { createServer as createHttpServer } from "node:http";
import ts from "typescript";
import openapiTS, { astToString } from "openapi-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const dll = process.env.MEDIALIB_DLL ?? join(here, "../../../src/MediaLibrary/bin/Release/net10.0/MediaLibrary.dll");
const password = "client-test-password";
let service, baseUrl, dataDir, output = "";
const requests = [];
// Every answer the client got (its body still to be read): the last test checks each against the OpenAPI document.
const responses = [];

const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, "127.0.0.1", () => { const { port } = server.address(); server.close(() => resolve(port)); });
});

// Two tiny valid PNGs (1×1 and 2×1), built by hand: no image library needed.
const png1 = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC", "base64");
const png2 = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGNgYPgPRAAFAgH/wSuWnwAAAABJRU5ErkJggg==", "base64");

let client;
before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "medialib-client-"));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  service = spawn("dotnet", [dll, "--urls", baseUrl], {
    env: { ...process.env, MEDIALIB_DATA_DIR: dataDir, MEDIALIB_ADMIN_PASSWORD: password, MEDIALIB_TOKEN_RATE_LIMIT: "1000",
      MEDIALIB_WEBHOOK_ALLOWED_NETWORKS: "127.0.0.0/8", MEDIALIB_WEBHOOK_POLL_MILLISECONDS: "100" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  service.stdout.on("data", (d) => { output += d; });
  service.stderr.on("data", (d) => { output += d; });
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(`${baseUrl}/health`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  client = createClient({
    baseUrl,
    fetch: async (input, init) => {
      requests.push({ input: String(input), init });
      const response = await fetch(input, init);
      responses.push({ method: init?.method ?? "GET", url: String(input), status: response.status,
        type: response.headers.get("content-type") ?? "", body: response.clone().text() });
      return response;
    },
  });
});

after(() => {
  service?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

const token = async () => (await client.login("admin", password)).access_token;

test("login returns a bearer token; a wrong password throws a typed 401 with problem details", async () => {
  const t = await client.login("admin", password);
  assert.equal(t.token_type, "Bearer");
  assert.ok(t.expires_in > 0);
  await assert.rejects(client.login("admin", "wrong-password"), (e) => {
    assert.ok(e instanceof MediaLibraryError);
    assert.equal(e.status, 401);
    assert.equal(e.problem.status, 401);
    assert.ok(e.problem.trace_id);
    return true;
  });
});

test("signOut ends that token only: a change with it is a typed 401 after, another token still works", async () => {
  const ended = await token();
  const other = await token();
  await client.signOut(ended);
  await assert.rejects(client.uploadMedia(new Blob([png1], { type: "image/png" }), { title: "after sign-out" }, ended), (e) => {
    assert.ok(e instanceof MediaLibraryError);
    assert.equal(e.status, 401);
    return true;
  });
  const media = await client.uploadMedia(new Blob([png1], { type: "image/png" }), { title: "other session" }, other);
  await client.deleteMedia(media.id, other);
});

test("completeSingleSignOn without a sign-in to finish is a typed 401 that says to sign in again", async () => {
  await assert.rejects(client.completeSingleSignOn(), (e) => {
    assert.ok(e instanceof MediaLibraryError);
    assert.equal(e.status, 401);
    assert.match(e.problem.detail, /Sign in again/);
    return true;
  });
});

test("upload, get, list, update, replace and delete: the whole lifecycle", async () => {
  const t = await token();
  const progress = [];
  const created = await client.uploadMedia(new Blob([png1], { type: "image/png" }), { title: "Logo", alt_text: "Our logo" }, t,
    { onProgress: (p) => progress.push(p) });
  assert.equal(created.title, "Logo");
  assert.equal(created.content_type, "image/png");
  assert.equal(created.width, 1);
  assert.equal(created.version, 1);
  assert.deepEqual(progress.at(-1), { loaded: png1.length, total: png1.length });
  assert.deepEqual(Buffer.from(await (await fetch(created.url)).arrayBuffer()), png1);

  assert.deepEqual(await client.getMedia(created.id), created);
  const page = await client.listMedia({ search: "Logo", content_type: "image/*", ordering: "-created_at", page_size: 10 });
  assert.equal(page.count, 1);
  assert.equal(page.results[0].id, created.id);

  const updated = await client.updateMedia(created.id, { alt_text: "The new logo" }, t);
  assert.equal(updated.alt_text, "The new logo");
  assert.equal(updated.url, created.url);

  const replaced = await client.replaceMediaFile(created.id, new Blob([png2], { type: "image/png" }), t);
  assert.equal(replaced.version, 2);
  assert.notEqual(replaced.url, created.url);
  assert.equal(replaced.width, 2);
  assert.equal((await fetch(created.url)).status, 404);
  // Images come with a placeholder, a colour and variants for srcset, each a rendered image of the listed size.
  assert.match(replaced.placeholder, /^data:image\/webp;base64,/);
  assert.match(replaced.dominant_color, /^#[0-9a-f]{6}$/);
  assert.equal(replaced.variants.length, 1);
  assert.equal(srcset(replaced), `${replaced.variants[0].url} 2w`);
  const variant = await fetch(replaced.variants[0].url);
  assert.equal(variant.headers.get("content-type"), "image/webp");
  assert.equal(Buffer.from(await variant.arrayBuffer()).subarray(8, 12).toString("ascii"), "WEBP");

  await client.deleteMedia(created.id, t);
  await assert.rejects(client.getMedia(created.id), (e) => e instanceof MediaLibraryError && e.status === 404);
  await assert.rejects(client.deleteMedia(created.id, t), (e) => e.status === 404);
});

test("every request is sent with cache: no-store", () => {
  assert.ok(requests.length > 5);
  for (const r of requests) assert.equal(r.init.cache, "no-store", r.input);
});

test("errors carry the problem: no token 401, stale If-Match 412, bad type 415, field errors 400", async () => {
  await assert.rejects(client.uploadMedia(new Blob([png1]), {}, ""), (e) => e.status === 401);
  const t = await token();
  const m = await client.uploadMedia(new Blob([png1]), { title: "x" }, t);
  await assert.rejects(client.updateMedia(m.id, { title: "y" }, t, { ifMatch: `"${m.id}-99"` }), (e) => e.status === 412 && e.problem.current_etag === `"${m.id}-1"`);
  // The media's etag, from the upload or from a list, is what If-Match wants; the answer carries the next one.
  const u = await client.uploadMedia(new Blob([png1]), { title: `etag${Date.now()}` }, t);
  assert.equal(u.etag, `"${u.id}-1"`);
  const listed = (await client.listMedia({ search: u.title })).results.find((r) => r.id === u.id);
  const edited = await client.updateMedia(u.id, { alt_text: "edited" }, t, { ifMatch: listed.etag });
  assert.notEqual(edited.etag, u.etag);
  await assert.rejects(client.updateMedia(u.id, { alt_text: "lost" }, t, { ifMatch: u.etag }), (e) => e.status === 412 && e.problem.current_etag === edited.etag);
  await assert.rejects(client.uploadMedia(new Blob(["<html><script>x</script></html>"]), {}, t), (e) => e.status === 415 && e.problem.detected_type === "text/html");
  await assert.rejects(client.updateMedia(m.id, { title: "" }, t), (e) => e.status === 400 && Array.isArray(e.problem.errors.title));
});

test("an aborted upload rejects and creates nothing", async () => {
  const t = await token();
  const before = (await client.listMedia({ search: "aborted" })).count;
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(client.uploadMedia(new Blob([png1]), { title: "aborted" }, t, { signal: controller.signal }), (e) => e.name === "AbortError");
  assert.equal((await client.listMedia({ search: "aborted" })).count, before);
});

test("an Idempotency-Key makes a retried upload return the first media", async () => {
  const t = await token();
  const key = `retry-${Date.now()}`;
  const first = await client.uploadMedia(new Blob([png1]), { title: key }, t, { idempotencyKey: key });
  const retry = await client.uploadMedia(new Blob([png1]), { title: key }, t, { idempotencyKey: key });
  assert.equal(retry.id, first.id);
  assert.equal((await client.listMedia({ search: key })).count, 1);
});

test("listMedia follows next and previous with the cursor from their links", async () => {
  const t = await token();
  const tag = `paged-${Date.now()}`;
  for (let i = 0; i < 3; i++) await client.uploadMedia(new Blob([png1]), { title: `${tag} ${i}` }, t);
  const cursorOf = (link) => new URL(link).searchParams.get("cursor");
  const first = await client.listMedia({ search: tag, ordering: "title", page_size: 2 });
  assert.deepEqual(first.results.map((m) => m.title), [`${tag} 0`, `${tag} 1`]);
  const second = await client.listMedia({ search: tag, page_size: 2, cursor: cursorOf(first.next) });
  assert.deepEqual(second.results.map((m) => m.title), [`${tag} 2`]);
  assert.equal(second.next, null);
  assert.equal(second.count, 3);
  const back = await client.listMedia({ search: tag, page_size: 2, cursor: cursorOf(second.previous) });
  assert.deepEqual(back.results, first.results);
});

test("folders: create, nest, upload into, list by folder, move media and folders, delete with contents", async () => {
  const t = await token();
  const tag = `folders-${Date.now()}`;
  const shop = await client.createFolder(tag, null, t);
  const shoes = await client.createFolder("Shoes", shop.id, t);
  assert.deepEqual((await client.getFolder(shoes.id)).path, [{ id: shop.id, name: tag }]);
  assert.deepEqual((await client.listFolders(shop.id)).results.map((f) => f.name), ["Shoes"]);
  assert.ok((await client.listFolders()).results.some((f) => f.id === shop.id));

  const boot = await client.uploadMedia(new Blob([png1]), { title: `${tag} boot`, folder_id: shoes.id }, t);
  assert.equal(boot.folder_id, shoes.id);
  assert.deepEqual((await client.listMedia({ folder: shoes.id })).results.map((m) => m.id), [boot.id]);
  assert.equal((await client.listMedia({ folder: shop.id })).count, 0);
  assert.equal((await client.listMedia({ folder: shop.id, recursive: true })).count, 1);

  const moved = await client.updateMedia(boot.id, { folder_id: shop.id }, t);
  assert.equal(moved.folder_id, shop.id);
  assert.equal(moved.url, boot.url); // a folder is never part of a URL
  const top = await client.moveFolder(shoes.id, null, t);
  assert.equal(top.parent_id, null);
  await assert.rejects(client.moveFolder(shop.id, shop.id, t), (e) => e instanceof MediaLibraryError && e.status === 409);
  await assert.rejects(client.deleteFolder(shop.id, t), (e) => e instanceof MediaLibraryError && e.status === 409);
  await client.deleteFolder(shop.id, t, { contents: true });
  await assert.rejects(client.getMedia(boot.id), (e) => e instanceof MediaLibraryError && e.status === 404);
  await client.deleteFolder(shoes.id, t);
});

test("tags: on upload and update, add and remove, filter by several, counts and prefix completion", async () => {
  const t = await token();
  const u = `tg${Date.now()}`;
  const a = await client.uploadMedia(new Blob([png1]), { title: `${u} a`, tags: [`${u}-Red`, `${u}-big`] }, t);
  assert.deepEqual(a.tags, [`${u}-big`, `${u}-Red`]);
  const b = await client.uploadMedia(new Blob([png1]), { title: `${u} b`, tags: [`${u}-red`] }, t);
  assert.deepEqual(b.tags, [`${u}-Red`]); // one tag whatever the case, in its first spelling

  const added = await client.addTags(b.id, [`${u}-big`, `${u}-new`], t, { ifMatch: `"${b.id}-1"` });
  assert.deepEqual(added.tags, [`${u}-big`, `${u}-new`, `${u}-Red`]);
  await assert.rejects(client.removeTags(b.id, [`${u}-new`], t, { ifMatch: `"${b.id}-1"` }), (e) => e instanceof MediaLibraryError && e.status === 412);
  assert.deepEqual((await client.removeTags(b.id, [`${u}-NEW`], t)).tags, [`${u}-big`, `${u}-Red`]);

  assert.deepEqual((await client.listMedia({ tag: [`${u}-red`, `${u}-big`], ordering: "created_at" })).results.map((m) => m.id), [a.id, b.id]);
  assert.equal((await client.listMedia({ tag: `${u}-red` })).count, 2);
  const counts = await client.listTags({ prefix: `${u}-` });
  assert.deepEqual(counts.results.map((c) => [c.name, c.count]), [[`${u}-big`, 2], [`${u}-Red`, 2]]);

  assert.deepEqual((await client.updateMedia(a.id, { tags: [] }, t)).tags, []);
  await assert.rejects(client.updateMedia(a.id, { tags: ["a,b"] }, t), (e) => e instanceof MediaLibraryError && e.status === 400 && "tags" in e.problem.errors);
  await client.deleteMedia(a.id, t);
  await client.deleteMedia(b.id, t);
  assert.deepEqual((await client.listTags({ prefix: `${u}-` })).results, []);
});

test("bulkMedia: move and tag by ids, delete by filter, a result per media", async () => {
  const t = await token();
  const u = `bk${Date.now()}`;
  const folder = await client.createFolder(u, null, t);
  const a = await client.uploadMedia(new Blob([png1]), { title: `${u} a` }, t);
  const b = await client.uploadMedia(new Blob([png1]), { title: `${u} b` }, t);

  const moved = await client.bulkMedia({ action: "move", ids: [a.id, b.id, 2 ** 40], folder_id: folder.id, if_match: { [b.id]: '"0-0"' } }, t);
  assert.deepEqual(moved.results.map((r) => [r.id, r.status]), [[a.id, 200], [b.id, 412], [2 ** 40, 404]]);
  assert.equal((await client.getMedia(a.id)).folder_id, folder.id);
  const tagged = await client.bulkMedia({ action: "tag", filter: { search: u }, limit: 10, tags: [u] }, t);
  assert.equal(tagged.selected, 2);
  assert.deepEqual((await client.getMedia(b.id)).tags, [u]);
  await assert.rejects(client.bulkMedia({ action: "move", ids: [a.id] }, t), (e) => e instanceof MediaLibraryError && e.status === 400);

  const deleted = await client.bulkMedia({ action: "delete", filter: { tag: [u] }, limit: 10 }, t);
  assert.deepEqual(deleted.results.map((r) => r.status), [204, 204]);
  assert.equal((await client.listMedia({ search: u })).count, 0);
  await client.deleteFolder(folder.id, t);
});

test("references: put, list, sync a page's set, the used filter, and a delete refused while in use unless forced", async () => {
  const t = await token();
  const u = `rf${Date.now()}`;
  const a = await client.uploadMedia(new Blob([png1]), { title: `${u} a` }, t);
  const b = await client.uploadMedia(new Blob([png1]), { title: `${u} b` }, t);

  const put = await client.putReference(a.id, { key: `page:/${u}`, label: "A page", url: "https://example.com/a" }, t);
  assert.deepEqual([put.key, put.label, put.url], [`page:/${u}`, "A page", "https://example.com/a"]);
  assert.equal((await client.getMedia(a.id)).reference_count, 1);
  const synced = await client.syncReferences(`product:${u}`, [a.id, b.id], t, { label: "Product" });
  assert.deepEqual([synced.media_ids, synced.added], [[a.id, b.id], [a.id, b.id]]);
  assert.deepEqual((await client.listReferences(a.id)).results.map((r) => r.key), [`page:/${u}`, `product:${u}`]);
  assert.deepEqual((await client.getReferrer(`product:${u}`)).media_ids, [a.id, b.id]);

  assert.deepEqual((await client.syncReferences(`product:${u}`, [a.id], t)).removed, [b.id]);
  assert.deepEqual((await client.listMedia({ search: u, used: false })).results.map((m) => m.id), [b.id]);
  await assert.rejects(client.deleteMedia(a.id, t), (e) => e instanceof MediaLibraryError && e.status === 409 && e.problem.reference_count === 2);
  await client.removeReference(a.id, `page:/${u}`, t);
  await assert.rejects(client.syncReferences(`product:${u}`, [a.id, 2 ** 40], t), (e) => e instanceof MediaLibraryError && e.status === 422);
  await client.deleteMedia(a.id, t, { force: true });
  await client.deleteMedia(b.id, t);
  assert.equal((await client.listMedia({ search: u })).count, 0);
});

test("trash: deleteMedia moves to the trash, restoreMedia brings back the same URL, permanent and emptyTrash delete for good", async () => {
  const t = await token();
  const u = `tr${Date.now()}`;
  const a = await client.uploadMedia(new Blob([png1]), { title: `${u} a` }, t);
  const b = await client.uploadMedia(new Blob([png2]), { title: `${u} b` }, t);
  assert.equal(a.trashed_at, null);

  await client.deleteMedia(a.id, t);
  await assert.rejects(client.getMedia(a.id), (e) => e instanceof MediaLibraryError && e.status === 404 && e.problem.trashed === true);
  assert.equal((await fetch(a.url)).status, 404);
  assert.deepEqual((await client.listMedia({ search: u })).results.map((m) => m.id), [b.id]);
  const trash = await client.listTrash({ page_size: 200 }, t);
  const inTrash = trash.results.find((m) => m.id === a.id);
  assert.ok(inTrash.trashed_at && inTrash.purge_at && Date.parse(inTrash.purge_at) > Date.parse(inTrash.trashed_at));
  const preview = await client.trashPreview(a.id, t); // the file URL answers 404, the editor still sees the image
  assert.match(preview.type, /^image\/(avif|webp)$/);
  assert.ok(preview.size > 0);
  await assert.rejects(client.trashPreview(b.id, t), (e) => e instanceof MediaLibraryError && e.status === 404 && /not in the trash|no media/i.test(e.problem.detail));

  const restored = await client.restoreMedia(a.id, t);
  assert.deepEqual([restored.id, restored.version, restored.url, restored.trashed_at], [a.id, a.version, a.url, null]);
  assert.equal((await fetch(a.url)).status, 200);
  await assert.rejects(client.restoreMedia(a.id, t), (e) => e.status === 409);

  await client.deleteMedia(a.id, t, { permanent: true });
  await assert.rejects(client.restoreMedia(a.id, t), (e) => e.status === 404);
  await client.deleteMedia(b.id, t);
  const emptied = await client.emptyTrash(t); // the admin's token
  assert.ok(emptied.purged >= 1);
  assert.equal(emptied.remaining, 0);
  assert.equal((await client.listTrash(undefined, t)).count, 0);
  await assert.rejects(client.restoreMedia(b.id, t), (e) => e.status === 404);
});

test("history: every change of a media, newest first, kept after it is deleted; the audit list filters by media", async () => {
  const t = await token();
  const item = await client.uploadMedia(new Blob([png1]), { title: `hi${Date.now()}` }, t);
  await client.updateMedia(item.id, { alt_text: "now described" }, t);
  await client.deleteMedia(item.id, t, { permanent: true });
  const history = await client.getHistory(item.id, t);
  assert.deepEqual(history.results.map((h) => h.action), ["deleted", "edited", "created"]);
  assert.deepEqual(history.results[1].details.alt_text, { before: "", after: "now described" });
  assert.ok(history.results.every((h) => h.actor === "admin" && h.media_id === item.id && h.request_id));
  const audit = await client.listHistory({ media_id: item.id, action: "created" }, t);
  assert.deepEqual(audit.results.map((h) => h.action), ["created"]);
  await assert.rejects(client.listHistory({ action: "exploded" }, t), (e) => e instanceof MediaLibraryError && e.status === 400);
});

test("API keys: an admin creates one, a backend uses it like a token within its scopes, a revoked key is a typed 401", async () => {
  const t = await token();
  const created = await client.createApiKey({ name: `Next.js site ${Date.now()}`, scopes: ["read", "references"] }, t);
  assert.match(created.key, /^mlk_[0-9a-f]{12}_/);
  assert.deepEqual(created.scopes, ["read", "references"]);
  const item = await client.uploadMedia(new Blob([png1]), { title: `key${Date.now()}` }, t);

  const backend = createClient({ baseUrl }); // a server-side client: the key instead of a sign-in
  const synced = await backend.syncReferences(`page:/key-${item.id}`, [item.id], created.key, { label: "Home" });
  assert.deepEqual(synced.added, [item.id]);
  await assert.rejects(backend.updateMedia(item.id, { title: "not allowed" }, created.key), (e) => e instanceof MediaLibraryError && e.status === 403);
  const history = await client.getHistory(item.id, t);
  assert.equal(history.results[0].actor, `key ${created.prefix} (${created.name})`);

  const listed = (await client.listApiKeys(t)).find((k) => k.id === created.id);
  assert.equal(listed.prefix, created.prefix);
  assert.ok(listed.last_used_at);
  assert.equal("key" in listed, false);
  await client.revokeApiKey(created.id, t);
  await assert.rejects(backend.syncReferences("page:/late", [], created.key), (e) => e instanceof MediaLibraryError && e.status === 401);
  await assert.rejects(client.createApiKey({ name: "bad", scopes: ["superuser"] }, t), (e) => e instanceof MediaLibraryError && e.status === 400);
});

test("signTransform signs a size beyond the configured widths; transformUrl renders it", async () => {
  const t = await token();
  const item = await client.uploadMedia(new Blob([png2]), { title: `sign${Date.now()}` }, t);
  const { transform } = await client.signTransform({ width: 2, height: 2, fit: "cover", format: "png" }, t);
  assert.match(transform, /^w_2,h_2,fit_cover,f_png,s_/);
  const rendered = await fetch(transformUrl(item, transform));
  assert.equal(rendered.status, 200);
  assert.equal(rendered.headers.get("content-type"), "image/png");
  const unsigned = await fetch(transformUrl(item, "w_2,h_2,fit_cover,f_png"));
  assert.equal(unsigned.status, 403);
  await assert.rejects(client.signTransform({ width: 0 }, t), (e) => e instanceof MediaLibraryError && e.status === 400);
});

test("the service serves this module and its types at /client/", async () => {
  const js = await fetch(`${baseUrl}/client/media.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get("content-type"), /javascript/);
  assert.equal(js.headers.get("x-content-type-options"), "nosniff");
  assert.equal(await js.text(), readFileSync(join(here, "../dist/client/media.js"), "utf8"));
  const types = await fetch(`${baseUrl}/client/media.d.ts`);
  assert.equal(types.status, 200);
  assert.match(await types.text(), /export declare function createClient/);
});

test("webhooks: createWebhook registers a receiver; each change arrives signed, and verifyWebhook agrees with the reference verifier", async () => {
  const t = await token();
  const received = [];
  const receiver = createHttpServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => { received.push({ headers: req.headers, body }); res.writeHead(204).end(); });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  try {
    const hook = await client.createWebhook({ url: `http://127.0.0.1:${receiver.address().port}/revalidate`, events: ["media.created", "media.updated"] }, t);
    assert.match(hook.secret, /^whsec_/);
    const item = await client.uploadMedia(new Blob([png1]), { title: `hooked${Date.now()}` }, t);
    await client.updateMedia(item.id, { alt_text: "A dot" }, t);
    for (let i = 0; i < 200 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(received.length, 2);

    const events = [];
    for (const { headers, body } of received) {
      const event = await verifyWebhook(hook.secret, body, headers);
      new ReferenceWebhook(hook.secret).verify(body, headers); // throws unless the reference implementation agrees
      events.push(event);
    }
    assert.deepEqual(events.map((e) => e.type), ["media.created", "media.updated"]);
    assert.equal(events[1].data.media.alt_text, "A dot");
    assert.deepEqual(events[1].data.change.alt_text, { before: "", after: "A dot" });

    // A changed body, a wrong secret and an old timestamp are refused.
    const { headers, body } = received[0];
    await assert.rejects(verifyWebhook(hook.secret, body.replace("media.created", "media.deleted"), headers), /signature does not match/);
    await assert.rejects(verifyWebhook(`whsec_${Buffer.alloc(32, 7).toString("base64")}`, body, headers), /signature does not match/);
    await assert.rejects(verifyWebhook(hook.secret, body, headers, { now: new Date(Date.now() + 3_600_000) }), /too old or too new/);

    // What the reference implementation signs, verifyWebhook accepts.
    const signedAt = new Date();
    const signature = new ReferenceWebhook(hook.secret).sign("msg_reference", signedAt, '{"type":"media.created"}');
    const ok = await verifyWebhook(hook.secret, '{"type":"media.created"}',
      new Headers({ "webhook-id": "msg_reference", "webhook-timestamp": String(Math.floor(signedAt.getTime() / 1000)), "webhook-signature": signature }));
    assert.equal(ok.type, "media.created");

    // The receiver has a request a moment before its outcome is recorded.
    let page = await client.listWebhookDeliveries(hook.id, { status: "delivered" }, t);
    for (let i = 0; i < 200 && page.results.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
      page = await client.listWebhookDeliveries(hook.id, { status: "delivered" }, t);
    }
    assert.equal(page.results.length, 2);
    assert.equal(page.results[0].last_status_code, 204);
    const again = await client.redeliverWebhook(hook.id, page.results[1].id, t);
    assert.equal(again.status, "pending");
    for (let i = 0; i < 200 && received.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(received[2].headers["webhook-id"], received[0].headers["webhook-id"]);
    const rotated = await client.rotateWebhookSecret(hook.id, t);
    assert.notEqual(rotated.secret, hook.secret);
    assert.ok(Date.parse(rotated.previous_secret_until) > Date.now() + 23 * 3_600_000);
    // While the old secret still signs, a receiver with either secret accepts (the reference verifier and ours).
    await client.updateMedia(item.id, { alt_text: "A rotated dot" }, t);
    for (let i = 0; i < 200 && received.length < 4; i++) await new Promise((r) => setTimeout(r, 50));
    const overlap = received[3];
    assert.equal(overlap.headers["webhook-signature"].split(" ").length, 2);
    for (const secret of [hook.secret, rotated.secret]) {
      new ReferenceWebhook(secret).verify(overlap.body, overlap.headers);
      assert.equal((await verifyWebhook(secret, overlap.body, overlap.headers)).data.change.alt_text.after, "A rotated dot");
    }
    const latest = await client.rotateWebhookSecret(hook.id, t, { keepPreviousHours: 0 });
    assert.equal(latest.previous_secret_until, null);
    // A test event: queued like any delivery, signed with the endpoint's secret (the latest only, now).
    const test = await client.testWebhook(hook.id, t);
    assert.deepEqual([test.event_type, test.status, test.media_id], ["webhook.test", "pending", null]);
    for (let i = 0; i < 200 && received.length < 5; i++) await new Promise((r) => setTimeout(r, 50));
    const ping = await verifyWebhook(latest.secret, received[4].body, received[4].headers);
    assert.deepEqual([ping.type, ping.data.endpoint_id, ping.data.action], ["webhook.test", hook.id, "test"]);
    await assert.rejects(verifyWebhook(rotated.secret, received[4].body, received[4].headers), /signature does not match/);
    await assert.rejects(client.rotateWebhookSecret(hook.id, t, { keepPreviousHours: 500 }), (e) => e instanceof MediaLibraryError && e.status === 400);
    assert.equal((await client.updateWebhook(hook.id, { active: false }, t)).active, false);
    await assert.rejects(client.testWebhook(hook.id, t), (e) => e instanceof MediaLibraryError && e.status === 409);
    await client.deleteWebhook(hook.id, t);
    assert.deepEqual((await client.listWebhooks(t)).filter((w) => w.id === hook.id), []);
    await assert.rejects(client.createWebhook({ url: "http://10.0.0.1/hook", events: ["*"] }, t), (e) => e instanceof MediaLibraryError && e.status === 400);
  } finally {
    receiver.close();
  }
});

test("admins manage users: add, change the role (ending the user's sign-ins), sign out everywhere, delete; never the last admin", async () => {
  const t = await token();
  const name = `dora${Date.now()}`;
  const added = await client.addUser({ username: name, role: "editor", password: "doras-password-1" }, t);
  assert.deepEqual({ ...added, created_at: undefined }, { username: name, role: "editor", created_at: undefined, single_sign_on: false, has_password: true });
  assert.ok((await client.listUsers(t)).some((u) => u.username === name && u.role === "editor"));
  await assert.rejects(client.addUser({ username: name, role: "viewer", password: "another-password-1" }, t), (e) => e instanceof MediaLibraryError && e.status === 409);

  const doras = (await client.login(name, "doras-password-1")).access_token;
  assert.equal((await client.changeUser(name, { role: "viewer" }, t)).role, "viewer");
  await assert.rejects(client.listTrash({}, doras), (e) => e instanceof MediaLibraryError && e.status === 401);
  await client.login(name, "doras-password-1");
  assert.deepEqual(await client.revokeUserSessions(name, t), { sessions_ended: 1 });

  await assert.rejects(client.changeUser("admin", { role: "editor" }, t), (e) => e instanceof MediaLibraryError && e.status === 409);
  await assert.rejects(client.deleteUser("admin", t), (e) => e instanceof MediaLibraryError && e.status === 409);
  await client.deleteUser(name, t);
  await assert.rejects(client.login(name, "doras-password-1"), (e) => e instanceof MediaLibraryError && e.status === 401);
});

test("uploadResumable sends a large file in pieces, retries a piece the network dropped, and resumes an upload by its URL", async () => {
  const t = await token();
  const bytes = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(300_000, 7)]);
  const file = new File([bytes], "brochure.pdf", { type: "application/pdf" });
  const sha256 = (await import("node:crypto")).createHash("sha256").update(bytes).digest("hex");
  // One PATCH of this client fails on the network (the request never reaches the service) before it is retried.
  let patches = 0;
  const sent = [];
  const flaky = createClient({
    baseUrl,
    fetch: async (input, init) => {
      sent.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`);
      if (init?.method === "PATCH" && ++patches === 2) throw new TypeError("fetch failed");
      return fetch(input, init);
    },
  });
  const progress = [];
  let uploadUrl = null;
  const media = await flaky.uploadResumable(file, { title: "Brochure", alt_text: "Autumn brochure", tags: ["print"] }, t, {
    chunkSize: 64 * 1024, retryDelays: [10, 10], onProgress: (p) => progress.push(p.loaded), onUploadUrl: (u) => { uploadUrl = u; },
  });
  assert.equal(media.sha256, sha256);
  assert.equal(media.size, bytes.length);
  assert.equal(media.content_type, "application/pdf");
  assert.deepEqual([media.title, media.alt_text, media.file_name, media.tags], ["Brochure", "Autumn brochure", "brochure.pdf", ["print"]]);
  assert.match(uploadUrl, /\/api\/uploads\/[0-9a-f]{32}$/);
  assert.deepEqual(progress, [65536, 131072, 196608, 262144, 300009]);
  assert.ok(sent.includes(`HEAD ${new URL(uploadUrl).pathname}`), "the failed piece was followed by a HEAD for the offset");

  // Begun by one call and resumed by another (a page closed and opened again): the second goes on from the offset.
  const controller = new AbortController();
  let begun = null;
  await assert.rejects(client.uploadResumable(file, { title: "resumed" }, t, {
    chunkSize: 100_000, onUploadUrl: (u) => { begun = u; }, onProgress: () => controller.abort(), signal: controller.signal,
  }), (e) => e.name === "AbortError");
  const resumed = await client.uploadResumable(file, {}, t, { uploadUrl: begun, chunkSize: 100_000 });
  assert.equal(resumed.title, "resumed");
  assert.equal(resumed.sha256, sha256);
});

// tus-js-client, the reference tus client (Uppy's and the mobile SDKs' model), against the service: creation with the
// first piece, pieces after it, an abort and a resume by the upload's URL; the last answer's Media-Id names the media.
test("tus-js-client uploads in pieces, stops, resumes from the server's offset, and the last answer names the media", async () => {
  const { Upload } = await import("tus-js-client");
  const t = await token();
  const bytes = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(250_000, 3)]);
  const sha256 = (await import("node:crypto")).createHash("sha256").update(bytes).digest("hex");
  const options = (extra) => ({
    endpoint: `${baseUrl}/api/uploads`, headers: { Authorization: `Bearer ${t}` }, chunkSize: 60_000,
    metadata: { filename: "flyer.pdf", filetype: "application/pdf", title: "Flyer", tags: "print,tus" }, retryDelays: [],
    ...extra,
  });

  // The first run stops after its second piece: the service has what the pieces brought.
  let url = null;
  let pieces = 0;
  await new Promise((resolve, reject) => {
    const first = new Upload(bytes, options({
      uploadDataDuringCreation: true,
      onError: reject,
      onChunkComplete: () => { if (++pieces === 2) { url = first.url; first.abort().then(resolve, reject); } },
      onSuccess: () => reject(new Error("the upload should have been stopped")),
    }));
    first.start();
  });
  assert.match(url, /\/api\/uploads\/[0-9a-f]{32}$/);
  const head = await fetch(url, { method: "HEAD", headers: { Authorization: `Bearer ${t}`, "Tus-Resumable": "1.0.0" } });
  assert.equal(head.headers.get("upload-offset"), "120000");

  // Resumed by its URL: tus-js-client asks for the offset and sends the rest.
  let mediaId = null;
  const patchedFrom = [];
  await new Promise((resolve, reject) => {
    const second = new Upload(bytes, options({
      uploadUrl: url,
      onError: reject,
      onBeforeRequest: (req) => { if (req.getMethod() === "PATCH") patchedFrom.push(req.getHeader("Upload-Offset")); },
      onAfterResponse: (_req, res) => { mediaId = res.getHeader("Media-Id") ?? mediaId; },
      onSuccess: resolve,
    }));
    second.start();
  });
  assert.deepEqual(patchedFrom, ["120000", "180000", "240000"]);
  assert.match(String(mediaId), /^[0-9]+$/);
  const media = await client.getMedia(Number(mediaId));
  assert.deepEqual([media.title, media.file_name, media.content_type, media.size, media.sha256, media.tags],
    ["Flyer", "flyer.pdf", "application/pdf", bytes.length, sha256, ["print", "tus"]]);
});

test("uploadDirect on a service whose storage takes no direct uploads fails with 501, and nothing was sent anywhere", async () => {
  const t = await token();
  const sent = [];
  const watched = createClient({ baseUrl, fetch: async (input, init) => { sent.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`); return fetch(input, init); } });
  await assert.rejects(watched.uploadDirect(new File([Buffer.from("%PDF-1.4\n")], "a.pdf"), {}, t),
    (e) => e instanceof MediaLibraryError && e.status === 501 && /Direct uploads/.test(e.problem?.title ?? ""));
  assert.deepEqual(sent, ["POST /api/uploads/direct"]);
});

// Runs last (the runner keeps a file's order): every JSON answer the tests above got through the client, error answers
// too, must be what the OpenAPI document declares for its operation and status. The document's types, generated by
// openapi-typescript, are given each answer as an object literal and type-checked strictly: an undeclared status or
// operation, a missing required field, a field of another type or a field the document does not name is an error.
test("the types openapi-typescript generates from the OpenAPI document accept every answer the service really gave", async () => {
  const document = await (await fetch(`${baseUrl}/openapi/v1.json`)).json();
  const templates = Object.keys(document.paths)
    .map((path) => ({ path, params: (path.match(/\{/g) ?? []).length, pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`) }))
    .sort((a, b) => a.params - b.params); // a literal segment wins over a parameter: /api/media/trash before /api/media/{id}
  const checks = [];
  const unmatched = [];
  for (const r of responses) {
    const contentType = r.type.split(";")[0].trim();
    if (!/^application\/(problem\+)?json$/.test(contentType)) continue;
    const pathname = new URL(r.url).pathname;
    const template = templates.find((t) => t.pattern.test(pathname));
    if (!template) { unmatched.push(`${r.method} ${pathname}`); continue; }
    const body = await r.body;
    if (body.length === 0) continue;
    checks.push(`// ${r.method} ${pathname} → ${r.status}\n` +
      `export const answer${checks.length}: paths[${JSON.stringify(template.path)}][${JSON.stringify(r.method.toLowerCase())}]` +
      `["responses"][${r.status}]["content"][${JSON.stringify(contentType)}] = ${body};`);
  }
  assert.deepEqual(unmatched, [], "answers from paths the document does not list");
  assert.ok(checks.length >= 50, `only ${checks.length} answers to check`);

  const dir = mkdtempSync(join(tmpdir(), "medialib-openapi-"));
  try {
    writeFileSync(join(dir, "api.ts"), astToString(await openapiTS(document)));
    writeFileSync(join(dir, "answers.ts"), `import type { paths } from "./api";\n\n${checks.join("\n\n")}\n`);
    const program = ts.createProgram([join(dir, "answers.ts")], {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
      skipLibCheck: true, types: [],
    });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0) : null;
      const line = where && d.file ? d.file.text.split("\n").slice(Math.max(0, where.line - 1), where.line + 1).join(" ").slice(0, 300) : "";
      return `${where ? `answers.ts:${where.line + 1}` : ""} ${ts.flattenDiagnosticMessageText(d.messageText, "\n").slice(0, 600)}\n    ${line}`;
    });
    assert.deepEqual(errors, [], `${errors.length} answers the document does not describe:\n${errors.slice(0, 15).join("\n")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
