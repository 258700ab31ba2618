// The editors' page: sign-in, upload, edit, replace, delete and copy, folders, tags, selection and bulk actions, on
// top of the server-rendered library. It uses the same client module as website frontends (served beside it at
// /client/media.js); after each change it swaps in fresh results from the server.
import {
  login, signOut, completeSingleSignOn, uploadMedia, uploadResumable, updateMedia, replaceMediaFile, deleteMedia, getMedia, getFolder, createFolder, renameFolder, listReferences,
  addTags, removeTags, listTags, bulkMedia, restoreMedia, listTrash, trashPreview, emptyTrash, getHistory, MediaLibraryError,
  listWebhooks, createWebhook, updateWebhook, deleteWebhook, rotateWebhookSecret, testWebhook, listWebhookDeliveries, redeliverWebhook, listApiKeys, createApiKey, revokeApiKey,
  listUsers, addUser, changeUser, deleteUser, revokeUserSessions,
} from "../client/media.js";
import type {
  Token, TransferOptions, BulkRequest, BulkResult, Media, HistoryEntry, Webhook, WebhookDelivery, WebhookEventType, ApiKey, ApiKeyScope, User,
} from "../client/media.js";

/** An element the server-rendered page always has; a missing one is a bug in the page, not a state to handle. */
function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}.`);
  return element as T;
}

interface Session {
  token: string;
  user: string;
  /** When the token expires, in milliseconds since the epoch (ten seconds early). */
  expires: number;
}

/** The card an action was started from. */
interface Current {
  id: number;
  title: string;
  alt: string;
  url: string;
  /** The version of the media this page showed: a save is refused (412) if someone changed it since. */
  etag: string;
  button: HTMLButtonElement;
}

interface TransferRow {
  signal: AbortSignal;
  progress: NonNullable<TransferOptions["onProgress"]>;
  finish(text: string, ok: boolean): void;
}

const SESSION_KEY = "medialibrary.session";
const EXPIRED = "Your session has expired. Sign in again to make changes.";
const SIGN_IN = "Sign in to make changes.";
const readsNeedToken = document.body.dataset.readsNeedToken === "true";
/** How many days deleted media stay restorable (MEDIALIB_TRASH_DAYS); 0: a delete deletes for good. */
const trashDays = Number(document.body.dataset.trashDays ?? "0");
let expiryTimer = 0;

// ---- session -------------------------------------------------------------------------------------------------
function readSession(): Session | null {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? "null");
    if (value && typeof value === "object" && "token" in value && "user" in value && "expires" in value) return value as Session;
    return null;
  } catch {
    return null;
  }
}

function currentSession(): Session | null {
  const session = readSession();
  if (session && Date.now() >= session.expires) {
    endSession(EXPIRED);
    return null;
  }
  return session;
}

function startSession(session: Session): void {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  showSignedIn(session);
}

function endSession(message: string): void {
  sessionStorage.removeItem(SESSION_KEY);
  clearTimeout(expiryTimer);
  document.body.classList.remove("signed-in");
  $("sign-in").hidden = false;
  $("signed-in").hidden = true;
  for (const dialog of document.querySelectorAll<HTMLDialogElement>("dialog[open]")) dialog.close();
  notice(message);
}

function showSignedIn(session: Session): void {
  document.body.classList.add("signed-in");
  $("sign-in").hidden = true;
  $("signed-in").hidden = false;
  $("who").textContent = session.user;
  $("webhooks-open").hidden = roleOf(session.token) !== "admin";
  $("keys-open").hidden = roleOf(session.token) !== "admin";
  $("users-open").hidden = roleOf(session.token) !== "admin";
  clearTimeout(expiryTimer);
  expiryTimer = window.setTimeout(() => endSession(EXPIRED), Math.max(0, session.expires - Date.now()));
}

/** The role claim of a sign-in token (a JWT), to offer admins their tools; the service checks it on every call anyway. */
function roleOf(token: string): string | null {
  return claimOf(token, "role");
}

/** A text claim of a sign-in token (a JWT): "role", or "name" (the user name). */
function claimOf(token: string, name: string): string | null {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims: unknown = JSON.parse(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), "=")));
    if (!claims || typeof claims !== "object" || !(name in claims)) return null;
    const value: unknown = (claims as Record<string, unknown>)[name];
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}

class SessionEnded extends Error {}

/** The token for a change; without a live session the page returns to sign-in and says why. */
function token(): string {
  const session = currentSession();
  if (!session) {
    if (!$("session-message").textContent) notice(SIGN_IN);
    throw new SessionEnded(SIGN_IN);
  }
  return session.token;
}

// ---- messages ------------------------------------------------------------------------------------------------
function notice(message: string): void {
  $("session-message").textContent = message;
  $("session-message").hidden = !message;
}

let statusTimer = 0;
function status(message: string): void {
  $("status").textContent = message;
  clearTimeout(statusTimer);
  statusTimer = window.setTimeout(() => { $("status").textContent = ""; }, 8000);
}

/** Any failure, in words an editor can act on. */
function describe(error: unknown): string {
  if (error instanceof SessionEnded) return $("session-message").textContent || SIGN_IN;
  if (error instanceof DOMException && error.name === "AbortError") return "Cancelled.";
  if (error instanceof MediaLibraryError) {
    const problem = error.problem;
    if (error.status === 0) return "The server could not be reached. Check the connection and try again.";
    if (problem?.errors) return Object.values(problem.errors).flat().join(" ");
    if (problem?.detail && problem?.title) return `${problem.title} ${problem.detail}`;
    return problem?.title ?? `The request failed (status ${error.status}).`;
  }
  if (error instanceof Error && error.name === "AbortError") return "Cancelled.";
  return `Something went wrong: ${error instanceof Error ? error.message : String(error)}`;
}

/** Runs a change with the session's token; a 401 means the session ended. */
async function withToken<T>(change: (token: string) => Promise<T>): Promise<T> {
  try {
    return await change(token());
  } catch (error) {
    if (error instanceof MediaLibraryError && error.status === 401) endSession(EXPIRED);
    throw error;
  }
}

// ---- results -------------------------------------------------------------------------------------------------
/** How many refreshes were started: only the latest one's answer is shown. */
let refreshes = 0;

async function refresh(): Promise<void> {
  const mine = ++refreshes;
  const params = new URLSearchParams(location.search);
  params.set("partial", "results");
  const headers: Record<string, string> = {};
  const session = currentSession();
  if (session) headers.Authorization = `Bearer ${session.token}`;
  const response = await fetch(`/?${params}`, { cache: "no-store", headers });
  if (response.status === 401) {
    if (session) endSession(EXPIRED);
    return;
  }
  const html = await response.text();
  // Two uploads that finish close together each refresh; the answers can arrive in either order, and an older one
  // (asked before the other upload committed) must not replace a newer one.
  if (mine !== refreshes) return;
  // Fresh results replace the cards; the keyboard stays on the card it was on (a refresh that lands while someone
  // selects with the keyboard must not drop their focus to the page).
  const focused = document.activeElement instanceof HTMLElement && document.activeElement.matches("#grid .card") ? document.activeElement.dataset.id : undefined;
  $("results").innerHTML = html;
  afterRefresh();
  if (focused !== undefined) {
    const again = document.querySelector<HTMLElement>(`#grid .card[data-id="${focused}"]`);
    if (again) {
      for (const card of cards()) card.tabIndex = card === again ? 0 : -1;
      again.focus();
    }
  }
}

