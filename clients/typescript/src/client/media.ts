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

/** A media item as the API returns it. */
export interface Media {
  id: number;
  title: string;
  alt_text: string;
  file_name: string;
  content_type: string;
  size: number;
  width: number | null;
  height: number | null;
  sha256: string;
  version: number;
  /** Where the bytes are delivered; changes whenever the file is replaced, so it can be cached forever. */
  url: string;
  created_at: string;
  updated_at: string;
  /** Decoded raster images only (JPEG, PNG, GIF, WebP, AVIF, TIFF); null otherwise. */
  has_alpha: boolean | null;
  /** A tiny preview as a data URI, to show blurred while the image loads. */
  placeholder: string | null;
  /** "#rrggbb", a background for the image's box while it loads. */
  dominant_color: string | null;
  /** Rendered sizes for srcset, smallest first; empty for files that are not decoded raster images. */
  variants: ImageVariant[];
  /** The folder it is in; null at the top. Organisation only: never part of its URL. */
  folder_id: number | null;
  /** Its tags, in name order; a tag keeps the spelling it was first given ("Summer" and "summer" are one tag). */
  tags: string[];
  /** How many places use it (references registered by websites); deleting it while used needs `force`. */
  reference_count: number;
  /** When it was moved to the trash; null while it is in the library. */
  trashed_at: string | null;
  /** When the service purges it from the trash for good; null while it is in the library. */
  purge_at: string | null;
  /**
   * The version of this copy (also the ETag header): pass it as `ifMatch` to `updateMedia`, `addTags`, `removeTags` or
   * `restoreMedia`, or in a bulk request's `if_match`, so that a change someone else made first is not overwritten (412).
   */
  etag: string;
}

