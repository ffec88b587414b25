// The API key: kept in this browser's localStorage and sent as a Bearer token.

import { byId } from "./dom.js";

const STORAGE_KEY = "draftsmith.apiKey";
const DEFAULT_TEXT = byId("key-text").textContent;

export function apiKey() {
  try {
    return localStorage.getItem(STORAGE_KEY) || "";
  } catch {
    return "";
  }
}

function storeKey(value) {
  try {
    if (value) localStorage.setItem(STORAGE_KEY, value);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage is off (private mode): the key cannot be remembered.
  }
  updateKeyButton();
}

export function authHeaders(headers) {
  const key = apiKey();
  return key ? { ...headers, Authorization: `Bearer ${key}` } : { ...headers };
}

export function updateKeyButton() {
  const button = byId("key-button");
  const set = Boolean(apiKey());
  button.textContent = set ? "API key ✓" : "API key";
  button.setAttribute("aria-label", set ? "API key (set)" : "API key (not set)");
}

let pending = null;

/** Show the key dialog; resolves to true when a key was entered. One dialog at a time. */
export function askForKey(reason = "") {
  if (pending) return pending;
  const dialog = byId("key-dialog");
  const input = byId("key-input");
  byId("key-text").textContent = reason || DEFAULT_TEXT;
  input.value = apiKey();
  dialog.returnValue = "";
  pending = new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      pending = null;
      if (dialog.returnValue === "save" && input.value.trim()) {
        storeKey(input.value.trim());
        resolve(true);
      } else {
        if (dialog.returnValue === "clear") storeKey("");
        resolve(false);
      }
    }, { once: true });
  });
  dialog.showModal();
  input.focus();
  return pending;
}
