/**
 * MediaLibrary client for website frontends (browsers and Node 20+). One implementation: the service serves this
 * module at /client/media.js with its types at /client/media.d.ts.
 *
 *   import { createClient } from "https://media.example.com/client/media.js";
 *   const media = createClient({ baseUrl: "https://media.example.com" });
 *   const { access_token } = await media.login("editor", "…");
 *   const item = await media.uploadMedia(file, { title: "Team", alt_text: "Five people" }, access_token);
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
    path: {
        id: number;
        name: string;
    }[] | null;
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
export declare function srcset(media: Pick<Media, "variants">): string;
export interface MediaPage {
    /** Exact, unless a search matched more than 1,000: then 1,000 and `count_exact` is false. */
    count: number;
    count_exact: boolean;
    next: string | null;
    previous: string | null;
    results: Media[];
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
}
export interface MediaMetadata {
    title?: string;
    alt_text?: string;
    /** On upload: the folder to put it in. On update: a folder's id, or null to move it to the top. */
    folder_id?: number | null;
}
export interface TransferOptions {
    /** Upload progress; in browsers per chunk sent, elsewhere once when the upload is done. */
    onProgress?: (progress: {
        loaded: number;
        total: number;
    }) => void;
    signal?: AbortSignal;
    /** A retried upload with the same key returns the first result instead of creating a second media. */
    idempotencyKey?: string;
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
export declare class MediaLibraryError extends Error {
    readonly status: number;
    readonly problem: ProblemDetails | null;
    constructor(status: number, problem: ProblemDetails | null);
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
    getMedia(id: number, token?: string): Promise<Media>;
    listMedia(query?: MediaQuery, token?: string): Promise<MediaPage>;
    uploadMedia(file: Blob, metadata: MediaMetadata, token: string, options?: TransferOptions): Promise<Media>;
    updateMedia(id: number, changes: MediaMetadata, token: string, options?: {
        ifMatch?: string;
        signal?: AbortSignal;
    }): Promise<Media>;
    replaceMediaFile(id: number, file: Blob, token: string, options?: TransferOptions): Promise<Media>;
    deleteMedia(id: number, token: string, options?: {
        signal?: AbortSignal;
    }): Promise<void>;
    /** The folders directly in `parent` (a folder's id; omitted: at the top). */
    listFolders(parent?: number, token?: string): Promise<FolderList>;
    /** One folder with its path from the top. */
    getFolder(id: number, token?: string): Promise<Folder>;
    createFolder(name: string, parentId: number | null, token: string): Promise<Folder>;
    renameFolder(id: number, name: string, token: string): Promise<Folder>;
    /** Moves the folder and everything in it into `parentId` (null: to the top). A move into itself fails with 409. */
    moveFolder(id: number, parentId: number | null, token: string): Promise<Folder>;
    /** Deletes an empty folder; with `contents: true` the media and folders in it too (each media as deleteMedia deletes it). */
    deleteFolder(id: number, token: string, options?: {
        contents?: boolean;
    }): Promise<void>;
}
export declare function createClient(options?: ClientOptions): MediaClient;
export declare const login: (username: string, password: string) => Promise<Token>, signOut: (token: string) => Promise<void>, getMedia: (id: number, token?: string) => Promise<Media>, listMedia: (query?: MediaQuery, token?: string) => Promise<MediaPage>, uploadMedia: (file: Blob, metadata: MediaMetadata, token: string, options?: TransferOptions) => Promise<Media>, updateMedia: (id: number, changes: MediaMetadata, token: string, options?: {
    ifMatch?: string;
    signal?: AbortSignal;
}) => Promise<Media>, replaceMediaFile: (id: number, file: Blob, token: string, options?: TransferOptions) => Promise<Media>, deleteMedia: (id: number, token: string, options?: {
    signal?: AbortSignal;
}) => Promise<void>, listFolders: (parent?: number, token?: string) => Promise<FolderList>, getFolder: (id: number, token?: string) => Promise<Folder>, createFolder: (name: string, parentId: number | null, token: string) => Promise<Folder>, renameFolder: (id: number, name: string, token: string) => Promise<Folder>, moveFolder: (id: number, parentId: number | null, token: string) => Promise<Folder>, deleteFolder: (id: number, token: string, options?: {
    contents?: boolean;
}) => Promise<void>;