/** A place that uses a media: the website's own key for it (`page:/about`, `product:42`), a label and a link. */
export interface MediaReference {
  media_id: number;
  key: string;
  label: string;
  url: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReferenceList {
  count: number;
  results: MediaReference[];
}

/** A place and the media it uses; after a sync also what it added, removed and updated. */
export interface Referrer {
  key: string;
  media_ids: number[];
  added?: number[];
  removed?: number[];
  updated?: number;
}

/** A tag in use and how many media have it. */
export interface TagCount {
  name: string;
  count: number;
}

export interface TagList {
  /** Most used first. */
  results: TagCount[];
}

/** A folder. Renaming or moving one changes no media URL. */
export interface Folder {
  id: number;
  name: string;
  /** null at the top. */
  parent_id: number | null;
  /** 1 at the top; folders nest at most 32 deep. */
  depth: number;
  created_at: string;
  updated_at: string;
  /** Its ancestors from the top down (a breadcrumb), when one folder was asked for; null in lists. */
  path: { id: number; name: string }[] | null;
}

export interface FolderList {
  parent_id: number | null;
  /** The folders directly in it, by name. */
  results: Folder[];
}

export interface ImageVariant {
  width: number;
  height: number;
  format: string;
  url: string;
}

/** The media's variants as an <img srcset> value ("" when it has none). */
export function srcset(media: Pick<Media, "variants">): string {
  return media.variants.map((v) => `${v.url} ${v.width}w`).join(", ");
}

/** A size or format beyond the configured widths: what `signTransform` signs. */
export interface TransformRequest {
  width?: number;
  height?: number;
  /** How the image fills width × height: inside (the default: within both), cover or contain. */
  fit?: "inside" | "cover" | "contain";
  /** auto (the default: the best the browser accepts), webp, avif, jpeg or png. */
  format?: "auto" | "webp" | "avif" | "jpeg" | "png";
  /** 1–100. */
  quality?: number;
}

/**
 * The URL of an image rendered with `transform` (a configured width such as "w_640,f_webp", or one that
 * `signTransform` signed): rendered once, then cached forever, like the variants.
 */
export function transformUrl(media: Pick<Media, "url">, transform: string): string {
  const slash = media.url.lastIndexOf("/");
  return `${media.url.slice(0, slash)}/${encodeURIComponent(transform).replace(/%2C/g, ",")}${media.url.slice(slash)}`;
}

export interface MediaPage {
  /** Exact, unless a search matched more than 1,000: then 1,000 and `count_exact` is false. */
  count: number;
  count_exact: boolean;
  next: string | null;
  previous: string | null;
  results: Media[];
}

/** A page of the trash, most recently deleted first. */
export interface TrashPage {
  /** How many media are in the trash. */
  count: number;
  /** The following page's link (absolute, with a cursor), or null on the last. */
  next: string | null;
  results: Media[];
}

export interface EmptyTrashResult {
  /** Purged by the request itself. */
  purged: number;
  /** Left for the service's cleanup worker, which purges them within minutes. */
  remaining: number;
}

/** One change of one media, as the service recorded it in the change's own transaction. */
export interface HistoryEntry {
  id: number;
  media_id: number;
  /** created, edited, replaced, trashed, restored, purged, deleted, referenced, unreferenced. */
  action: string;
  /** The user's name at the time, or "system" for the service's own work (the trash purge). */
  actor: string;
  actor_id: number | null;
  at: string;
  request_id: string | null;
  client_address: string | null;
  /** What changed: fields `{ before, after }`, versions, reference keys; null when the action says it all. */
  details: Record<string, unknown> | null;
}

/** What an API key may do: read; write (an editor's rights); admin; references (read, and record where media are used). */
export type ApiKeyScope = "read" | "write" | "admin" | "references";

/** An API key as admins see it: never its secret. */
export interface ApiKey {
  id: number;
  name: string;
  /** The start of the key (`mlk_` and its lookup id), to tell keys apart. */
  prefix: string;
  scopes: ApiKeyScope[];
  created_at: string;
  created_by: string;
  expires_at: string | null;
  /** To the minute. */
  last_used_at: string | null;
  revoked_at: string | null;
}

/** A key just created: `key` is shown this once. Send it as the token of any function (a bearer token). */
export interface NewApiKey extends Omit<ApiKey, "last_used_at" | "revoked_at"> {
  key: string;
}

/** A user as admins see it. */
export interface User {
  username: string;
  role: "admin" | "editor" | "viewer";
  created_at: string;
  /** Made by single sign-on: its role follows the provider's claim at each sign-in. */
  single_sign_on: boolean;
  /** False for a user who signs in only through single sign-on. */
  has_password: boolean;
}

/** The events a webhook endpoint can take; "*" takes them all. */
export type WebhookEventType = MediaEventType | FolderEventType;
export type MediaEventType = "media.created" | "media.updated" | "media.file_replaced" | "media.trashed" | "media.restored"
  | "media.purged" | "media.deleted" | "media.referenced" | "media.unreferenced";
export type FolderEventType = "folder.created" | "folder.renamed" | "folder.moved" | "folder.deleted";

/** A webhook endpoint as admins see it: never its secret. */
export interface Webhook {
  id: number;
  url: string;
  events: (WebhookEventType | "*")[];
  description: string;
  /** A disabled endpoint gets no new deliveries. */
  active: boolean;
  created_at: string;
  updated_at: string;
  created_by: string;
  /** After a rotation: until when the previous secret signs beside the new one (null: it does not). */
  previous_secret_until: string | null;
}

/** An endpoint just created, or its secret just rotated: `secret` (whsec_…) is shown this once. */
export interface WebhookWithSecret extends Webhook {
  secret: string;
}

/** One event sent (or being sent) to one endpoint, with its attempts and the last answer. */
export interface WebhookDelivery {
  id: number;
  endpoint_id: number;
  /** The webhook-id header: the same on every attempt and every redelivery; de-duplicate by it. */
  event_id: string;
  event_type: WebhookEventType | "webhook.test";
  media_id: number | null;
  status: "pending" | "delivered" | "dead";
  attempts: number;
  created_at: string;
  last_attempt_at: string | null;
  last_status_code: number | null;
  /** The start of the receiver's last answer. */
  last_response: string | null;
  last_error: string | null;
  delivered_at: string | null;
}

/** A page of deliveries, newest first. */
export interface WebhookDeliveryPage {
  next: string | null;
  results: WebhookDelivery[];
}

/** The body of a webhook, once verified: what changed, and the media as the change left it (null after a deletion). */
export type WebhookEvent = MediaEvent | FolderEvent | TestEvent;

/** What `testWebhook` sends: no change, only a check of the receiver and its secret. */
export interface TestEvent {
  type: "webhook.test";
  timestamp: string;
  data: { endpoint_id: number; action: "test"; message: string; actor: string; request_id: string | null };
}

/** A change of a media, as a webhook tells it. */
export interface MediaEvent {
  type: MediaEventType;
  timestamp: string;
  data: {
    media_id: number | null;
    action: string;
    media: Media | null;
    /** The history entry's details: fields `{ before, after }`, versions, reference keys. */
    change: Record<string, unknown> | null;
    /** The versions the change retired: revalidate or purge what shows `url`, or anything under `prefix` (its derivatives). */
    retired: { version: number; url: string; prefix: string }[];
    actor: string;
    request_id: string | null;
  };
}

/** A change to the folder tree, as a webhook tells it. */
export interface FolderEvent {
  type: FolderEventType;
  timestamp: string;
  data: {
    folder_id: number;
    action: "created" | "renamed" | "moved" | "deleted";
    /** The folder as the change left it; null after a deletion. */
    folder: { id: number; name: string; parent_id: number | null; updated_at: string } | null;
    /** renamed: `{ name: { before, after } }`; moved: `{ parent_id: { before, after } }`; deleted: `{ folders_deleted }`. */
    change: Record<string, unknown> | null;
    actor: string;
    request_id: string | null;
  };
}

/** A page of history, newest first. */
export interface HistoryPage {
  next: string | null;
  results: HistoryEntry[];
}

export interface Token {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
}

export type Ordering = "created_at" | "-created_at" | "title" | "-title" | "size" | "-size";

export interface MediaQuery {
  /**
   * Where the page starts: the `cursor` parameter of a page's `next` or `previous` link (opaque). Following links
   * costs the same on every page; `page` jumps by number and skips through the rows before it.
   */
  cursor?: string;
  page?: number;
  page_size?: number;
  search?: string;
  /** A type ("image/png") or a family ("image/*"). */
  content_type?: string;
  ordering?: Ordering;
  /** A folder's id, or "root" for the media at the top. */
  folder?: number | "root";
  /** With `folder`: everything below it too. */
  recursive?: boolean;
  /** Media with this tag, or with every one of these tags (case-insensitive). */
  tag?: string | string[];
  /** false: media used nowhere (the candidates for clean-up); true: media used somewhere. */
  used?: boolean;
}

export interface MediaMetadata {
  title?: string;
  alt_text?: string;
  /** On upload: the folder to put it in. On update: a folder's id, or null to move it to the top. */
  folder_id?: number | null;
  /**
   * On upload: its tags. On update: the whole new list ([] removes them all). 1 to 64 characters each, no commas,
   * at most 100 per media.
   */
  tags?: string[];
}

/** The list's filters, for a bulk request's selection. */
export interface MediaFilter {
  search?: string;
  content_type?: string;
  folder?: number | "root";
  recursive?: boolean;
  tag?: string[];
  used?: boolean;
}

/**
 * One action for many media: the `ids` given (at most 10,000), or what `filter` selects (newest first, up to
 * `limit`). `if_match` maps a media id to the ETag it must still have.
 */
export type BulkRequest = ({ ids: number[] } | { filter: MediaFilter; limit: number }) & { if_match?: Record<number, string> } & (
  | { action: "move"; folder_id: number | null }
  | { action: "tag" | "untag"; tags: string[] }
  | { action: "edit"; title?: string; alt_text?: string }
  | { action: "delete"; force?: boolean; permanent?: boolean }
);

export interface BulkItemResult {
  id: number;
  /** What its single request would have answered: 200 changed (or already so), 204 deleted or moved to the trash, 400, 404, 409 (in use), 412, 503. */
  status: number;
  detail: string | null;
  /** Its ETag after, when it is still there. */
  etag: string | null;
}

export interface BulkResult {
  action: BulkRequest["action"];
  selected: number;
  /** The filter selected more than `limit`; the rest are left for another request. */
  more: boolean;
  succeeded: number;
  failed: number;
  /** One per media, in the order named or selected. */
  results: BulkItemResult[];
}

export interface TransferOptions {
  /** Upload progress; in browsers per chunk sent, elsewhere once when the upload is done. */
  onProgress?: (progress: { loaded: number; total: number }) => void;
  signal?: AbortSignal;
  /** A retried upload with the same key returns the first result instead of creating a second media. */
  idempotencyKey?: string;
}

export interface ResumableOptions {
  /** Bytes per request (default 8 MiB): a proxy's request limit must be above it. */
  chunkSize?: number;
  /** After each piece the service confirmed. */
  onProgress?: (progress: { loaded: number; total: number }) => void;
  signal?: AbortSignal;
  /** An upload this function began earlier (as `onUploadUrl` gave it): it goes on from where the service has it. */
  uploadUrl?: string;
  /** The upload's URL once it exists: keep it (say, in localStorage) to resume after the page is closed. */
  onUploadUrl?: (url: string) => void;
  /** Waits (ms) before each retry of a piece that failed on the network or with 5xx; after the last, the error is thrown. */
  retryDelays?: number[];
}

export interface DirectOptions {
  /** Parts sent at the same time (default 3). */
  concurrency?: number;
  /** After each part the bucket took. */
  onProgress?: (progress: { loaded: number; total: number }) => void;
  signal?: AbortSignal;
  /** The file's SHA-256 in hex, when the caller knows it: the service refuses a stored file that differs. */
  sha256?: string;
  /** Waits (ms) before each retry of a part that failed on the network or with 5xx; after the last, the upload is aborted. */
  retryDelays?: number[];
}

/**
 * A direct upload begun. On S3 (`storage: "s3"`): one presigned URL per part of `part_size` bytes, in order. On Cloudinary
 * (`storage: "cloudinary"`): the file goes as a form with the signed `fields` to `upload_url`, in chunks of `part_size`
 * with Content-Range and `X-Unique-Upload-Id: chunk_upload_id` when it is larger.
 */
export interface DirectUploadTarget {
  id: string;
  storage: string;
  part_size: number;
  part_urls: string[];
  upload_url: string | null;
  fields: Record<string, string> | null;
  chunk_upload_id: string | null;
  expires_at: string;
}

/** RFC 9457 problem details, as every API error carries them. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
  trace_id?: string;
  [extension: string]: unknown;
}

/** Thrown for every non-2xx answer: the status and, where the service sent them, the problem details. */
export class MediaLibraryError extends Error {
  readonly status: number;
  readonly problem: ProblemDetails | null;