function navigate(url: string): void {
  history.pushState(null, "", url);
  selection.clear(); // a selection belongs to the page it was made on
  refresh().catch((error: unknown) => status(describe(error)));
}

const filters = $<HTMLFormElement>("filters");
filters.addEventListener("submit", (event) => {
  event.preventDefault();
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(filters)) if (typeof value === "string" && value) params.set(key, value);
  if (params.get("ordering") === "-created_at") params.delete("ordering");
  // The folder and tag shown now (the form's hidden copies are from the page's first load): a search stays inside them.
  const here = new URLSearchParams(location.search);
  for (const key of ["folder", "tag"]) {
    params.delete(key);
    const value = here.get(key);
    if (value) params.set(key, value);
  }
  navigate(params.size ? `/?${params}` : "/");
});
for (const select of filters.querySelectorAll("select")) select.addEventListener("change", () => filters.requestSubmit());
window.addEventListener("popstate", () => {
  selection.clear();
  refresh().catch((error: unknown) => status(describe(error)));
});

/**
 * When reads need a token, an <img> cannot send it: the service sets a cookie carrying this token, scoped to /files
 * (HttpOnly, SameSite=Strict), so the library's thumbnails load. It ends with the token.
 */
async function allowThumbnails(token: string): Promise<void> {
  await fetch("/api/auth/files-cookie", { method: "POST", headers: { Authorization: `Bearer ${token}` }, cache: "no-store" });
}

// ---- sign in and out -----------------------------------------------------------------------------------------
$("sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  const user = $<HTMLInputElement>("username").value.trim();
  const password = $<HTMLInputElement>("password");
  try {
    const answer = await login(user, password.value);
    password.value = "";
    await signedIn(answer, user);
  } catch (error) {
    notice(error instanceof MediaLibraryError && error.status === 401
      ? "The user name or password is wrong."
      : error instanceof MediaLibraryError && error.status === 429
        ? error.problem?.detail ?? "Too many sign-in attempts. Wait a minute and try again."
        : describe(error));
    password.select();
  }
});

async function signedIn(answer: Token, user: string): Promise<void> {
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

const SSO_ERRORS: Record<string, string> = {
  "not-allowed": "Your account signed in, but it is not given a role in this library. Ask an admin to add you to a group that has one.",
  denied: "Single sign-on was cancelled.",
  failed: "Single sign-on failed. Try again; if it keeps failing, tell an admin (the service's log says why).",
};

/**
 * Back from single sign-on: the service left the sign-in's token in a short-lived cookie, which this exchanges once.
 * The address loses its ?sso=… either way, so a reload does not try again.
 */
async function finishSingleSignOn(): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  const done = params.get("sso") === "done";
  const failure = params.get("sso-error");
  if (!done && failure === null) return false;
  params.delete("sso");
  params.delete("sso-error");
  history.replaceState(null, "", location.pathname + (params.size > 0 ? `?${params}` : "") + location.hash);
  if (failure !== null) {
    notice(SSO_ERRORS[failure] ?? SSO_ERRORS.failed);
    return false;
  }
  try {
    const answer = await completeSingleSignOn();
    await signedIn(answer, claimOf(answer.access_token, "name") ?? "");
    return true;
  } catch (error) {
    notice(error instanceof MediaLibraryError && error.status === 401 ? error.problem?.detail ?? SSO_ERRORS.failed : describe(error));
    return false;
  }
}

$("sign-out").addEventListener("click", () => {
  // The token ends on the service too (anyone who copied it is out), and with it the thumbnails' cookie. When the
  // service cannot be reached the page still forgets the token; it then expires on its own.
  const session = readSession();
  if (session) signOut(session.token).catch(() => undefined);
  endSession("");
  status("Signed out.");
  if (readsNeedToken) $("results").innerHTML = '<p class="empty">Sign in to see the library.</p>';
});

// ---- uploads: picker, drag and drop, many at once, progress and cancel per file ----------------------------------
function transferRow(label: string): TransferRow {
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
      if (ok) bar.value = bar.max;
      else bar.remove();
    },
  };
}

async function transfer(label: string, send: (token: string, row: TransferRow) => Promise<unknown>, done: string): Promise<void> {
  let row: TransferRow | undefined;
  try {
    token();
    const started = transferRow(label);
    row = started;
    await withToken((t) => send(t, started));
    started.finish(done, true);
    status(`${label}: ${done}`);
    await refresh();
  } catch (error) {
    row?.finish(describe(error), false);
    status(`${label}: ${describe(error)}`);
  }
}

/** Files this large go in pieces (tus): a dropped connection or a proxy's request limit costs a piece, not the file. */
const resumableFrom = 8 * 1024 * 1024;

/**
 * Uploads in pieces that have not finished, by the file they send (name, size, type, last change, folder): choosing
 * the same file again, after a reload or a closed tab, goes on from where the service has it. The service forgets an
 * upload a day after its last piece (by default), and so does this list.
 */
const RESUME_KEY = "medialib.resumable-uploads";
const resumeForMs = 24 * 60 * 60 * 1000;
type Unfinished = Record<string, { url: string; at: number }>;

function unfinished(): Unfinished {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(RESUME_KEY) ?? "{}");
    if (!value || typeof value !== "object") return {};
    const now = Date.now();
    return Object.fromEntries(Object.entries(value as Unfinished).filter(([, u]) => typeof u?.url === "string" && now - u.at < resumeForMs));
  } catch {
    return {};
  }
}

function rememberUnfinished(key: string, url: string | null): void {
  const list = unfinished();
  if (url === null) delete list[key];
  else list[key] = { url, at: Date.now() };
  localStorage.setItem(RESUME_KEY, JSON.stringify(list));
}

function uploadFiles(files: Iterable<File>): void {
  for (const file of files) {
    // Into the folder shown, as the heading says.
    const folder = currentFolder();
    const metadata = folder.id === null ? {} : { folder_id: folder.id };
    const key = [file.name, file.size, file.type, file.lastModified, folder.id ?? ""].join("|");
    void transfer(`Upload ${file.name}`, async (t, row) => {
      const whole = () => uploadMedia(file, metadata, t, { onProgress: row.progress, signal: row.signal });
      if (file.size < resumableFrom) return whole();
      const inPieces = (uploadUrl?: string) => uploadResumable(file, metadata, t, {
        chunkSize: 4 * 1024 * 1024, onProgress: row.progress, signal: row.signal, uploadUrl, onUploadUrl: (url) => rememberUnfinished(key, url),
      });
      const earlier = unfinished()[key]?.url;
      try {
        const media = await inPieces(earlier).catch((error: unknown) =>
          // Expired, or another user's: begin anew.
          earlier && error instanceof MediaLibraryError && (error.status === 404 || error.status === 410) ? inPieces() : Promise.reject(error));
        rememberUnfinished(key, null);
        return media;
      } catch (error) {
        // A storage that takes no uploads in pieces answers 501: then the file goes in one request. An upload the service
        // refused is over; one cut off by the network or a cancel can go on later.
        if (error instanceof MediaLibraryError && error.status >= 400 && error.status < 500) rememberUnfinished(key, null);
        if (error instanceof MediaLibraryError && error.status === 501) return whole();
        throw error;
      }
    }, "Uploaded.");
  }
}

