// Talking to the server: the capcut-mate verbs (POST JSON) and the UI's own read-only views.
// Every URL is relative to the page, so the UI works behind a proxy that adds a path prefix.

import { askForKey, authHeaders } from "./keys.js";

export const API_PREFIX = "openapi/capcut-mate/v1/";

export class ApiError extends Error {
  constructor(message, status = 0, code = "") {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The draft_url naming a draft; the server reads only its path and draft_id. */
export function draftUrlFor(draftId) {
  return new URL(`${API_PREFIX}get_draft?draft_id=${encodeURIComponent(draftId)}`,
    document.baseURI).href;
}

export function verbUrl(verb, params = null) {
  const query = params ? `?${new URLSearchParams(params)}` : "";
  return `${API_PREFIX}${verb}${query}`;
}

// The API's own wording names its fields and verbs; a person reads these instead.
const PLAIN_BY_CODE = {
  invalid_draft_url: "This address does not name a draft: a draft id is a long string of digits and letters.",
  draft_url_required: "This address does not name a draft.",
  draft_not_found: "There is no such draft. It may have been deleted, or it belongs to another API key.",
  no_saved_version: "The draft has no saved version yet. Save it first.",
  version_not_found: "That version does not exist (any more).",
  unsaved_changes: "The draft has unsaved changes. Save it first.",
};

/** The error of a failed response, in plain words. */
function plainMessage(status, detail, retryAfter, code = "") {
  if (PLAIN_BY_CODE[code]) return PLAIN_BY_CODE[code];
  switch (status) {
    case 401:
      return "This server needs an API key, or refused the one given. Set it with \"API key\".";
    case 403:
      return "The API key given may not do this.";
    case 409:
      return "The draft changed while you were looking at it. The page has the latest state now; try again.";
    case 429:
      return `Too many requests. Wait ${retryAfter || 1} s and try again.`;
    case 503:
      return `The server is unavailable right now (maintenance or restarting). Try again in ${retryAfter || 5} s.`;
    default:
      if (status >= 500) return `The server failed: ${detail || "internal error"}.`;
      return detail || `The server answered HTTP ${status}.`;
  }
}

async function errorFrom(response) {
  let detail = "";
  let code = "";
  try {
    const body = await response.json();
    detail = typeof body.detail === "string" ? body.detail : "";
    code = typeof body.code === "string" ? body.code : "";
  } catch {
    // Not JSON (a proxy's error page, say): the status alone has to do.
  }
  const message = plainMessage(response.status, detail, response.headers.get("Retry-After"), code);
  return new ApiError(message, response.status, code);
}

/**
 * fetch with the API key and errors in plain words. On 401 the user is asked for a key and the
 * request is tried once more, unless `prompt` is false (background refreshes never ask).
 */
export async function send(url, init = {}, { prompt = true } = {}) {
  let response;
  try {
    response = await fetch(url, { ...init, headers: authHeaders(init.headers || {}) });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError("Cannot reach the server. Check that it is running, then try again.");
  }
  if (response.status === 401 && prompt) {
    if (await askForKey("This server needs an API key. Enter one to continue.")) {
      return send(url, init, { prompt: false });
    }
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** POST a verb with a JSON body; resolves to the JSON answer. */
export async function call(verb, body = {}, options = {}) {
  const response = await send(verbUrl(verb), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  }, options);
  return response.json();
}

export async function getJson(url, options = {}) {
  const response = await send(url, { cache: "no-store" }, options);
  return response.json();
}

let verbs = null;

/** Names of the verbs this server offers, read once from its OpenAPI document. */
export function availableVerbs() {
  verbs ??= getJson("openapi.json")
    .then((doc) => new Set(Object.keys(doc.paths || {})
      .filter((path) => path.startsWith(`/${API_PREFIX}`))
      .map((path) => path.slice(API_PREFIX.length + 1))))
    .catch(() => new Set());
  return verbs;
}

/** Save `url` as a file. With an API key the bytes are fetched first, since a plain link
 * cannot carry the key. */
export async function download(url, fileName) {
  const anchor = document.createElement("a");
  anchor.download = fileName;
  let objectUrl = null;
  if (authHeaders({}).Authorization) {
    const response = await send(url);
    objectUrl = URL.createObjectURL(await response.blob());
    anchor.href = objectUrl;
  } else {
    anchor.href = url;
  }
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  if (objectUrl) setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
}