  constructor(status: number, problem: ProblemDetails | null) {
    super(problem?.detail ?? problem?.title ?? `Request failed with status ${status}`);
    this.name = "MediaLibraryError";
    this.status = status;
    this.problem = problem;
  }
}

export interface ClientOptions {
  /** The service's origin, e.g. "https://media.example.com"; default: the page's own origin. */
  baseUrl?: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

export interface MediaClient {
  login(username: string, password: string): Promise<Token>;
  /** Ends this token's sign-in on the service: the token stops working everywhere within seconds. */
  signOut(token: string): Promise<void>;
  /**
   * On a page of the service's own origin that single sign-on returned to (`?sso=done`): the sign-in's token, once,
   * from the short-lived cookie the sign-in left. A second call, or one after two minutes, answers 401.
   */
  completeSingleSignOn(): Promise<Token>;
  getMedia(id: number, token?: string): Promise<Media>;
  listMedia(query?: MediaQuery, token?: string): Promise<MediaPage>;
  uploadMedia(file: Blob, metadata: MediaMetadata, token: string, options?: TransferOptions): Promise<Media>;
  /**
   * Uploads in pieces with the tus protocol (`/api/uploads`), for large files and poor connections: a piece that fails
   * on the network, or with an outage, is retried from the offset the service confirms, and `uploadUrl` resumes an
   * upload begun earlier, even after the page was closed. The media is made as `uploadMedia` makes it.
   */
  uploadResumable(file: Blob, metadata: MediaMetadata, token: string, options?: ResumableOptions): Promise<Media>;
  /**
   * Uploads straight to the storage (S3 or Cloudinary; 501 otherwise), never through the service. S3: the service hands
   * out a presigned URL per part and the parts go to the bucket in parallel; the bucket's CORS rules must allow PUT from
   * the page's origin and expose ETag. Cloudinary: the file goes to Cloudinary with fields the service signed, in chunks
   * when it is large; the signature is good for an hour. Either way the service checks the stored file (size, type,
   * SHA-256) before it makes the media. A failed upload is aborted.
   */
  uploadDirect(file: Blob, metadata: MediaMetadata, token: string, options?: DirectOptions): Promise<Media>;
  updateMedia(id: number, changes: MediaMetadata, token: string, options?: { ifMatch?: string; signal?: AbortSignal }): Promise<Media>;
  replaceMediaFile(id: number, file: Blob, token: string, options?: TransferOptions): Promise<Media>;
  /**
   * Moves the media to the trash (its file URLs answer 404 at once; `restoreMedia` brings it back), or deletes it for
   * good with `permanent: true` (also one in the trash). A service run with MEDIALIB_TRASH_DAYS=0 always deletes for good.
   * One that is used somewhere fails with 409 (the problem's `references` name the places) unless `force` is true:
   * to the trash it keeps its references, deleted for good it loses them.
   */
  deleteMedia(id: number, token: string, options?: { signal?: AbortSignal; force?: boolean; permanent?: boolean }): Promise<void>;
  /** Brings media back from the trash with the same id, version and URL (fails with 404 once purged, 409 when not in the trash). */
  restoreMedia(id: number, token: string, options?: { ifMatch?: string }): Promise<Media>;
  /** The media in the trash, most recently deleted first (editors); `cursor` from a page's `next` link. */
  listTrash(query: { cursor?: string; page_size?: number } | undefined, token: string): Promise<TrashPage>;
  /**
   * A small rendering of an image in the trash (editors), whose file URLs answer 404 meanwhile: a Blob for
   * `URL.createObjectURL`, since an `<img>` cannot send the token. 404 when it is not in the trash or not a rendered image.
   */
  trashPreview(id: number, token: string, options?: { signal?: AbortSignal }): Promise<Blob>;
  /** Purges everything in the trash (admins). */
  emptyTrash(token: string): Promise<EmptyTrashResult>;
  /** Every change of a media, newest first (editors); kept after it is deleted. `cursor` from a page's `next` link. */
  getHistory(id: number, token: string, query?: { cursor?: string; page_size?: number }): Promise<HistoryPage>;
  /** The audit list (admins): every change, newest first, by actor, action, media and time range (ISO 8601; until exclusive). */
  listHistory(query: { actor?: string; action?: string; media_id?: number; since?: string; until?: string; cursor?: string; page_size?: number },
    token: string): Promise<HistoryPage>;
  /** Signs a transform beyond the configured widths (editors): put the answer's `transform` in `transformUrl`. */
  signTransform(transform: TransformRequest, token: string): Promise<{ transform: string }>;
  /** Every API key, newest first (admins). */
  listApiKeys(token: string): Promise<ApiKey[]>;
  /** Creates an API key for a website's backend (admins); the answer's `key` is never shown again. */
  createApiKey(key: { name: string; scopes: ApiKeyScope[]; expires_at?: string }, token: string): Promise<NewApiKey>;
  /** Revokes an API key for good (admins): refused everywhere within seconds. */
  revokeApiKey(id: number, token: string): Promise<void>;
  /** Every user (admins). */
  listUsers(token: string): Promise<User[]>;
  /** Adds a user with a role and a password (admins); a taken name is a 409. */
  addUser(user: { username: string; role: User["role"]; password: string }, token: string): Promise<User>;
  /** Changes a user's role or password (admins); either ends all of the user's sign-ins. The last admin keeps the role (409). */
  changeUser(username: string, changes: { role?: User["role"]; password?: string }, token: string): Promise<User>;
  /** Deletes a user (admins); the user's tokens stop working. The last admin cannot be deleted (409). */
  deleteUser(username: string, token: string): Promise<void>;
  /** Signs a user out everywhere (admins): every token issued to the user so far stops working. */
  revokeUserSessions(username: string, token: string): Promise<{ sessions_ended: number }>;
  /** Every webhook endpoint (admins). */
  listWebhooks(token: string): Promise<Webhook[]>;
  /**
   * Registers an endpoint (admins): each change of the chosen types is POSTed to `url`, signed per Standard Webhooks;
   * check it with `verifyWebhook`. The answer's `secret` is never shown again (one is made unless given).
   */
  createWebhook(webhook: { url: string; events: (WebhookEventType | "*")[]; description?: string; active?: boolean; secret?: string },
    token: string): Promise<WebhookWithSecret>;
  /** Changes what is given (admins). */
  updateWebhook(id: number, changes: { url?: string; events?: (WebhookEventType | "*")[]; description?: string; active?: boolean },
    token: string): Promise<Webhook>;
  deleteWebhook(id: number, token: string): Promise<void>;
  /**
   * Makes a new signing secret (admins); attempts from now on are signed with it, and for `keepPreviousHours` (24 by
   * default, 0 to 168) with the previous one too, so the receiver can switch secrets without a failed delivery.
   */
  rotateWebhookSecret(id: number, token: string, options?: { keepPreviousHours?: number }): Promise<WebhookWithSecret>;
  /** Sends the endpoint a `webhook.test` event (admins), through the same queue as every delivery; 409 when it is disabled. */
  testWebhook(id: number, token: string): Promise<WebhookDelivery>;
  /** An endpoint's deliveries, newest first; `before` from a page's last id (or its `next` link). */
  listWebhookDeliveries(id: number, query: { status?: WebhookDelivery["status"]; before?: number; limit?: number } | undefined,
    token: string): Promise<WebhookDeliveryPage>;
  /** Sends a delivery again with the same webhook-id and body (admins). */
  redeliverWebhook(id: number, deliveryId: number, token: string): Promise<WebhookDelivery>;
  /** The folders directly in `parent` (a folder's id; omitted: at the top). */
  listFolders(parent?: number, token?: string): Promise<FolderList>;
  /** One folder with its path from the top. */
  getFolder(id: number, token?: string): Promise<Folder>;
  createFolder(name: string, parentId: number | null, token: string): Promise<Folder>;
  renameFolder(id: number, name: string, token: string): Promise<Folder>;
  /** Moves the folder and everything in it into `parentId` (null: to the top). A move into itself fails with 409. */
  moveFolder(id: number, parentId: number | null, token: string): Promise<Folder>;
  /** Deletes an empty folder; with `contents: true` the media and folders in it too (each media as deleteMedia deletes it). */
  deleteFolder(id: number, token: string, options?: { contents?: boolean; force?: boolean; permanent?: boolean }): Promise<void>;
  /** Adds tags to a media (those it has stay once). */
  addTags(id: number, tags: string[], token: string, options?: { ifMatch?: string }): Promise<Media>;
  /** Removes tags from a media; one it does not have is no error. */
  removeTags(id: number, tags: string[], token: string, options?: { ifMatch?: string }): Promise<Media>;
  /** Tags in use, most used first, with their counts; `prefix` keeps those starting with it (for autocompletion). */
  listTags(query?: { prefix?: string; limit?: number }, token?: string): Promise<TagList>;
  /** Moves, tags, untags, edits or deletes many media at once; each gets its own result (the request fails only as a whole: 400, 413). */
  bulkMedia(request: BulkRequest, token: string): Promise<BulkResult>;
  /** The places that use a media. */
  listReferences(id: number, token?: string): Promise<ReferenceList>;
  /** Records that a place uses the media (the same key again updates its label and url). */
  putReference(id: number, reference: { key: string; label?: string; url?: string | null }, token: string): Promise<MediaReference>;
  /** The place no longer uses the media. */
  removeReference(id: number, key: string, token: string): Promise<void>;
  /** The media that a place uses. */
  getReferrer(key: string, token?: string): Promise<Referrer>;
  /**
   * Sets every media a place uses, as a CMS knows it when it saves a page (at most 1,000): media no longer listed lose
   * the reference. All or nothing: a missing media id fails with 422 (`missing_ids`).
   */
  syncReferences(key: string, mediaIds: number[], token: string, options?: { label?: string; url?: string | null }): Promise<Referrer>;
}

export function createClient(options: ClientOptions = {}): MediaClient {
  const base = (options.baseUrl ?? "").replace(/\/+$/, "");
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function call<T>(method: string, path: string, init: { token?: string; body?: BodyInit; json?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json", ...init.headers };
    if (init.token) headers.Authorization = `Bearer ${init.token}`;
    let body = init.body;
    if (init.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(init.json);
    }
    // Never a cached answer: an editor must see the change they just made.
    const response = await fetchOrFail(base + path, { method, headers, body, signal: init.signal, cache: "no-store" });
    return (await parse(response.status, response.headers.get("Content-Type"), () => response.text())) as T;
  }

  async function fetchOrFail(url: string, init: RequestInit): Promise<Response> {
    try {
      return await doFetch(url, init);
    } catch (error) {
      // A cancellation stays an AbortError; anything else (no network, a refused CORS check) is a failed request.
      if (error instanceof DOMException && error.name === "AbortError") throw error;
      throw new MediaLibraryError(0, { title: "The connection failed.", detail: error instanceof Error ? error.message : String(error) });
    }
  }

  /** An upload's text fields as a form or tus metadata carries them: the ones given, tags as one comma-separated list. */
  function textFields(metadata: MediaMetadata): [string, string][] {
    const fields: [string, string][] = [];
    if (metadata.title !== undefined) fields.push(["title", metadata.title]);
    if (metadata.alt_text !== undefined) fields.push(["alt_text", metadata.alt_text]);
    if (metadata.folder_id !== undefined && metadata.folder_id !== null) fields.push(["folder_id", String(metadata.folder_id)]);
    if (metadata.tags !== undefined && metadata.tags.length > 0) fields.push(["tags", metadata.tags.join(",")]);
    return fields;
  }

  function form(file: Blob, metadata: MediaMetadata = {}): FormData {
    const data = new FormData();
    for (const [name, value] of textFields(metadata)) data.append(name, value);
    data.append("file", file, (file as File).name ?? "file");
    return data;
  }

  async function send(method: string, path: string, data: FormData, token: string, transfer: TransferOptions = {}): Promise<Media> {
    const headers: Record<string, string> = {};
    if (transfer.idempotencyKey) headers["Idempotency-Key"] = transfer.idempotencyKey;
    if (transfer.onProgress && typeof XMLHttpRequest !== "undefined" && !options.fetch) {
      return viaXhr(method, base + path, data, token, headers, transfer);
    }
    const media = await call<Media>(method, path, { token, body: data, headers, signal: transfer.signal });
    const size = (data.get("file") as Blob).size;
    transfer.onProgress?.({ loaded: size, total: size });
    return media;
  }

  /** One tus request: its answer, or a MediaLibraryError (status 0 when the network failed). */
  async function tus(method: string, url: string, token: string, headers: Record<string, string>, body?: BodyInit, signal?: AbortSignal): Promise<Response> {
    const response = await fetchOrFail(url, {
      method, body, signal, cache: "no-store",
      headers: { "Tus-Resumable": "1.0.0", Authorization: `Bearer ${token}`, Accept: "application/json", ...headers },
    });
    if (response.ok) return response;
    return (await parse(response.status, response.headers.get("Content-Type"), () => response.text())) as never;
  }

  async function uploadResumable(file: Blob, metadata: MediaMetadata, token: string, opts: ResumableOptions = {}): Promise<Media> {
    const chunk = Math.max(1, opts.chunkSize ?? 8 * 1024 * 1024);
    const delays = opts.retryDelays ?? [0, 1000, 3000, 5000, 10000];
    let url = opts.uploadUrl;
    if (!url) {
      const pairs: [string, string][] = [["filename", (file as File).name ?? "file"], ...(file.type ? [["filetype", file.type] as [string, string]] : []),
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
    let mediaId: string | null = null;
    for (let failures = 0; mediaId === null;) {
      try {
        const piece = file.slice(offset, Math.min(file.size, offset + chunk));
        const response = await tus("PATCH", url, token,
          { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" }, piece, opts.signal);
        offset = Number(response.headers.get("Upload-Offset"));
        mediaId = response.headers.get("Media-Id");
        failures = 0;
        opts.onProgress?.({ loaded: offset, total: file.size });
      } catch (error) {
        // The network, an outage or a piece the service has in part: ask where it is, and go on from there.
        const retryable = error instanceof MediaLibraryError && (error.status === 0 || error.status === 409 || error.status >= 500);
        if (!retryable || failures >= delays.length) throw error;
        await sleep(delays[failures++], opts.signal);
        const head = await tus("HEAD", url, token, {}, undefined, opts.signal);
        offset = Number(head.headers.get("Upload-Offset"));
        mediaId = head.headers.get("Media-Id");
      }
    }
    return call<Media>("GET", `/api/media/${encodeURIComponent(mediaId)}`, { token });
  }

  async function uploadDirect(file: Blob, metadata: MediaMetadata, token: string, opts: DirectOptions = {}): Promise<Media> {
    const delays = opts.retryDelays ?? [0, 1000, 3000];
    const begun = await call<DirectUploadTarget>("POST", "/api/uploads/direct", {
      token, signal: opts.signal, json: {
        file_name: (file as File).name ?? "file", size: file.size, content_type: file.type || undefined, title: metadata.title,
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
        return await call<Media>("POST", `${path}/complete`, { token, json: {}, signal: opts.signal });
      }
      const etags: string[] = new Array(begun.part_urls.length);
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
      return await call<Media>("POST", `${path}/complete`, { token, json: { etags }, signal: opts.signal });
    } catch (error) {
      // The parts leave the bucket now rather than at the upload's expiry; a refused completion deleted them already.
      if (!completing || !(error instanceof MediaLibraryError) || error.status === 0 || error.status >= 500)
        await call<void>("DELETE", path, { token }).catch(() => undefined);
      throw error;
    }
  }

  /**
   * The file to Cloudinary as its signed form: in one post, or in chunks of the part size (the first before the others,
   * the last after them all, as Cloudinary wants; those between `concurrency` at a time).
   */
  async function postChunks(begun: DirectUploadTarget, file: Blob, delays: number[], opts: DirectOptions): Promise<void> {
    const size = begun.part_size;
    const count = Math.max(1, Math.ceil(file.size / size));
    let loaded = 0;
    const post = async (index: number) => {
      const start = index * size;
      const chunk = file.slice(start, Math.min(file.size, start + size));
      const headers: Record<string, string> = count === 1 ? {} : {
        "X-Unique-Upload-Id": begun.chunk_upload_id!,
        "Content-Range": `bytes ${start}-${start + chunk.size - 1}/${index === count - 1 ? file.size : -1}`,
      };
      await sendWithRetries(() => {
        const data = new FormData();
        for (const [name, value] of Object.entries(begun.fields!)) data.append(name, value);
        data.append("file", chunk, (file as File).name ?? "file");
        return fetchOrFail(begun.upload_url!, { method: "POST", body: data, headers, signal: opts.signal, cache: "no-store" });
      }, "Cloudinary refused the file.", delays, opts.signal);
      loaded += chunk.size;
      opts.onProgress?.({ loaded, total: file.size });
    };
    await post(0);
    let next = 1;
    const middle = async () => { while (next < count - 1) await post(next++); };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 3, count - 2)) }, middle));
    if (count > 1) await post(count - 1);
  }

  /** A request to the storage, sent again on the network or 5xx after each of the delays; its answer once it succeeds. */
  async function sendWithRetries(send: () => Promise<Response>, refused: string, delays: number[], signal?: AbortSignal): Promise<Response> {
    for (let failures = 0; ; failures++) {
      let response: Response | null = null;
      try {
        response = await send();
      } catch (error) {
        if (!(error instanceof MediaLibraryError) || failures >= delays.length) throw error;
      }
      if (response?.ok) return response;
      if (response && (response.status < 500 || failures >= delays.length))
        throw new MediaLibraryError(response.status, { title: refused, detail: (await response.text()).slice(0, 500) });
      await sleep(delays[failures], signal);
    }
  }

  /** One part to its presigned URL, retried on the network or 5xx; the bucket's ETag for it. */
  async function putPart(url: string, part: Blob, delays: number[], signal?: AbortSignal): Promise<string> {
    const response = await sendWithRetries(() => fetchOrFail(url, { method: "PUT", body: part, signal, cache: "no-store" }),
      "The bucket refused a part.", delays, signal);
    const etag = response.headers.get("ETag");
    if (!etag) throw new MediaLibraryError(response.status, { title: "The bucket hid the part's ETag.", detail: "Its CORS rules must expose the ETag header." });
    return etag;
  }

  async function offsetOf(url: string, token: string, signal?: AbortSignal): Promise<number> {
    return Number((await tus("HEAD", url, token, {}, undefined, signal)).headers.get("Upload-Offset"));
  }

  return {
    login: (username, password) => call<Token>("POST", "/api/auth/token", { json: { username, password } }),
    signOut: (token) => call<void>("POST", "/api/auth/sign-out", { token }),
    completeSingleSignOn: () => call<Token>("POST", "/api/auth/sso/token", {}),
    getMedia: (id, token) => call<Media>("GET", `/api/media/${encodeURIComponent(id)}`, { token }),
    listMedia: (query = {}, token) => {
      return call<MediaPage>("GET", `/api/media${queryString(query)}`, { token });
    },
    uploadMedia: (file, metadata, token, transfer) => send("POST", "/api/media", form(file, metadata), token, transfer),
    uploadResumable,
    uploadDirect,
    updateMedia: (id, changes, token, opts = {}) =>
      call<Media>("PATCH", `/api/media/${encodeURIComponent(id)}`, {
        token, json: changes, signal: opts.signal, headers: opts.ifMatch ? { "If-Match": opts.ifMatch } : {},
      }),
    replaceMediaFile: (id, file, token, transfer) => send("PUT", `/api/media/${encodeURIComponent(id)}/file`, form(file), token, transfer),
    deleteMedia: (id, token, opts = {}) =>
      call<void>("DELETE", `/api/media/${encodeURIComponent(id)}${queryString({ force: opts.force || undefined, permanent: opts.permanent || undefined })}`,
        { token, signal: opts.signal }),
    restoreMedia: (id, token, opts = {}) =>
      call<Media>("POST", `/api/media/${encodeURIComponent(id)}/restore`, { token, headers: opts.ifMatch ? { "If-Match": opts.ifMatch } : {} }),
    listTrash: (query = {}, token) => call<TrashPage>("GET", `/api/trash${queryString(query)}`, { token }),
    trashPreview: async (id, token, opts = {}) => {
      const response = await fetchOrFail(`${base}/api/trash/${id}/preview`,
        { headers: { Accept: "image/avif,image/webp,image/*,application/problem+json", Authorization: `Bearer ${token}` }, signal: opts.signal, cache: "no-store" });
      if (!response.ok) await parse(response.status, response.headers.get("Content-Type"), () => response.text());
      return await response.blob();
    },
    emptyTrash: (token) => call<EmptyTrashResult>("DELETE", "/api/trash", { token }),
    getHistory: (id, token, query = {}) => call<HistoryPage>("GET", `/api/media/${encodeURIComponent(id)}/history${queryString(query)}`, { token }),
    listHistory: (query, token) => call<HistoryPage>("GET", `/api/history${queryString(query)}`, { token }),
    signTransform: (transform, token) => call<{ transform: string }>("POST", "/api/images/sign", { token, json: transform }),
    listApiKeys: (token) => call<ApiKey[]>("GET", "/api/admin/keys", { token }),
    createApiKey: (key, token) => call<NewApiKey>("POST", "/api/admin/keys", { token, json: key }),
    revokeApiKey: (id, token) => call<void>("DELETE", `/api/admin/keys/${encodeURIComponent(id)}`, { token }),
    listUsers: (token) => call<User[]>("GET", "/api/admin/users", { token }),
    addUser: (user, token) => call<User>("POST", "/api/admin/users", { token, json: user }),
    changeUser: (username, changes, token) => call<User>("PATCH", `/api/admin/users/${encodeURIComponent(username)}`, { token, json: changes }),
    deleteUser: (username, token) => call<void>("DELETE", `/api/admin/users/${encodeURIComponent(username)}`, { token }),
    revokeUserSessions: (username, token) =>
      call<{ sessions_ended: number }>("POST", `/api/admin/users/${encodeURIComponent(username)}/revoke`, { token }),
    listWebhooks: (token) => call<Webhook[]>("GET", "/api/admin/webhooks", { token }),
    createWebhook: (webhook, token) => call<WebhookWithSecret>("POST", "/api/admin/webhooks", { token, json: webhook }),
    updateWebhook: (id, changes, token) => call<Webhook>("PATCH", `/api/admin/webhooks/${encodeURIComponent(id)}`, { token, json: changes }),
    deleteWebhook: (id, token) => call<void>("DELETE", `/api/admin/webhooks/${encodeURIComponent(id)}`, { token }),
    rotateWebhookSecret: (id, token, opts = {}) => call<WebhookWithSecret>("POST",
      `/api/admin/webhooks/${encodeURIComponent(id)}/secret${queryString({ keep_previous_hours: opts.keepPreviousHours })}`, { token }),
    testWebhook: (id, token) => call<WebhookDelivery>("POST", `/api/admin/webhooks/${encodeURIComponent(id)}/test`, { token }),
    listWebhookDeliveries: (id, query = {}, token) =>
      call<WebhookDeliveryPage>("GET", `/api/admin/webhooks/${encodeURIComponent(id)}/deliveries${queryString(query)}`, { token }),
    redeliverWebhook: (id, deliveryId, token) =>
      call<WebhookDelivery>("POST", `/api/admin/webhooks/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, { token }),
    listFolders: (parent, token) => call<FolderList>("GET", `/api/folders${parent === undefined ? "" : `?parent=${encodeURIComponent(parent)}`}`, { token }),
    getFolder: (id, token) => call<Folder>("GET", `/api/folders/${encodeURIComponent(id)}`, { token }),
    createFolder: (name, parentId, token) => call<Folder>("POST", "/api/folders", { token, json: { name, parent_id: parentId } }),
    renameFolder: (id, name, token) => call<Folder>("PATCH", `/api/folders/${encodeURIComponent(id)}`, { token, json: { name } }),
    moveFolder: (id, parentId, token) => call<Folder>("POST", `/api/folders/${encodeURIComponent(id)}/move`, { token, json: { parent_id: parentId } }),
    deleteFolder: (id, token, opts = {}) =>
      call<void>("DELETE", `/api/folders/${encodeURIComponent(id)}${queryString({ contents: opts.contents || undefined, force: opts.force || undefined, permanent: opts.permanent || undefined })}`, { token }),
    addTags: (id, tags, token, opts = {}) =>
      call<Media>("POST", `/api/media/${encodeURIComponent(id)}/tags`, { token, json: { tags }, headers: opts.ifMatch ? { "If-Match": opts.ifMatch } : {} }),
    removeTags: (id, tags, token, opts = {}) =>
      call<Media>("DELETE", `/api/media/${encodeURIComponent(id)}/tags${queryString({ tag: tags })}`, { token, headers: opts.ifMatch ? { "If-Match": opts.ifMatch } : {} }),
    listTags: (query = {}, token) => call<TagList>("GET", `/api/tags${queryString(query)}`, { token }),
    bulkMedia: (request, token) => call<BulkResult>("POST", "/api/media/bulk", { token, json: request }),
    listReferences: (id, token) => call<ReferenceList>("GET", `/api/media/${encodeURIComponent(id)}/references`, { token }),
    putReference: (id, reference, token) => call<MediaReference>("PUT", `/api/media/${encodeURIComponent(id)}/references`, { token, json: reference }),
    removeReference: (id, key, token) => call<void>("DELETE", `/api/media/${encodeURIComponent(id)}/references${queryString({ key })}`, { token }),
    getReferrer: (key, token) => call<Referrer>("GET", `/api/references${queryString({ key })}`, { token }),
    syncReferences: (key, mediaIds, token, opts = {}) =>
      call<Referrer>("PUT", "/api/references", { token, json: { key, label: opts.label, url: opts.url, media_ids: mediaIds } }),
  };
}

/** UTF-8 text in Base64, as tus metadata carries it (browsers and Node alike). */
function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException("The upload was cancelled.", "AbortError"));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => { clearTimeout(timer); reject(new DOMException("The upload was cancelled.", "AbortError")); }, { once: true });
  });
}

/** "?a=1&tag=x&tag=y" from an object: arrays repeat their key; undefined and null are left out. */
function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const one of Array.isArray(value) ? value : [value]) params.append(key, String(one));
  }
  const qs = params.toString();
  return qs ? `?${qs}` : "";
}

async function parse(status: number, contentType: string | null, text: () => Promise<string>): Promise<unknown> {
  const raw = status === 204 ? "" : await text();
  const isJson = /json/i.test(contentType ?? "");
  if (status >= 200 && status < 300) return raw && isJson ? JSON.parse(raw) : undefined;
  let problem: ProblemDetails | null = null;
  if (raw && isJson) {
    try {
      problem = JSON.parse(raw) as ProblemDetails;
    } catch {
      problem = null;
    }
  }
  throw new MediaLibraryError(status, problem);
}

/** Browsers only: XMLHttpRequest is the one API that reports upload progress. */
function viaXhr(method: string, url: string, data: FormData, token: string, headers: Record<string, string>, transfer: TransferOptions): Promise<Media> {
  return new Promise<Media>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    // Nothing else: every header beyond these needs the site's origin to allow it (CORS), and a POST or PUT is never cached.
    xhr.setRequestHeader("Accept", "application/json");
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => transfer.onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : (data.get("file") as Blob).size });
    xhr.onload = () => parse(xhr.status, xhr.getResponseHeader("Content-Type"), async () => xhr.responseText).then((m) => resolve(m as Media), reject);
    xhr.onerror = () => reject(new MediaLibraryError(0, { title: "The connection failed." }));
    xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    if (transfer.signal) {
      if (transfer.signal.aborted) return xhr.abort();
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
export async function verifyWebhook(
  secret: string, body: string, headers: Headers | Record<string, string | string[] | undefined>, options: { toleranceSeconds?: number; now?: Date } = {},
): Promise<WebhookEvent> {
  const header = (name: string): string => {
    const value = headers instanceof Headers ? headers.get(name) : headers[name] ?? headers[name.toLowerCase()];
    const text = Array.isArray(value) ? value.join(" ") : value;
    if (!text) throw new Error(`The webhook has no ${name} header.`);
    return text;
  };
  const id = header("webhook-id"), timestamp = header("webhook-timestamp"), signatures = header("webhook-signature");
  const seconds = Number(timestamp);
  const now = (options.now ?? new Date()).getTime() / 1000;
  if (!Number.isInteger(seconds)) throw new Error("The webhook-timestamp header is not a number of seconds.");
  if (Math.abs(now - seconds) > (options.toleranceSeconds ?? 300)) throw new Error("The webhook's timestamp is too old or too new: refused as a possible replay.");
  const raw = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  const key = await crypto.subtle.importKey("raw", Uint8Array.from(atob(raw), (c) => c.charCodeAt(0)), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestamp}.${body}`)));
  const expected = btoa(String.fromCharCode(...mac));
  const matches = signatures.split(" ").some((s) => {
    const [version, signature] = s.split(",", 2);
    if (version !== "v1" || !signature || signature.length !== expected.length) return false;
    let diff = 0; // compared in constant time
    for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ signature.charCodeAt(i);
    return diff === 0;
  });
  if (!matches) throw new Error("The webhook's signature does not match: wrong secret, or the body was changed.");
  return JSON.parse(body) as WebhookEvent;
}

/** The same functions bound to the page's own origin, for the built-in page and simple sites. */
const defaultClient = createClient();
export const {
  login, signOut, completeSingleSignOn, getMedia, listMedia, uploadMedia, uploadResumable, updateMedia, replaceMediaFile, deleteMedia, restoreMedia, listTrash, trashPreview, emptyTrash,
  getHistory, listHistory, signTransform, listApiKeys, createApiKey, revokeApiKey,
  listUsers, addUser, changeUser, deleteUser, revokeUserSessions,
  listWebhooks, createWebhook, updateWebhook, deleteWebhook, rotateWebhookSecret, testWebhook, listWebhookDeliveries, redeliverWebhook,
  listFolders, getFolder, createFolder, renameFolder, moveFolder, deleteFolder, addTags, removeTags, listTags, bulkMedia,
  listReferences, putReference, removeReference, getReferrer, syncReferences,
} = defaultClient;