const fileInput = $<HTMLInputElement>("file-input");
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
let current: Current | null = null;

const actions: Record<string, (card: Current) => void | Promise<void>> = {
  details: openDetails,
  edit: openEdit,
  replace: chooseReplacement,
  copy: copyUrl,
  delete: openDelete,
};

$("results").addEventListener("click", (event) => {
  if (!(event.target instanceof Element)) return;
  const link = event.target.closest("a[rel=prev], a[rel=next], a.folder, a.tag");
  if (link) {
    event.preventDefault();
    navigate(link.getAttribute("href") ?? "/");
    return;
  }
  const folderAction = event.target.closest<HTMLButtonElement>("button[data-folder-action]");
  if (folderAction) {
    openFolderDialog(folderAction.dataset.folderAction === "rename" ? folderAction.dataset.name ?? "" : null);
    return;
  }
  if (event.target instanceof HTMLInputElement && event.target.id === "select-all") {
    selectAll(event.target.checked);
    return;
  }
  if (select(event)) return;
  const button = event.target.closest<HTMLButtonElement>("button[data-action]");
  const card = button?.closest<HTMLElement>(".card");
  const action = button && actions[button.dataset.action ?? ""];
  if (!button || !card || !action) return;
  const { id, title, alt, url, etag } = card.dataset;
  current = { id: Number(id), title: title ?? "", alt: alt ?? "", url: url ?? "", etag: etag ?? "", button };
  void action(current);
});

function openEdit(card: Current): void {
  $<HTMLInputElement>("edit-title").value = card.title;
  $<HTMLTextAreaElement>("edit-alt").value = card.alt;
  $("edit-error").textContent = "";
  $("edit-heading").textContent = `Edit “${card.title}”`;
  $<HTMLDialogElement>("edit-dialog").showModal();
}

$("edit-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!current) return;
  const { id, etag } = current;
  const shown = current.title;
  const title = $<HTMLInputElement>("edit-title").value;
  try {
    // Only over the version this page showed: another editor's change in between is not overwritten.
    await withToken((t) => updateMedia(id, { title, alt_text: $<HTMLTextAreaElement>("edit-alt").value }, t, { ifMatch: etag || undefined }));
    $<HTMLDialogElement>("edit-dialog").close();
    status(`Saved “${title}”.`);
    await refresh();
  } catch (error) {
    if (error instanceof MediaLibraryError && error.status === 412) {
      $("edit-error").textContent = `Someone else changed “${shown}” after this page showed it, so nothing was saved. `
        + "Cancel, look at their change, and edit it again (copy your text first if you need it).";
      await refresh();
      return;
    }
    $("edit-error").textContent = describe(error);
  }
});
$("edit-cancel").addEventListener("click", () => $<HTMLDialogElement>("edit-dialog").close());

function chooseReplacement(): void {
  try {
    token();
    $("replace-input").click();
  } catch (error) {
    status(describe(error));
  }
}

const replaceInput = $<HTMLInputElement>("replace-input");
replaceInput.addEventListener("change", () => {
  const file = replaceInput.files?.[0];
  replaceInput.value = "";
  if (!file || !current) return;
  const { id, title } = current;
  void transfer(`Replace “${title}” with ${file.name}`,
    (t, row) => replaceMediaFile(id, file, t, { onProgress: row.progress, signal: row.signal }), "Replaced.");
});

async function copyUrl(card: Current): Promise<void> {
  try {
    await navigator.clipboard.writeText(card.url);
  } catch {
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

function openDelete(card: Current): void {
  bulkDeleting = false;
  forcing = false;
  $("delete-heading").textContent = trashDays > 0 ? `Move “${card.title}” to the trash?` : `Delete “${card.title}”?`;
  $("delete-text").textContent = trashDays > 0
    ? `It leaves the library and its URL stops working at once. It can be restored from the trash for ${trashDays} days; then it is deleted for good.`
    : "The file is removed from storage with all its sizes. This cannot be undone.";
  $("delete-error").textContent = "";
  $("delete-confirm").textContent = trashDays > 0 ? "Move to trash" : "Delete";
  $<HTMLDialogElement>("delete-dialog").showModal();
}

/**
 * A media in use answers 409 with the places that use it: the dialog names them and asks again, and only then deletes
 * it anyway (force), which also removes those references.
 */
function askToForce(problem: Record<string, unknown>, title: string): void {
  const count = Number(problem.reference_count ?? 0);
  const places = (problem.references as { key: string; label: string }[] | undefined) ?? [];
  const named = places.map((r) => (r.label && r.label !== r.key ? `${r.label} (${r.key})` : r.key)).join(", ");
  $("delete-heading").textContent = `“${title}” is in use`;
  $("delete-text").textContent = `Used in ${count} ${count === 1 ? "place" : "places"}: ${named}${count > places.length ? ", …" : ""}. `
    + (trashDays > 0 ? "Those pages will show a missing image until it is restored. Move it to the trash anyway?"
      : "Those pages will show a missing image. Delete it anyway?");
  $("delete-confirm").textContent = trashDays > 0 ? "Move anyway" : "Delete anyway";
  forcing = true;
}

let bulkDeleting = false;
let forcing = false;
$("delete-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (bulkDeleting) {
    $<HTMLDialogElement>("delete-dialog").close();
    await runBulk({ action: "delete", ids: [...selection] }, trashDays > 0 ? "Moved to the trash" : "Deleted");
    return;
  }
  if (!current) return;
  const { id, title } = current;
  try {
    await withToken((t) => deleteMedia(id, t, { force: forcing }));
    $<HTMLDialogElement>("delete-dialog").close();
    document.querySelector(`.card[data-id="${id}"]`)?.remove();
    status(trashDays > 0 ? `Moved “${title}” to the trash.` : `Deleted “${title}”.`);
    await refresh();
  } catch (error) {
    if (error instanceof MediaLibraryError && error.status === 404) {
      $<HTMLDialogElement>("delete-dialog").close();
      status(`“${title}” was already deleted.`);
      await refresh();
      return;
    }
    if (error instanceof MediaLibraryError && error.status === 409 && error.problem?.reference_count !== undefined && !forcing) {
      askToForce(error.problem, title);
      return;
    }
    $("delete-error").textContent = describe(error);
  }
});
$("delete-cancel").addEventListener("click", () => $<HTMLDialogElement>("delete-dialog").close());

for (const dialog of document.querySelectorAll("dialog")) {
  dialog.addEventListener("close", () => {
    if (current?.button.isConnected) current.button.focus();
  });
}

