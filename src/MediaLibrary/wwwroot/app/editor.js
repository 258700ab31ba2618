// The editors' page: sign-in, upload, edit, replace, delete and copy, on top of the server-rendered library.
// It uses the same client module as website frontends (served beside it at /client/media.js); after each change it
// swaps in fresh results from the server.
import { login, signOut, uploadMedia, updateMedia, replaceMediaFile, deleteMedia, MediaLibraryError } from "../client/media.js";
/** An element the server-rendered page always has; a missing one is a bug in the page, not a state to handle. */
function $(id) {
    const element = document.getElementById(id);
    if (!element)
        throw new Error(`The page has no #${id}.`);
    return element;
}
const SESSION_KEY = "medialibrary.session";
const EXPIRED = "Your session has expired. Sign in again to make changes.";
const SIGN_IN = "Sign in to make changes.";
const readsNeedToken = document.body.dataset.readsNeedToken === "true";
let expiryTimer = 0;
// ---- session -------------------------------------------------------------------------------------------------
function readSession() {
    try {
        const value = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? "null");
        if (value && typeof value === "object" && "token" in value && "user" in value && "expires" in value)
            return value;
        return null;
    }
    catch {
        return null;
    }
}
function currentSession() {
    const session = readSession();
    if (session && Date.now() >= session.expires) {
        endSession(EXPIRED);
        return null;
    }
    return session;
}
function startSession(session) {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    showSignedIn(session);
}
function endSession(message) {
    sessionStorage.removeItem(SESSION_KEY);
    clearTimeout(expiryTimer);
    document.body.classList.remove("signed-in");
    $("sign-in").hidden = false;
    $("signed-in").hidden = true;
    for (const dialog of document.querySelectorAll("dialog[open]"))
        dialog.close();
    notice(message);
}
function showSignedIn(session) {
    document.body.classList.add("signed-in");
    $("sign-in").hidden = true;
    $("signed-in").hidden = false;
    $("who").textContent = session.user;
    clearTimeout(expiryTimer);
    expiryTimer = window.setTimeout(() => endSession(EXPIRED), Math.max(0, session.expires - Date.now()));
}
class SessionEnded extends Error {
}
/** The token for a change; without a live session the page returns to sign-in and says why. */
function token() {
    const session = currentSession();
    if (!session) {
        if (!$("session-message").textContent)
            notice(SIGN_IN);
        throw new SessionEnded(SIGN_IN);
    }
    return session.token;
}
// ---- messages ------------------------------------------------------------------------------------------------
function notice(message) {
    $("session-message").textContent = message;
    $("session-message").hidden = !message;
}
let statusTimer = 0;
function status(message) {
    $("status").textContent = message;
    clearTimeout(statusTimer);
    statusTimer = window.setTimeout(() => { $("status").textContent = ""; }, 8000);
}
/** Any failure, in words an editor can act on. */
function describe(error) {
    if (error instanceof SessionEnded)
        return $("session-message").textContent || SIGN_IN;
    if (error instanceof DOMException && error.name === "AbortError")
        return "Cancelled.";
    if (error instanceof MediaLibraryError) {
        const problem = error.problem;
        if (error.status === 0)
            return "The server could not be reached. Check the connection and try again.";
        if (problem?.errors)
            return Object.values(problem.errors).flat().join(" ");
        if (problem?.detail && problem?.title)
            return `${problem.title} ${problem.detail}`;
        return problem?.title ?? `The request failed (status ${error.status}).`;
    }
    if (error instanceof Error && error.name === "AbortError")
        return "Cancelled.";
    return `Something went wrong: ${error instanceof Error ? error.message : String(error)}`;
}
/** Runs a change with the session's token; a 401 means the session ended. */
async function withToken(change) {
    try {
        return await change(token());
    }
    catch (error) {
        if (error instanceof MediaLibraryError && error.status === 401)
            endSession(EXPIRED);
        throw error;
    }
}
// ---- results -------------------------------------------------------------------------------------------------
async function refresh() {
    const params = new URLSearchParams(location.search);
    params.set("partial", "results");
    const headers = {};
    const session = currentSession();
    if (session)
        headers.Authorization = `Bearer ${session.token}`;
    const response = await fetch(`/?${params}`, { cache: "no-store", headers });
    if (response.status === 401) {
        if (session)
            endSession(EXPIRED);
        return;
    }
    $("results").innerHTML = await response.text();
}
function navigate(url) {
    history.pushState(null, "", url);
    refresh().catch((error) => status(describe(error)));
}
const filters = $("filters");
filters.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(filters))
        if (typeof value === "string" && value)
            params.set(key, value);
    if (params.get("ordering") === "-created_at")
        params.delete("ordering");
    navigate(params.size ? `/?${params}` : "/");
});
for (const select of filters.querySelectorAll("select"))
    select.addEventListener("change", () => filters.requestSubmit());
