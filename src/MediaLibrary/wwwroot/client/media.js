/**
 * MediaLibrary client for website frontends (browsers and Node 20+). One implementation: the service serves this
 * module at /client/media.js with its types at /client/media.d.ts.
 *
 *   import { createClient } from "https://media.example.com/client/media.js";
 *   const media = createClient({ baseUrl: "https://media.example.com" });
 *   const { access_token } = await media.login("editor", "…");
 *   const item = await media.uploadMedia(file, { title: "Team", alt_text: "Five people" }, access_token);
 *
 * A website's backend sends an API key (mlk_…, from an admin) wherever a function takes a token:
 *
 *   const page = await media.listMedia({ tag: ["homepage"] }, process.env.MEDIALIB_API_KEY);
 */
/** The media's variants as an <img srcset> value ("" when it has none). */
export function srcset(media) {
    return media.variants.map((v) => `${v.url} ${v.width}w`).join(", ");
}
/**
 * The URL of an image rendered with `transform` (a configured width such as "w_640,f_webp", or one that
 * `signTransform` signed): rendered once, then cached forever, like the variants.
 */
export function transformUrl(media, transform) {
    const slash = media.url.lastIndexOf("/");
    return `${media.url.slice(0, slash)}/${encodeURIComponent(transform).replace(/%2C/g, ",")}${media.url.slice(slash)}`;
}
/** Thrown for every non-2xx answer: the status and, where the service sent them, the problem details. */
export class MediaLibraryError extends Error {
    status;
    problem;
    constructor(status, problem) {
        super(problem?.detail ?? problem?.title ?? `Request failed with status ${status}`);
        this.name = "MediaLibraryError";
        this.status = status;
        this.problem = problem;
    }
}
export function createClient(options = {}) {
    const base = (options.baseUrl ?? "").replace(/\/+$/, "");
    const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
    async function call(method, path, init = {}) {
        const headers = { Accept: "application/json", ...init.headers };
        if (init.token)
            headers.Authorization = `Bearer ${init.token}`;
        let body = init.body;
        if (init.json !== undefined) {
            headers["Content-Type"] = "application/json";
            body = JSON.stringify(init.json);
        }
        // Never a cached answer: an editor must see the change they just made.
        const response = await fetchOrFail(base + path, { method, headers, body, signal: init.signal, cache: "no-store" });
        return (await parse(response.status, response.headers.get("Content-Type"), () => response.text()));
    }
    async function fetchOrFail(url, init) {
        try {
            return await doFetch(url, init);
        }
        catch (error) {
            // A cancellation stays an AbortError; anything else (no network, a refused CORS check) is a failed request.
            if (error instanceof DOMException && error.name === "AbortError")
                throw error;
            throw new MediaLibraryError(0, { title: "The connection failed.", detail: error instanceof Error ? error.message : String(error) });
        }
    }
    /** An upload's text fields as a form or tus metadata carries them: the ones given, tags as one comma-separated list. */
    function textFields(metadata) {
        const fields = [];
        if (metadata.title !== undefined)
            fields.push(["title", metadata.title]);
        if (metadata.alt_text !== undefined)
            fields.push(["alt_text", metadata.alt_text]);
        if (metadata.folder_id !== undefined && metadata.folder_id !== null)
            fields.push(["folder_id", String(metadata.folder_id)]);
        if (metadata.tags !== undefined && metadata.tags.length > 0)
            fields.push(["tags", metadata.tags.join(",")]);
        return fields;
    }
    function form(file, metadata = {}) {
        const data = new FormData();
        for (const [name, value] of textFields(metadata))
            data.append(name, value);
        data.append("file", file, file.name ?? "file");
        return data;
    }
    async function send(method, path, data, token, transfer = {}) {
        const headers = {};
        if (transfer.idempotencyKey)
            headers["Idempotency-Key"] = transfer.idempotencyKey;
        if (transfer.onProgress && typeof XMLHttpRequest !== "undefined" && !options.fetch) {
            return viaXhr(method, base + path, data, token, headers, transfer);
        }
        const media = await call(method, path, { token, body: data, headers, signal: transfer.signal });
        const size = data.get("file").size;
        transfer.onProgress?.({ loaded: size, total: size });
        return media;
    }
    /** One tus request: its answer, or a MediaLibraryError (status 0 when the network failed). */
    async function tus(method, url, token, headers, body, signal) {
        const response = await fetchOrFail(url, {
            method, body, signal, cache: "no-store",
            headers: { "Tus-Resumable": "1.0.0", Authorization: `Bearer ${token}`, Accept: "application/json", ...headers },
        });
        if (response.ok)
            return response;
        return (await parse(response.status, response.headers.get("Content-Type"), () => response.text()));
    }
    async function uploadResumable(file, metadata, token, opts = {}) {
        const chunk = Math.max(1, opts.chunkSize ?? 8 * 1024 * 1024);
        const delays = opts.retryDelays ?? [0, 1000, 3000, 5000, 10000];
        let url = opts.uploadUrl;
        if (!url) {
            const pairs = [["filename", file.name ?? "file"], ...(file.type ? [["filetype", file.type]] : []),
                ...textFields(metadata)];
            const created = await tus("POST", `${base}/api/uploads`, token, {
                "Upload-Length": String(file.size),
                "Upload-Metadata": pairs.map(([k, v]) => `${k} ${base64(v)}`).join(","),
            }, undefined, opts.signal);
            const location = created.headers.get("Location") ?? "";
            url = /^https?:/i.test(location) ? location : base + location;
            opts.onUploadUrl?.(url);
        }
        let offset = opts.uploadUrl ? await offsetOf(url, token, opts.signal) : 0;
        let mediaId = null;
        for (let failures = 0; mediaId === null;) {
            try {
                const piece = file.slice(offset, Math.min(file.size, offset + chunk));
                const response = await tus("PATCH", url, token, { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" }, piece, opts.signal);
                offset = Number(response.headers.get("Upload-Offset"));
                mediaId = response.headers.get("Media-Id");
                failures = 0;
                opts.onProgress?.({ loaded: offset, total: file.size });
            }
            catch (error) {
                // The network, an outage or a piece the service has in part: ask where it is, and go on from there.
                const retryable = error instanceof MediaLibraryError && (error.status === 0 || error.status === 409 || error.status >= 500);
                if (!retryable || failures >= delays.length)
                    throw error;
                await sleep(delays[failures++], opts.signal);
                const head = await tus("HEAD", url, token, {}, undefined, opts.signal);
                offset = Number(head.headers.get("Upload-Offset"));
                mediaId = head.headers.get("Media-Id");
            }
        }
        return call("GET", `/api/media/${encodeURIComponent(mediaId)}`, { token });
    }
    async function uploadDirect(file, metadata, token, opts = {}) {
        const delays = opts.retryDelays ?? [0, 1000, 3000];
        const begun = await call("POST", "/api/uploads/direct", {
            token, signal: opts.signal, json: {
                file_name: file.name ?? "file", size: file.size, content_type: file.type || undefined, title: metadata.title,
                alt_text: metadata.alt_text, folder_id: metadata.folder_id ?? undefined,
                tags: metadata.tags && metadata.tags.length > 0 ? metadata.tags : undefined, sha256: opts.sha256,
            },
        });
        const path = `/api/uploads/direct/${encodeURIComponent(begun.id)}`;
        let completing = false;
        try {
            if (begun.upload_url && begun.fields) {
                await postChunks(begun, file, delays, opts);
                completing = true;
                return await call("POST", `${path}/complete`, { token, json: {}, signal: opts.signal });
            }
            const etags = new Array(begun.part_urls.length);
            let next = 0;
            let loaded = 0;
            const sendParts = async () => {
                while (next < begun.part_urls.length) {
                    const index = next++;
                    const part = file.slice(index * begun.part_size, Math.min(file.size, (index + 1) * begun.part_size));
                    etags[index] = await putPart(begun.part_urls[index], part, delays, opts.signal);
                    loaded += part.size;
                    opts.onProgress?.({ loaded, total: file.size });
                }
            };
            await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 3, begun.part_urls.length)) }, sendParts));
            completing = true;
            return await call("POST", `${path}/complete`, { token, json: { etags }, signal: opts.signal });
        }
        catch (error) {
            // The parts leave the bucket now rather than at the upload's expiry; a refused completion deleted them already.
            if (!completing || !(error instanceof MediaLibraryError) || error.status === 0 || error.status >= 500)
                await call("DELETE", path, { token }).catch(() => undefined);
            throw error;
        }
    }
    /**
     * The file to Cloudinary as its signed form: in one post, or in chunks of the part size (the first before the others,
     * the last after them all, as Cloudinary wants; those between `concurrency` at a time).
     */
    async function postChunks(begun, file, delays, opts) {
        const size = begun.part_size;
        const count = Math.max(1, Math.ceil(file.size / size));
        let loaded = 0;
        const post = async (index) => {
            const start = index * size;
            const chunk = file.slice(start, Math.min(file.size, start + size));
            const headers = count === 1 ? {} : {
                "X-Unique-Upload-Id": begun.chunk_upload_id,
                "Content-Range": `bytes ${start}-${start + chunk.size - 1}/${index === count - 1 ? file.size : -1}`,
            };
            await sendWithRetries(() => {
                const data = new FormData();
                for (const [name, value] of Object.entries(begun.fields))
                    data.append(name, value);
                data.append("file", chunk, file.name ?? "file");
                return fetchOrFail(begun.upload_url, { method: "POST", body: data, headers, signal: opts.signal, cache: "no-store" });
            }, "Cloudinary refused the file.", delays, opts.signal);
            loaded += chunk.size;
            opts.onProgress?.({ loaded, total: file.size });
        };
        await post(0);
        let next = 1;
        const middle = async () => { while (next < count - 1)
            await post(next++); };
        await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 3, count - 2)) }, middle));
        if (count > 1)
            await post(count - 1);
    }
    /** A request to the storage, sent again on the network or 5xx after each of the delays; its answer once it succeeds. */
    async function sendWithRetries(send, refused, delays, signal) {
        for (let failures = 0;; failures++) {
            let response = null;
            try {
                response = await send();
            }
            catch (error) {
                if (!(error instanceof MediaLibraryError) || failures >= delays.length)
                    throw error;
            }
            if (response?.ok)
                return response;
            if (response && (response.status < 500 || failures >= delays.length))
                throw new MediaLibraryError(response.status, { title: refused, detail: (await response.text()).slice(0, 500) });
            await sleep(delays[failures], signal);
        }
    }
    /** One part to its presigned URL, retried on the network or 5xx; the bucket's ETag for it. */
    async function putPart(url, part, delays, signal) {
        const response = await sendWithRetries(() => fetchOrFail(url, { method: "PUT", body: part, signal, cache: "no-store" }), "The bucket refused a part.", delays, signal);
        const etag = response.headers.get("ETag");
        if (!etag)
            throw new MediaLibraryError(response.status, { title: "The bucket hid the part's ETag.", detail: "Its CORS rules must expose the ETag header." });
        return etag;
    }
    async function offsetOf(url, token, signal) {
        return Number((await tus("HEAD", url, token, {}, undefined, signal)).headers.get("Upload-Offset"));
    }
    return {
        login: (username, password) => call("POST", "/api/auth/token", { json: { username, password } }),
        signOut: (token) => call("POST", "/api/auth/sign-out", { token }),
        completeSingleSignOn: () => call("POST", "/api/auth/sso/token", {}),
        getMedia: (id, token) => call("GET", `/api/media/${encodeURIComponent(id)}`, { token }),
        listMedia: (query = {}, token) => {
            return call("GET", `/api/media${queryString(query)}`, { token });
        },
        uploadMedia: (file, metadata, token, transfer) => send("POST", "/api/media", form(file, metadata), token, transfer),
        uploadResumable,
        uploadDirect,
        updateMedia: (id, changes, token, opts = {}) => call("PATCH", `/api/media/${encodeURIComponent(id)}`, {
            token, json: changes, signal: opts.signal, headers: opts.ifMatch ? { "If-Match": opts.ifMatch } : {},
        }),
        replaceMediaFile: (id, file, token, transfer) => send("PUT", `/api/media/${encodeURIComponent(id)}/file`, form(file), token, transfer),
        deleteMedia: (id, token, opts = {}) => call("DELETE", `/api/media/${encodeURIComponent(id)}${queryString({ force: opts.force || undefined, permanent: opts.permanent || undefined })}`, { token, signal: opts.signal }),
        restoreMedia: (id, token, opts = {}) => call("POST", `/api/media/${encodeURIComponent(id)}/restore`, { token, headers: opts.ifMatch ? { "If-Match": opts.ifMatch } : {} }),
        listTrash: (query = {}, token) => call("GET", `/api/trash${queryString(query)}`, { token }),
        trashPreview: async (id, token, opts = {}) => {
            const response = await fetchOrFail(`${base}/api/trash/${id}/preview`, { headers: { Accept: "image/avif,image/webp,image/*,application/problem+json", Authorization: `Bearer ${token}` }, signal: opts.signal, cache: "no-store" });
            if (!response.ok)
                await parse(response.status, response.headers.get("Content-Type"), () => response.text());
            return await response.blob();
        },
        emptyTrash: (token) => call("DELETE", "/api/trash", { token }),
        getHistory: (id, token, query = {}) => call("GET", `/api/media/${encodeURIComponent(id)}/history${queryString(query)}`, { token }),
        listHistory: (query, token) => call("GET", `/api/history${queryString(query)}`, { token }),
        signTransform: (transform, token) => call("POST", "/api/images/sign", { token, json: transform }),
        listApiKeys: (token) => call("GET", "/api/admin/keys", { token }),
        createApiKey: (key, token) => call("POST", "/api/admin/keys", { token, json: key }),
        revokeApiKey: (id, token) => call("DELETE", `/api/admin/keys/${encodeURIComponent(id)}`, { token }),
        listUsers: (token) => call("GET", "/api/admin/users", { token }),
        addUser: (user, token) => call("POST", "/api/admin/users", { token, json: user }),
        changeUser: (username, changes, token) => call("PATCH", `/api/admin/users/${encodeURIComponent(username)}`, { token, json: changes }),
        deleteUser: (username, token) => call("DELETE", `/api/admin/users/${encodeURIComponent(username)}`, { token }),
        revokeUserSessions: (username, token) => call("POST", `/api/admin/users/${encodeURIComponent(username)}/revoke`, { token }),
        listWebhooks: (token) => call("GET", "/api/admin/webhooks", { token }),
        createWebhook: (webhook, token) => call("POST", "/api/admin/webhooks", { token, json: webhook }),
        updateWebhook: (id, changes, token) => call("PATCH", `/api/admin/webhooks/${encodeURIComponent(id)}`, { token, json: changes }),
        deleteWebhook: (id, token) => call("DELETE", `/api/admin/webhooks/${encodeURIComponent(id)}`, { token }),
        rotateWebhookSecret: (id, token, opts = {}) => call("POST", `/api/admin/webhooks/${encodeURIComponent(id)}/secret${queryString({ keep_previous_hours: opts.keepPreviousHours })}`, { token }),
        testWebhook: (id, token) => call("POST", `/api/admin/webhooks/${encodeURIComponent(id)}/test`, { token }),
        listWebhookDeliveries: (id, query = {}, token) => call("GET", `/api/admin/webhooks/${encodeURIComponent(id)}/deliveries${queryString(query)}`, { token }),
        redeliverWebhook: (id, deliveryId, token) => call("POST", `/api/admin/webhooks/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, { token }),
        listFolders: (parent, token) => call("GET", `/api/folders${parent === undefined ? "" : `?parent=${encodeURIComponent(parent)}`}`, { token }),
        getFolder: (id, token) => call("GET", `/api/folders/${encodeURIComponent(id)}`, { token }),
        createFolder: (name, parentId, token) => call("POST", "/api/folders", { token, json: { name, parent_id: parentId } }),
        renameFolder: (id, name, token) => call("PATCH", `/api/folders/${encodeURIComponent(id)}`, { token, json: { name } }),
        moveFolder: (id, parentId, token) => call("POST", `/api/folders/${encodeURIComponent(id)}/move`, { token, json: { parent_id: parentId } }),
        deleteFolder: (id, token, opts = {}) => call("DELETE", `/api/folders/${encodeURIComponent(id)}${queryString({ contents: opts.contents || undefined, force: opts.force || undefined, permanent: opts.permanent || undefined })}`, { token }),
        addTags: (id, tags, token, opts = {}) => call("POST", `/api/media/${encodeURIComponent(id)}/tags`, { token, json: { tags }, headers: opts.ifMatch ? { "If-Match": opts.ifMatch } : {} }),
        removeTags: (id, tags, token, opts = {}) => call("DELETE", `/api/media/${encodeURIComponent(id)}/tags${queryString({ tag: tags })}`, { token, headers: opts.ifMatch ? { "If-Match": opts.ifMatch } : {} }),
        listTags: (query = {}, token) => call("GET", `/api/tags${queryString(query)}`, { token }),
        bulkMedia: (request, token) => call("POST", "/api/media/bulk", { token, json: request }),
        listReferences: (id, token) => call("GET", `/api/media/${encodeURIComponent(id)}/references`, { token }),
        putReference: (id, reference, token) => call("PUT", `/api/media/${encodeURIComponent(id)}/references`, { token, json: reference }),
        removeReference: (id, key, token) => call("DELETE", `/api/media/${encodeURIComponent(id)}/references${queryString({ key })}`, { token }),
        getReferrer: (key, token) => call("GET", `/api/references${queryString({ key })}`, { token }),
        syncReferences: (key, mediaIds, token, opts = {}) => call("PUT", "/api/references", { token, json: { key, label: opts.label, url: opts.url, media_ids: mediaIds } }),
    };
}
/** UTF-8 text in Base64, as tus metadata carries it (browsers and Node alike). */
function base64(text) {
    let binary = "";
    for (const byte of new TextEncoder().encode(text))
        binary += String.fromCharCode(byte);
    return btoa(binary);
}
function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(new DOMException("The upload was cancelled.", "AbortError"));
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener("abort", () => { clearTimeout(timer); reject(new DOMException("The upload was cancelled.", "AbortError")); }, { once: true });
    });
}
/** "?a=1&tag=x&tag=y" from an object: arrays repeat their key; undefined and null are left out. */
function queryString(query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
        if (value === undefined || value === null)
            continue;
        for (const one of Array.isArray(value) ? value : [value])
            params.append(key, String(one));
    }
    const qs = params.toString();
    return qs ? `?${qs}` : "";
}
async function parse(status, contentType, text) {
    const raw = status === 204 ? "" : await text();
    const isJson = /json/i.test(contentType ?? "");
    if (status >= 200 && status < 300)
        return raw && isJson ? JSON.parse(raw) : undefined;
    let problem = null;
    if (raw && isJson) {
        try {
            problem = JSON.parse(raw);
        }
        catch {
            problem = null;
        }
    }
    throw new MediaLibraryError(status, problem);
}
/** Browsers only: XMLHttpRequest is the one API that reports upload progress. */
function viaXhr(method, url, data, token, headers, transfer) {
    return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open(method, url);
        xhr.setRequestHeader("Authorization", `Bearer ${token}`);
        // Nothing else: every header beyond these needs the site's origin to allow it (CORS), and a POST or PUT is never cached.
        xhr.setRequestHeader("Accept", "application/json");
        for (const [name, value] of Object.entries(headers))
            xhr.setRequestHeader(name, value);
        xhr.upload.onprogress = (e) => transfer.onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : data.get("file").size });
        xhr.onload = () => parse(xhr.status, xhr.getResponseHeader("Content-Type"), async () => xhr.responseText).then((m) => resolve(m), reject);
        xhr.onerror = () => reject(new MediaLibraryError(0, { title: "The connection failed." }));
        xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
        if (transfer.signal) {
            if (transfer.signal.aborted)
                return xhr.abort();
            transfer.signal.addEventListener("abort", () => xhr.abort(), { once: true });
        }
        xhr.send(data);
    });
}
/**
 * Checks a webhook the way Standard Webhooks specifies it and returns its event: the HMAC-SHA256 of
 * `{webhook-id}.{webhook-timestamp}.{body}` under the endpoint's secret must match one of the `v1,` signatures, and the
 * timestamp must be within `toleranceSeconds` (default 5 minutes) of now. Pass the body exactly as received (the raw
 * text, not re-serialised JSON). Throws an Error naming what failed. Works in Node 20+ and browsers (Web Crypto).
 *
 *   // A Next.js route handler: app/api/media-webhook/route.ts
 *   export async function POST(request: Request) {
 *     const event = await verifyWebhook(process.env.MEDIALIB_WEBHOOK_SECRET!, await request.text(), request.headers);
 *     revalidateTag(`media-${event.data.media_id}`); // the pages that fetched this media tagged it so
 *     return new Response(null, { status: 204 });
 *   }
 */
export async function verifyWebhook(secret, body, headers, options = {}) {
    const header = (name) => {
        const value = headers instanceof Headers ? headers.get(name) : headers[name] ?? headers[name.toLowerCase()];
        const text = Array.isArray(value) ? value.join(" ") : value;
        if (!text)
            throw new Error(`The webhook has no ${name} header.`);
        return text;
    };
    const id = header("webhook-id"), timestamp = header("webhook-timestamp"), signatures = header("webhook-signature");
    const seconds = Number(timestamp);
    const now = (options.now ?? new Date()).getTime() / 1000;
    if (!Number.isInteger(seconds))
        throw new Error("The webhook-timestamp header is not a number of seconds.");
    if (Math.abs(now - seconds) > (options.toleranceSeconds ?? 300))
        throw new Error("The webhook's timestamp is too old or too new: refused as a possible replay.");
    const raw = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
    const key = await crypto.subtle.importKey("raw", Uint8Array.from(atob(raw), (c) => c.charCodeAt(0)), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestamp}.${body}`)));
    const expected = btoa(String.fromCharCode(...mac));
    const matches = signatures.split(" ").some((s) => {
        const [version, signature] = s.split(",", 2);
        if (version !== "v1" || !signature || signature.length !== expected.length)
            return false;
        let diff = 0; // compared in constant time
        for (let i = 0; i < expected.length; i++)
            diff |= expected.charCodeAt(i) ^ signature.charCodeAt(i);
        return diff === 0;
    });
    if (!matches)
        throw new Error("The webhook's signature does not match: wrong secret, or the body was changed.");
    return JSON.parse(body);
}
/** The same functions bound to the page's own origin, for the built-in page and simple sites. */
const defaultClient = createClient();
export const { login, signOut, completeSingleSignOn, getMedia, listMedia, uploadMedia, uploadResumable, updateMedia, replaceMediaFile, deleteMedia, restoreMedia, listTrash, trashPreview, emptyTrash, getHistory, listHistory, signTransform, listApiKeys, createApiKey, revokeApiKey, listUsers, addUser, changeUser, deleteUser, revokeUserSessions, listWebhooks, createWebhook, updateWebhook, deleteWebhook, rotateWebhookSecret, testWebhook, listWebhookDeliveries, redeliverWebhook, listFolders, getFolder, createFolder, renameFolder, moveFolder, deleteFolder, addTags, removeTags, listTags, bulkMedia, listReferences, putReference, removeReference, getReferrer, syncReferences, } = defaultClient;