// ---- folders: create, rename, upload into the one shown ------------------------------------------------------------
/** The folder the library shows (null: all media, whose uploads go to the top), as the server rendered it. */
function currentFolder(): { id: number | null; name: string } {
  const library = document.querySelector<HTMLElement>("#results .library");
  const id = library?.dataset.folderId;
  return { id: id ? Number(id) : null, name: library?.dataset.folderName ?? "All media" };
}

let renaming = false;
function openFolderDialog(name: string | null): void {
  renaming = name !== null;
  $("folder-heading").textContent = renaming ? `Rename “${name}”` : `New folder in “${currentFolder().name}”`;
  $<HTMLInputElement>("folder-name").value = name ?? "";
  $("folder-error").textContent = "";
  $<HTMLDialogElement>("folder-dialog").showModal();
}

$("folder-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = $<HTMLInputElement>("folder-name").value;
  const folder = currentFolder();
  try {
    const saved = await withToken((t) => renaming && folder.id !== null ? renameFolder(folder.id, name, t) : createFolder(name, folder.id, t));
    $<HTMLDialogElement>("folder-dialog").close();
    status(renaming ? `Renamed the folder to “${saved.name}”.` : `Created the folder “${saved.name}”.`);
    await refresh();
  } catch (error) {
    $("folder-error").textContent = describe(error);
  }
});
$("folder-cancel").addEventListener("click", () => $<HTMLDialogElement>("folder-dialog").close());

// ---- selection: checkbox, click, shift-click for a range, select all, the keyboard ---------------------------------
const selection = new Set<number>();
let anchor: number | null = null;

function cards(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>("#grid .card")];
}

function setSelected(card: HTMLElement, on: boolean): void {
  const id = Number(card.dataset.id);
  if (on) selection.add(id);
  else selection.delete(id);
  card.setAttribute("aria-selected", String(on));
  const box = card.querySelector<HTMLInputElement>("input.select");
  if (box) box.checked = on;
}

/** Selects from the anchor to this card (shift), or toggles this one. */
function toggle(card: HTMLElement, range: boolean): void {
  const all = cards();
  const at = all.indexOf(card);
  const from = anchor === null ? -1 : all.findIndex((c) => Number(c.dataset.id) === anchor);
  if (range && from >= 0) {
    const [low, high] = from < at ? [from, at] : [at, from];
    for (let i = low; i <= high; i++) setSelected(all[i], true);
  } else {
    setSelected(card, !selection.has(Number(card.dataset.id)));
    anchor = Number(card.dataset.id);
  }
  showSelection();
}

function selectAll(on: boolean): void {
  for (const card of cards()) setSelected(card, on);
  if (!on) anchor = null;
  showSelection();
}

/** A click that selects: on a card's checkbox, or on the card outside its links and buttons. */
function select(event: Event): boolean {
  if (!(event.target instanceof Element) || !document.body.classList.contains("signed-in")) return false;
  const card = event.target.closest<HTMLElement>("#grid .card");
  if (!card || event.target.closest("a, button")) return false;
  const mouse = event as MouseEvent;
  if (event.target instanceof HTMLInputElement) {
    // The checkbox already flipped itself; a shift-click makes it a range instead.
    event.target.checked = !event.target.checked;
  }
  toggle(card, mouse.shiftKey);
  card.focus();
  return true;
}

function showSelection(): void {
  const count = selection.size;
  $("bulk-bar").hidden = count === 0;
  $("bulk-count").textContent = `${count} selected`;
  const all = document.querySelector<HTMLInputElement>("#select-all");
  const onPage = cards().length;
  if (all) {
    all.checked = count > 0 && count === onPage;
    all.indeterminate = count > 0 && count < onPage;
  }
  if (count > 0) fillFolderChoices();
}

/** Re-applies the selection (and the view) to fresh results; media no longer on the page leave it. */
function afterRefresh(): void {
  const shown = new Set(cards().map((c) => Number(c.dataset.id)));
  for (const id of [...selection]) if (!shown.has(id)) selection.delete(id);
  for (const card of cards()) setSelected(card, selection.has(Number(card.dataset.id)));
  showSelection();
  const folder = currentFolder();
  $("upload-target").textContent = folder.id === null ? "" : `into “${folder.name}”`;
}

$("results").addEventListener("keydown", (event) => {
  if (!(event.target instanceof HTMLElement) || !event.target.matches("#grid .card")) return;
  const card = event.target;
  const all = cards();
  const at = all.indexOf(card);
  const columns = Math.max(1, Math.round(card.parentElement!.clientWidth / card.offsetWidth));
  const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns, Home: -at, End: all.length - 1 - at };
  if (event.key in step) {
    event.preventDefault();
    const next = all[Math.min(all.length - 1, Math.max(0, at + step[event.key]))];
    card.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
    if (event.shiftKey && document.body.classList.contains("signed-in")) toggle(next, true);
  } else if (event.key === " " && document.body.classList.contains("signed-in")) {
    event.preventDefault();
    toggle(card, event.shiftKey);
  } else if (event.key.toLowerCase() === "a" && (event.ctrlKey || event.metaKey) && document.body.classList.contains("signed-in")) {
    event.preventDefault();
    selectAll(true);
  } else if (event.key === "Escape" && selection.size > 0) {
    selectAll(false);
  } else if (event.key === "Enter") {
    card.querySelector<HTMLButtonElement>("button[data-action=details]")?.click();
  }
});

// ---- bulk: the bar acts on the selection; cards dragged onto a folder move there ---------------------------------------
function fillFolderChoices(): void {
  const choices = $<HTMLSelectElement>("bulk-folder");
  const kept = choices.value;
  choices.replaceChildren();
  const seen = new Set<string>();
  const add = (id: string, label: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    choices.append(new Option(label, id));
  };
  add("top", "All media (the top)");
  for (const link of document.querySelectorAll<HTMLAnchorElement>("#results a.folder[data-folder-id]")) {
    add(link.dataset.folderId!, link.textContent!.replace(/^↑\s*/, "").trim());
  }
  const here = currentFolder();
  if (here.id !== null) add(String(here.id), here.name);
  if (seen.has(kept)) choices.value = kept;
}

function folderOf(value: string): number | null {
  return value === "top" ? null : Number(value);
}