window.addEventListener("popstate", () => refresh().catch((error) => status(describe(error))));
/**
 * When reads need a token, an <img> cannot send it: the service sets a cookie carrying this token, scoped to /files
 * (HttpOnly, SameSite=Strict), so the library's thumbnails load. It ends with the token.
 */
async function allowThumbnails(token) {
    await fetch("/api/auth/files-cookie", { method: "POST", headers: { Authorization: `Bearer ${token}` }, cache: "no-store" });
}
// ---- sign in and out -----------------------------------------------------------------------------------------
$("sign-in").addEventListener("submit", async (event) => {
    event.preventDefault();
    const user = $("username").value.trim();
    const password = $("password");
    try {
        const answer = await login(user, password.value);
        password.value = "";
        notice("");
        startSession({ token: answer.access_token, user, expires: Date.now() + (answer.expires_in - 10) * 1000 });
        // The form that had the focus is hidden now: hand the focus on, or a keyboard user is left at the top of the page.
        $("sign-out").focus();
        status(`Signed in as ${user}.`);
        if (readsNeedToken) {
            await allowThumbnails(answer.access_token);
            await refresh();
        }
    }
    catch (error) {
        notice(error instanceof MediaLibraryError && error.status === 401
            ? "The user name or password is wrong."
            : error instanceof MediaLibraryError && error.status === 429
                ? error.problem?.detail ?? "Too many sign-in attempts. Wait a minute and try again."
                : describe(error));
        password.select();
    }
});
$("sign-out").addEventListener("click", () => {
    // The token ends on the service too (anyone who copied it is out), and with it the thumbnails' cookie. When the
    // service cannot be reached the page still forgets the token; it then expires on its own.
    const session = readSession();
    if (session)
        signOut(session.token).catch(() => undefined);
    endSession("");
    status("Signed out.");
    if (readsNeedToken)
        $("results").innerHTML = '<p class="empty">Sign in to see the library.</p>';
});
// ---- uploads: picker, drag and drop, many at once, progress and cancel per file ----------------------------------
function transferRow(label) {
    const item = document.createElement("li");
    item.className = "transfer";
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = label;
    const bar = document.createElement("progress");
    bar.max = 1;
    bar.value = 0;
    bar.setAttribute("aria-label", label);
    const message = document.createElement("span");
    message.className = "message";
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.textContent = "Cancel";
    cancel.setAttribute("aria-label", `Cancel: ${label}`);
    const controller = new AbortController();
    cancel.addEventListener("click", () => controller.abort());
    item.append(name, bar, cancel, message);
    $("uploads").prepend(item);
    return {
        signal: controller.signal,
        progress: ({ loaded, total }) => { bar.max = total || 1; bar.value = loaded; },
        finish(text, ok) {
            cancel.remove();
            item.classList.add(ok ? "done" : "failed");
            message.textContent = text;
            // A refused file was sent whole before the answer came: a full bar beside the refusal would say it arrived.
            if (ok)
                bar.value = bar.max;
            else
                bar.remove();
        },
    };
}
async function transfer(label, send, done) {
    let row;
    try {
        token();
        const started = transferRow(label);
        row = started;
        await withToken((t) => send(t, started));
        started.finish(done, true);
        status(`${label}: ${done}`);
        await refresh();
    }
    catch (error) {
        row?.finish(describe(error), false);
        status(`${label}: ${describe(error)}`);
    }
}
function uploadFiles(files) {
    for (const file of files) {
        void transfer(`Upload ${file.name}`, (t, row) => uploadMedia(file, {}, t, { onProgress: row.progress, signal: row.signal }), "Uploaded.");
    }
}
const fileInput = $("file-input");
fileInput.addEventListener("change", () => {
    uploadFiles([...(fileInput.files ?? [])]);
    fileInput.value = "";
});
const zone = $("drop-zone");
zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
zone.addEventListener("dragleave", () => zone.classList.remove("over"));
zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    uploadFiles([...(event.dataTransfer?.files ?? [])]);
});
// ---- card actions: edit, replace, copy, delete ---------------------------------------------------------------------
let current = null;
const actions = {
    edit: openEdit,
    replace: chooseReplacement,
    copy: copyUrl,
    delete: openDelete,
};
$("results").addEventListener("click", (event) => {
    if (!(event.target instanceof Element))
        return;
    const link = event.target.closest("a[rel=prev], a[rel=next]");
    if (link) {
        event.preventDefault();
        navigate(link.getAttribute("href") ?? "/");
        return;
    }
    const button = event.target.closest("button[data-action]");
    const card = button?.closest(".card");
    const action = button && actions[button.dataset.action ?? ""];
    if (!button || !card || !action)
        return;
    const { id, title, alt, url } = card.dataset;
    current = { id: Number(id), title: title ?? "", alt: alt ?? "", url: url ?? "", button };
    void action(current);
});
function openEdit(card) {
    $("edit-title").value = card.title;
    $("edit-alt").value = card.alt;
    $("edit-error").textContent = "";
    $("edit-heading").textContent = `Edit “${card.title}”`;
    $("edit-dialog").showModal();
}
$("edit-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!current)
        return;
    const { id } = current;
    const title = $("edit-title").value;
    try {
        await withToken((t) => updateMedia(id, { title, alt_text: $("edit-alt").value }, t));
        $("edit-dialog").close();
        status(`Saved “${title}”.`);
        await refresh();
    }
    catch (error) {
        $("edit-error").textContent = describe(error);
    }
});
$("edit-cancel").addEventListener("click", () => $("edit-dialog").close());
function chooseReplacement() {
    try {
        token();
        $("replace-input").click();
    }
    catch (error) {
        status(describe(error));
    }
}
const replaceInput = $("replace-input");
replaceInput.addEventListener("change", () => {
    const file = replaceInput.files?.[0];
    replaceInput.value = "";
    if (!file || !current)
        return;
    const { id, title } = current;
    void transfer(`Replace “${title}” with ${file.name}`, (t, row) => replaceMediaFile(id, file, t, { onProgress: row.progress, signal: row.signal }), "Replaced.");
});
async function copyUrl(card) {
    try {
        await navigator.clipboard.writeText(card.url);
    }
    catch {
        // Without the clipboard API (a page served over plain HTTP on another host): the older way.
        const field = document.createElement("input");
        field.value = card.url;
        document.body.append(field);
        field.select();
        document.execCommand("copy");
        field.remove();
    }
    status(`Copied the URL of “${card.title}”: ${card.url}`);
}
function openDelete(card) {
    $("delete-heading").textContent = `Delete “${card.title}”?`;
    $("delete-text").textContent = "The file is removed from storage with all its sizes. This cannot be undone.";
    $("delete-error").textContent = "";
    $("delete-dialog").showModal();
}
$("delete-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!current)
        return;
    const { id, title } = current;
    try {
        await withToken((t) => deleteMedia(id, t));
        $("delete-dialog").close();
        document.querySelector(`.card[data-id="${id}"]`)?.remove();
        status(`Deleted “${title}”.`);
        await refresh();
    }
    catch (error) {
        if (error instanceof MediaLibraryError && error.status === 404) {
            $("delete-dialog").close();
            status(`“${title}” was already deleted.`);
            await refresh();
            return;
        }
        $("delete-error").textContent = describe(error);
    }
});
$("delete-cancel").addEventListener("click", () => $("delete-dialog").close());
for (const dialog of document.querySelectorAll("dialog")) {
    dialog.addEventListener("close", () => {
        if (current?.button.isConnected)
            current.button.focus();
    });
}
// ---- start -----------------------------------------------------------------------------------------------------
const session = currentSession();
if (session) {
    showSignedIn(session);
    if (readsNeedToken)
        allowThumbnails(session.token).then(refresh).catch((error) => status(describe(error)));
}
else {
    $("sign-in").hidden = false;
}