async function runBulk(request: BulkRequest, done: string): Promise<BulkResult | null> {
  try {
    const result = await withToken((t) => bulkMedia(request, t));
    const failed = result.results.filter((r) => r.status >= 300);
    selection.clear(); // done: what stays selected after an action is a surprise waiting for the next one
    status(failed.length === 0
      ? `${done}: ${result.succeeded} of ${result.selected}.`
      : `${done}: ${result.succeeded} of ${result.selected}; ${failed.length} not: ${failed.slice(0, 3).map((r) => `#${r.id} ${r.detail ?? r.status}`).join("; ")}.`);
    await refresh();
    return result;
  } catch (error) {
    status(describe(error));
    return null;
  }
}

$("bulk-move").addEventListener("click", () => {
  const target = folderOf($<HTMLSelectElement>("bulk-folder").value);
  void runBulk({ action: "move", ids: [...selection], folder_id: target }, "Moved");
});
for (const [button, action] of [["bulk-tag-add", "tag"], ["bulk-tag-remove", "untag"]] as const) {
  $(button).addEventListener("click", () => {
    const tag = $<HTMLInputElement>("bulk-tag").value.trim();
    if (!tag) {
      status("Type a tag first.");
      $("bulk-tag").focus();
      return;
    }
    void runBulk({ action, ids: [...selection], tags: [tag] }, action === "tag" ? `Tagged “${tag}”` : `Removed “${tag}”`);
  });
}
$("bulk-delete").addEventListener("click", () => {
  bulkDeleting = true;
  $("delete-heading").textContent = trashDays > 0 ? `Move ${selection.size} media to the trash?` : `Delete ${selection.size} media?`;
  $("delete-text").textContent = trashDays > 0
    ? `They leave the library and their URLs stop working at once. They can be restored from the trash for ${trashDays} days.`
    : "Their files are removed from storage with all their sizes. This cannot be undone.";
  $("delete-confirm").textContent = trashDays > 0 ? "Move to trash" : "Delete";
  $("delete-error").textContent = "";
  $<HTMLDialogElement>("delete-dialog").showModal();
});
$("bulk-clear").addEventListener("click", () => selectAll(false));

const DRAGGED = "application/x-medialibrary-ids";
$("results").addEventListener("dragstart", (event) => {
  const card = event.target instanceof Element ? event.target.closest<HTMLElement>(".card") : null;
  if (!card || !event.dataTransfer) return;
  const id = Number(card.dataset.id);
  const ids = selection.has(id) ? [...selection] : [id];
  event.dataTransfer.setData(DRAGGED, JSON.stringify(ids));
  event.dataTransfer.effectAllowed = "move";
});
$("results").addEventListener("dragover", (event) => {
  const folder = event.target instanceof Element ? event.target.closest("a.folder") : null;
  if (!folder || !event.dataTransfer?.types.includes(DRAGGED)) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = "move";
  folder.classList.add("drop-over");
});
$("results").addEventListener("dragleave", (event) => {
  if (event.target instanceof Element) event.target.closest("a.folder")?.classList.remove("drop-over");
});
$("results").addEventListener("drop", (event) => {
  const folder = event.target instanceof Element ? event.target.closest<HTMLAnchorElement>("a.folder") : null;
  const raw = event.dataTransfer?.getData(DRAGGED);
  if (!folder || !raw) return;
  event.preventDefault();
  folder.classList.remove("drop-over");
  const ids = JSON.parse(raw) as number[];
  void runBulk({ action: "move", ids, folder_id: folderOf(folder.dataset.folderId ?? "top") }, `Moved to “${folder.textContent?.replace(/^↑\s*/, "").trim()}”`);
});

// ---- the detail pane: every field, and the tags as chips with autocomplete ---------------------------------------------
let shown: Media | null = null;

async function openDetails(card: Current): Promise<void> {
  try {
    const media = await getMedia(card.id, currentSession()?.token);
    shown = media;
    const folder = media.folder_id === null ? "All media (the top)" : (await getFolder(media.folder_id, currentSession()?.token)).name;
    const fields: [string, string | HTMLElement][] = [
      ["Title", media.title], ["Alt text", media.alt_text || "(none)"], ["File name", media.file_name], ["Type", media.content_type],
      ["Size", `${media.size.toLocaleString()} bytes`], ["Dimensions", media.width && media.height ? `${media.width} × ${media.height}` : "—"],
      ["Version", String(media.version)], ["URL", link(media.url)], ["Folder", folder], ["Created", new Date(media.created_at).toLocaleString()],
      ["Updated", new Date(media.updated_at).toLocaleString()], ["ID", String(media.id)], ["SHA-256", media.sha256],
    ];
    $("detail-fields").replaceChildren(...fields.flatMap(([name, value]) => {
      const dt = document.createElement("dt");
      dt.textContent = name;
      const dd = document.createElement("dd");
      dd.append(value);
      return [dt, dd];
    }));
    $("detail-heading").textContent = `Details of “${media.title}”`;
    await showReferences(media);
    showTags(media);
    await showHistory(media);
    $("tag-error").textContent = "";
    $("detail").hidden = false;
    $("detail-close").focus();
  } catch (error) {
    status(describe(error));
  }
}

/** Where the media is used: each place's label, linked when it has a URL, with its key. */
async function showReferences(media: Media): Promise<void> {
  const list = media.reference_count > 0 ? (await listReferences(media.id, currentSession()?.token)).results : [];
  $("detail-used").textContent = list.length === 0 ? "Nowhere that a website has registered."
    : `${list.length} ${list.length === 1 ? "place" : "places"}; deleting it asks first.`;
  $("detail-references").replaceChildren(...list.map((r) => {
    const item = document.createElement("li");
    item.append(r.url ? link(r.url, r.label) : r.label);
    if (r.label !== r.key) {
      const key = document.createElement("span");
      key.className = "key";
      key.textContent = r.key;
      item.append(key);
    }
    return item;
  }));
}

const ACTIONS: Record<string, string> = {
  created: "Uploaded", edited: "Edited", replaced: "File replaced", trashed: "Moved to the trash", restored: "Restored",
  purged: "Purged from the trash", deleted: "Deleted", referenced: "Used in", unreferenced: "No longer used in",
};

/** One line of what an entry changed: "title: “Old” → “New”", "version 1 → 2", the reference key. */
function changed(entry: HistoryEntry): string {
  const details = entry.details ?? {};
  const parts: string[] = [];
  for (const [field, value] of Object.entries(details)) {
    if (value && typeof value === "object" && !Array.isArray(value) && "before" in value && "after" in value) {
      const { before, after } = value as { before: unknown; after: unknown };
      parts.push(`${field.replace("_", " ")}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    } else if (field === "key") {
      parts.push(String(value));
    } else if (field === "tags_added" || field === "tags_removed") {
      parts.push(`${field === "tags_added" ? "tags added" : "tags removed"}: ${(value as string[]).join(", ")}`);
    }
  }
  return parts.join("; ");
}

/** The media's last changes, newest first (editors only: the service refuses others, and the list then stays empty). */
async function showHistory(media: Media): Promise<void> {
  const session = currentSession();
  $("detail-history").replaceChildren();
  if (!session) return;
  try {
    const page = await getHistory(media.id, session.token, { page_size: 20 });
    $("detail-history").replaceChildren(...page.results.map((entry) => {
      const item = document.createElement("li");
      const what = document.createElement("strong");
      what.textContent = ACTIONS[entry.action] ?? entry.action;
      const who = document.createElement("span");
      who.className = "meta";
      who.textContent = ` by ${entry.actor}, ${new Date(entry.at).toLocaleString()}`;
      item.append(what, who);
      const text = changed(entry);
      if (text) {
        const detail = document.createElement("div");
        detail.className = "change";
        detail.textContent = text;
        item.append(detail);
      }
      return item;
    }));
  } catch (error) {
    if (!(error instanceof MediaLibraryError && error.status === 403)) status(describe(error));
  }
}

function link(url: string, text = url): HTMLAnchorElement {
  const a = document.createElement("a");
  a.href = url;
  a.textContent = text;
  return a;
}

function showTags(media: Media): void {
  $("detail-tags").replaceChildren(...media.tags.map((tag) => {
    const chip = document.createElement("li");
    chip.className = "tag";
    chip.append(tag);
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "editor-only";
    remove.textContent = "×";
    remove.setAttribute("aria-label", `Remove the tag ${tag}`);
    remove.addEventListener("click", () => void changeTags((t) => removeTags(media.id, [tag], t), `Removed the tag “${tag}”.`));
    chip.append(remove);
    return chip;
  }));
}

async function changeTags(change: (token: string) => Promise<Media>, done: string): Promise<void> {
  try {
    shown = await withToken(change);
    showTags(shown);
    $("tag-error").textContent = "";
    status(done);
    await refresh();
  } catch (error) {
    $("tag-error").textContent = describe(error);
  }
}

$("tag-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>("tag-input");
  const tag = input.value.trim();
  if (!shown || !tag) return;
  const id = shown.id;
  input.value = "";
  void changeTags((t) => addTags(id, [tag], t), `Added the tag “${tag}”.`);
});

// Autocomplete: the tags in use that start with what is typed, most used first, for both tag fields. One request once
// typing pauses, not one per keystroke (they would queue behind the thumbnails on the browser's few connections).
let suggestTimer = 0;
let suggesting = 0;
for (const field of ["tag-input", "bulk-tag"]) {
  $(field).addEventListener("input", (event) => {
    const prefix = (event.target as HTMLInputElement).value.trim();
    clearTimeout(suggestTimer);
    const ask = ++suggesting;
    if (!prefix) return;
    suggestTimer = window.setTimeout(async () => {
      try {
        const found = await listTags({ prefix, limit: 10 }, currentSession()?.token);
        if (ask !== suggesting) return; // typed on since
        $("tag-options").replaceChildren(...found.results.map((t) => new Option(`${t.count} media`, t.name)));
      } catch {
        // Suggestions are a convenience; typing still works without them.
      }
    }, 150);
  });
}

function closeDetails(): void {
  $("detail").hidden = true;
  shown = null;
  if (current?.button.isConnected) current.button.focus();
}
$("detail-close").addEventListener("click", closeDetails);
$("detail").addEventListener("keydown", (event) => {
  if (event.key === "Escape") closeDetails();
});

// ---- grid or list ------------------------------------------------------------------------------------------------
const VIEW_KEY = "medialibrary.view";
function setView(list: boolean): void {
  $("results").classList.toggle("list-view", list);
  $("view-grid").setAttribute("aria-pressed", String(!list));
  $("view-list").setAttribute("aria-pressed", String(list));
  localStorage.setItem(VIEW_KEY, list ? "list" : "grid");
}
$("view-grid").addEventListener("click", () => setView(false));
$("view-list").addEventListener("click", () => setView(true));
setView(localStorage.getItem(VIEW_KEY) === "list");

// ---- start -----------------------------------------------------------------------------------------------------
afterRefresh();
const session = currentSession();
if (session) {
  showSignedIn(session);
  if (readsNeedToken) allowThumbnails(session.token).then(refresh).catch((error: unknown) => status(describe(error)));
} else {
  $("sign-in").hidden = false;
}
void finishSingleSignOn();

// ---- trash ---------------------------------------------------------------------------------------------------
// What was deleted, most recently first: restore it (same URL), delete it for good, or empty the whole trash (admins).
// A button that deletes for good asks once more on itself before it does.
let trashCursor: string | null = null;

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "";
}

function trashItem(media: Media): HTMLLIElement {
  const item = document.createElement("li");
  item.className = "trash-item";
  item.dataset.id = String(media.id);
  item.dataset.title = media.title;
  const preview = document.createElement("img");
  preview.className = "preview";
  preview.alt = "";
  if (media.placeholder) preview.src = media.placeholder; // its file URL answers 404 while it is in the trash
  if (media.dominant_color) preview.style.backgroundColor = media.dominant_color;
  // Then its real preview, fetched with the token (an <img> cannot send it); the placeholder stays if there is none.
  if (media.content_type.startsWith("image/")) {
    withToken((t) => trashPreview(media.id, t)).then((blob) => {
      const url = URL.createObjectURL(blob);
      preview.addEventListener("load", () => URL.revokeObjectURL(url), { once: true });
      preview.src = url;
    }, () => undefined);
  }
  const text = document.createElement("div");
  const heading = document.createElement("h3");
  heading.textContent = media.title;
  const meta = document.createElement("p");
  meta.className = "meta";
  meta.textContent = `${media.content_type} · deleted ${when(media.trashed_at)} · deleted for good ${when(media.purge_at)}`;
  text.append(heading, meta);
  const actions = document.createElement("div");
  actions.className = "actions";
  for (const [action, label] of [["restore", "Restore"], ["purge", "Delete permanently"]]) {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.trashAction = action;
    button.textContent = label;
    button.setAttribute("aria-label", `${label} ${media.title}`);
    if (action === "purge") button.className = "danger";
    actions.append(button);
  }
  item.append(preview, text, actions);
  return item;
}

async function loadTrash(more: boolean): Promise<void> {
  $("trash-error").textContent = "";
  try {
    const page = await withToken((t) => listTrash({ cursor: more ? trashCursor ?? undefined : undefined, page_size: 50 }, t));
    if (!more) $("trash-list").replaceChildren();
    $("trash-list").append(...page.results.map(trashItem));
    $("trash-count").textContent = page.count === 0 ? "The trash is empty."
      : `${page.count} ${page.count === 1 ? "item" : "items"} in the trash, each deleted for good ${trashDays} days after it was deleted.`;
    trashCursor = page.next ? new URL(page.next).searchParams.get("cursor") : null;
    $("trash-more").hidden = trashCursor === null;
    $("trash-empty").hidden = page.count === 0;
    resetConfirm($("trash-empty") as HTMLButtonElement, "Empty trash");
  } catch (error) {
    $("trash-error").textContent = describe(error);
  }
}

/** The first click arms the button ("… for good?"); the second does it. */
function armed(button: HTMLButtonElement, question: string): boolean {
  if (button.dataset.armed === "true") return true;
  button.dataset.armed = "true";
  button.textContent = question;
  return false;
}

function resetConfirm(button: HTMLButtonElement, label: string): void {
  delete button.dataset.armed;
  button.textContent = label;
}

// Only with a trash (MEDIALIB_TRASH_DAYS above 0) does the page have the button.
document.getElementById("trash-open")?.addEventListener("click", async () => {
  $<HTMLDialogElement>("trash-dialog").showModal();
  await loadTrash(false);
});
$("trash-close").addEventListener("click", () => $<HTMLDialogElement>("trash-dialog").close());
$("trash-more").addEventListener("click", () => loadTrash(true));
$("trash-list").addEventListener("click", async (event) => {
  const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>("button[data-trash-action]") : null;
  const item = button?.closest<HTMLElement>(".trash-item");
  if (!button || !item) return;
  const id = Number(item.dataset.id);
  const title = item.dataset.title ?? "";
  try {
    if (button.dataset.trashAction === "restore") {
      await withToken((t) => restoreMedia(id, t));
      status(`Restored “${title}”.`);
    } else {
      if (!armed(button, "Delete for good?")) return;
      await withToken((t) => deleteMedia(id, t, { permanent: true }));
      status(`Deleted “${title}” for good.`);
    }
  } catch (error) {
    // Restored, purged or emptied meanwhile: the list as it is now says so.
    if (!(error instanceof MediaLibraryError && (error.status === 404 || error.status === 409))) {
      $("trash-error").textContent = describe(error);
      return;
    }
  }
  await loadTrash(false);
  await refresh();
});
$("trash-empty").addEventListener("click", async () => {
  const button = $<HTMLButtonElement>("trash-empty");
  if (!armed(button, "Delete everything in the trash for good?")) return;
  try {
    const { purged, remaining } = await withToken((t) => emptyTrash(t));
    status(remaining > 0 ? `Emptied the trash: ${purged} deleted for good, ${remaining} more within minutes.` : `Emptied the trash: ${purged} deleted for good.`);
    await loadTrash(false);
  } catch (error) {
    resetConfirm(button, "Empty trash");
    $("trash-error").textContent = error instanceof MediaLibraryError && error.status === 403
      ? "Only administrators can empty the trash; delete items one by one instead." : describe(error);
  }
});

// ---- webhooks (admins) ---------------------------------------------------------------------------------------------
// The endpoints that get every change, with their deliveries: add one (its secret is shown once), disable or delete it,
// and send a delivery again.
let deliveriesOf: number | null = null;

/** A row of an admin's list: a title, a line of facts, its controls, and buttons each labelled with what it acts on. */
function adminItem(className: string, title: string, facts: string, buttons: [action: string, label: string][],
  controls: HTMLElement[] = []): HTMLLIElement {
  const item = document.createElement("li");
  item.className = className;
  const text = document.createElement("div");
  const heading = document.createElement("h4");
  heading.textContent = title;
  const meta = document.createElement("p");
  meta.className = "meta";
  meta.textContent = facts;
  text.append(heading, meta);
  const actions = document.createElement("div");
  actions.className = "actions";
  actions.append(...controls);
  for (const [action, label] of buttons) {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.action = action;
    button.textContent = label;
    button.setAttribute("aria-label", `${label} ${title}`);
    if (action === "delete" || action === "revoke") button.className = "danger";
    actions.append(button);
  }
  item.append(text, actions);
  return item;
}

function webhookItem(hook: Webhook): HTMLLIElement {
  const item = adminItem("webhook-item", hook.url,
    [hook.active ? "active" : "disabled", hook.events.join(", "), hook.description || null,
      hook.previous_secret_until ? `the old secret also signs until ${when(hook.previous_secret_until)}` : null].filter(Boolean).join(" · "),
    [["deliveries", "Deliveries"], ["test", "Send test"], ["secret", "New secret"], ["toggle", hook.active ? "Disable" : "Enable"], ["delete", "Delete"]]);
  item.dataset.id = String(hook.id);
  return item;
}

function deliveryItem(delivery: WebhookDelivery): HTMLLIElement {
  const item = document.createElement("li");
  item.className = `delivery-item ${delivery.status}`;
  item.dataset.id = String(delivery.id);
  const text = document.createElement("p");
  const last = delivery.last_error ?? (delivery.last_status_code ? `last answer ${delivery.last_status_code}` : "not sent yet");
  text.textContent = `${delivery.event_type} · media ${delivery.media_id ?? "—"} · ${delivery.status} · ${delivery.attempts} `
    + `${delivery.attempts === 1 ? "attempt" : "attempts"} · ${last} · ${when(delivery.created_at)}`;
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.deliveryId = String(delivery.id);
  button.textContent = "Send again";
  button.setAttribute("aria-label", `Send ${delivery.event_type} of media ${delivery.media_id ?? ""} again`);
  item.append(text, button);
  return item;
}

async function loadWebhooks(): Promise<void> {
  $("webhooks-error").textContent = "";
  try {
    const hooks = await withToken((t) => listWebhooks(t));
    $("webhook-list").replaceChildren(...hooks.map(webhookItem));
    if (deliveriesOf !== null && hooks.some((h) => h.id === deliveriesOf)) await loadDeliveries(deliveriesOf);
    else $("webhook-deliveries").hidden = true;
  } catch (error) {
    $("webhooks-error").textContent = describe(error);
  }
}

async function loadDeliveries(id: number): Promise<void> {
  deliveriesOf = id;
  const page = await withToken((t) => listWebhookDeliveries(id, { limit: 50 }, t));
  $("delivery-list").replaceChildren(...page.results.map(deliveryItem));
  $("deliveries-heading").textContent = page.results.length === 0 ? "Deliveries: none yet" : "Deliveries, newest first";
  $("webhook-deliveries").hidden = false;
}

$("webhooks-open").addEventListener("click", async () => {
  $<HTMLDialogElement>("webhooks-dialog").showModal();
  $("webhook-secret").hidden = true;
  await loadWebhooks();
});
$("webhooks-close").addEventListener("click", () => {
  $<HTMLInputElement>("webhook-secret-value").value = ""; // the secret does not stay in the page
  $<HTMLDialogElement>("webhooks-dialog").close();
});
$("webhook-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target as HTMLFormElement;
  const events = [...form.querySelectorAll<HTMLInputElement>("input[name=events]:checked")].map((box) => box.value as WebhookEventType | "*");
  $("webhooks-error").textContent = "";
  try {
    const created = await withToken((t) => createWebhook({
      url: $<HTMLInputElement>("webhook-url").value.trim(), events: events.includes("*") ? ["*"] : events,
      description: $<HTMLInputElement>("webhook-description").value.trim() || undefined,
    }, t));
    $<HTMLInputElement>("webhook-secret-value").value = created.secret;
    $("webhook-secret").hidden = false;
    form.reset();
    await loadWebhooks();
    status(`Added the webhook for ${created.url}.`);
  } catch (error) {
    $("webhooks-error").textContent = describe(error);
  }
});
$("webhook-list").addEventListener("click", async (event) => {
  const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>("button[data-action]") : null;
  const item = button?.closest<HTMLElement>(".webhook-item");
  if (!button || !item) return;
  const id = Number(item.dataset.id);
  $("webhooks-error").textContent = "";
  try {
    if (button.dataset.action === "deliveries") {
      await loadDeliveries(id);
      return;
    }
    if (button.dataset.action === "test") {
      await withToken((t) => testWebhook(id, t));
      status("Test event queued: it leaves within a second; its delivery is listed below.");
      await loadDeliveries(id);
      return;
    }
    if (button.dataset.action === "secret") {
      if (!armed(button, "Sign with a new secret? The old one works 24 hours more")) return;
      const rotated = await withToken((t) => rotateWebhookSecret(id, t));
      $<HTMLInputElement>("webhook-secret-value").value = rotated.secret;
      $("webhook-secret").hidden = false;
      status(`New secret for ${rotated.url}: put it in the website's settings; the old one also signs until ${when(rotated.previous_secret_until)}.`);
    } else if (button.dataset.action === "toggle") {
      await withToken((t) => updateWebhook(id, { active: button.textContent === "Enable" }, t));
    } else {
      if (!armed(button, "Delete it and its deliveries?")) return;
      await withToken((t) => deleteWebhook(id, t));
    }
    await loadWebhooks();
  } catch (error) {
    $("webhooks-error").textContent = describe(error);
  }
});
$("delivery-list").addEventListener("click", async (event) => {
  const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>("button[data-delivery-id]") : null;
  if (!button || deliveriesOf === null) return;
  const endpoint = deliveriesOf;
  try {
    await withToken((t) => redeliverWebhook(endpoint, Number(button.dataset.deliveryId), t));
    status("Sent again: it leaves within a second.");
    await loadDeliveries(endpoint);
  } catch (error) {
    $("webhooks-error").textContent = describe(error);
  }
});

// ---- API keys (admins) ---------------------------------------------------------------------------------------------
// Keys for websites' backends: create one (shown once), see when each was last used, revoke it.
function keyItem(key: ApiKey): HTMLLIElement {
  const state = key.revoked_at ? `revoked ${when(key.revoked_at)}`
    : key.expires_at && Date.parse(key.expires_at) <= Date.now() ? `expired ${when(key.expires_at)}`
    : key.expires_at ? `expires ${when(key.expires_at)}` : "never expires";
  const item = adminItem("webhook-item key-item", key.name,
    `${key.prefix}… · ${key.scopes.join(", ")} · ${state} · ${key.last_used_at ? `last used ${when(key.last_used_at)}` : "never used"}`
      + ` · created ${when(key.created_at)} by ${key.created_by}`,
    key.revoked_at ? [] : [["revoke", "Revoke"]]);
  item.dataset.id = String(key.id);
  return item;
}

async function loadKeys(): Promise<void> {
  $("keys-error").textContent = "";
  try {
    const keys = await withToken((t) => listApiKeys(t));
    $("key-list").replaceChildren(...keys.map(keyItem));
  } catch (error) {
    $("keys-error").textContent = describe(error);
  }
}

$("keys-open").addEventListener("click", async () => {
  $<HTMLDialogElement>("keys-dialog").showModal();
  $("key-secret").hidden = true;
  await loadKeys();
});
$("keys-close").addEventListener("click", () => {
  $<HTMLInputElement>("key-secret-value").value = ""; // the secret does not stay in the page
  $<HTMLDialogElement>("keys-dialog").close();
});
$("key-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target as HTMLFormElement;
  const scopes = [...form.querySelectorAll<HTMLInputElement>("input[name=scopes]:checked")].map((box) => box.value as ApiKeyScope);
  const day = $<HTMLInputElement>("key-expires").value; // yyyy-mm-dd: the key works until that day ends, here
  $("keys-error").textContent = "";
  try {
    const created = await withToken((t) => createApiKey({
      name: $<HTMLInputElement>("key-name").value.trim(), scopes,
      expires_at: day ? new Date(`${day}T23:59:59`).toISOString() : undefined,
    }, t));
    $<HTMLInputElement>("key-secret-value").value = created.key;
    $("key-secret").hidden = false;
    form.reset();
    await loadKeys();
    status(`Created the key ${created.name}: copy it now, it is not shown again.`);
  } catch (error) {
    $("keys-error").textContent = describe(error);
  }
});
$("key-list").addEventListener("click", async (event) => {
  const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>("button[data-action]") : null;
  const item = button?.closest<HTMLElement>(".key-item");
  if (!button || !item) return;
  if (!armed(button, "Revoke it? Websites using it are refused")) return;
  $("keys-error").textContent = "";
  try {
    await withToken((t) => revokeApiKey(Number(item.dataset.id), t));
    await loadKeys();
    status("Revoked: it is refused everywhere within seconds.");
  } catch (error) {
    $("keys-error").textContent = describe(error);
  }
});

// ---- users (admins) ------------------------------------------------------------------------------------------------
// Add a user, change a role, sign a user out everywhere, set a password, delete. The service refuses what would leave
// no admin, and says so.
function userItem(user: User): HTMLLIElement {
  const role = document.createElement("select");
  role.setAttribute("aria-label", `Role of ${user.username}`);
  for (const value of ["admin", "editor", "viewer"]) role.append(new Option(value, value, false, value === user.role));
  const item = adminItem("webhook-item user-item", user.username,
    [user.role, user.single_sign_on ? "single sign-on" : null, user.has_password ? null : "no password", `added ${when(user.created_at)}`]
      .filter(Boolean).join(" · "),
    [["sign-out", "Sign out everywhere"], ["delete", "Delete"]], [role]);
  item.dataset.username = user.username;
  return item;
}

async function loadUsers(): Promise<void> {
  try {
    const users = await withToken((t) => listUsers(t));
    $("user-list").replaceChildren(...users.map(userItem));
  } catch (error) {
    $("users-error").textContent = describe(error);
  }
}

/** Runs a change from the users dialog: its error in the dialog, the list fresh afterwards either way. */
async function userChange(change: (token: string) => Promise<string>): Promise<void> {
  $("users-error").textContent = "";
  try {
    status(await withToken(change));
  } catch (error) {
    $("users-error").textContent = describe(error);
  }
  await loadUsers();
}

$("users-open").addEventListener("click", async () => {
  $("users-error").textContent = "";
  $<HTMLDialogElement>("users-dialog").showModal();
  await loadUsers();
});
$("users-close").addEventListener("click", () => $<HTMLDialogElement>("users-dialog").close());
$("user-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target as HTMLFormElement;
  const username = $<HTMLInputElement>("user-name").value.trim();
  await userChange(async (t) => {
    const user = await addUser({ username, role: $<HTMLSelectElement>("user-role").value as User["role"], password: $<HTMLInputElement>("user-password").value }, t);
    form.reset();
    return `Added ${user.username} (${user.role}).`;
  });
});
$("password-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target as HTMLFormElement;
  const username = $<HTMLInputElement>("password-user").value.trim();
  await userChange(async (t) => {
    await changeUser(username, { password: $<HTMLInputElement>("password-new").value }, t);
    form.reset();
    return `Set a new password for ${username}; their sign-ins are ended.`;
  });
});
$("user-list").addEventListener("change", async (event) => {
  const select = event.target instanceof HTMLSelectElement ? event.target : null;
  const username = select?.closest<HTMLElement>(".user-item")?.dataset.username;
  if (!select || !username) return;
  await userChange(async (t) => {
    const user = await changeUser(username, { role: select.value as User["role"] }, t);
    return `${user.username} is now ${user.role}; their sign-ins are ended.`;
  });
});
$("user-list").addEventListener("click", async (event) => {
  const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>("button[data-action]") : null;
  const username = button?.closest<HTMLElement>(".user-item")?.dataset.username;
  if (!button || !username) return;
  if (button.dataset.action === "sign-out") {
    await userChange(async (t) => {
      const ended = await revokeUserSessions(username, t);
      return `Signed ${username} out everywhere (${ended.sessions_ended} ${ended.sessions_ended === 1 ? "sign-in" : "sign-ins"} ended).`;
    });
    return;
  }
  if (!armed(button, "Delete this user?")) return;
  await userChange(async (t) => {
    await deleteUser(username, t);
    return `Deleted ${username}.`;
  });
});
