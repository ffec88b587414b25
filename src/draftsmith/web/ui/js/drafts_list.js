// Every draft at a glance: newest change first, searchable by id or name, a page at a time.

import { availableVerbs, getJson } from "./api.js";
import { fill, h } from "./dom.js";
import { formatCanvas, formatDuration, formatTime, relativeTime } from "./format.js";
import { renderStateText } from "./render.js";

export const PAGE_SIZE = 20;
const REFRESH_MS = 5000;

function statusBadge(draft) {
  if (!draft.last_saved_version) {
    return draft.current_version
      ? h("span", { class: "badge unsaved", text: "Never saved" })
      : h("span", { class: "badge empty", text: "Empty" });
  }
  return draft.unsaved_changes
    ? h("span", { class: "badge unsaved", text: "Unsaved changes" })
    : h("span", { class: "badge saved", text: "Saved" });
}

function lastSaved(draft) {
  if (!draft.last_saved_version) return h("span", { class: "muted", text: "never" });
  return h("span", {}, `v${draft.last_saved_version} · `,
    h("time", { datetime: draft.last_saved_at, title: formatTime(draft.last_saved_at), text: relativeTime(draft.last_saved_at) }));
}

// The list view carries each draft's latest render, so a page costs one request, not one a row.
function row(draft, canRender) {
  const renderText = canRender ? renderStateText(draft.render) || "—" : "—";
  const renderCell = h("td", { "data-label": "Render", class: "render-cell", text: renderText });
  return h("tr", { dataset: { draftId: draft.draft_id } },
    h("th", { scope: "row", "data-label": "Draft" },
      h("a", { href: `#/drafts/${encodeURIComponent(draft.draft_id)}`, class: "draft-link" }, draft.name || draft.draft_id),
      draft.name && draft.name !== draft.draft_id ? h("code", { class: "id", text: draft.draft_id }) : null),
    h("td", { "data-label": "Canvas", text: formatCanvas(draft.width, draft.height) }),
    h("td", { "data-label": "Duration", text: formatDuration(draft.duration) }),
    h("td", { "data-label": "Segments", class: "num", text: String(draft.segment_count) }),
    h("td", { "data-label": "Last saved" }, lastSaved(draft)),
    h("td", { "data-label": "Status" }, statusBadge(draft)),
    renderCell);
}

function pageHash(query, page) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  if (page > 1) params.set("page", String(page));
  const text = params.toString();
  return `#/drafts${text ? `?${text}` : ""}`;
}

/** Render the drafts list into `main`; returns a function that stops its refreshing. */
export async function showDraftsList(main, params) {
  const query = (params.get("q") || "").trim();
  const page = Math.max(1, Number.parseInt(params.get("page") || "1", 10) || 1);
  const input = h("input", { type: "search", id: "draft-search", name: "q", value: query, placeholder: "Id or name", "aria-label": "Search drafts by id or name", autocomplete: "off" });
  const form = h("form", { role: "search", class: "search" }, input, h("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.location.hash = pageHash(input.value.trim(), 1);
  });
  const results = h("div", { class: "results", "aria-live": "polite" }, h("p", { class: "muted", text: "Loading drafts…" }));
  fill(main, h("div", { class: "page" },
    h("div", { class: "list-head" }, h("h1", { tabindex: -1, text: "Drafts" }), form),
    results));

  const canRender = (await availableVerbs()).has("gen_video_status");

  // Refreshes run in the background: they never open the API key prompt.
  async function load(options = {}) {
    let drafts;
    try {
      const params = new URLSearchParams({ limit: String(PAGE_SIZE + 1), offset: String((page - 1) * PAGE_SIZE) });
      if (query) params.set("query", query);
      const answer = await getJson(`ui/api/drafts?${params}`, options);
      drafts = answer.drafts;
    } catch (error) {
      fill(results, h("p", { class: "notice error", text: `Drafts could not be listed: ${error.message}` }));
      return;
    }
    const hasNext = drafts.length > PAGE_SIZE;
    drafts = drafts.slice(0, PAGE_SIZE);
    if (!drafts.length) {
      const text = query ? `No draft matches “${query}”.` : page > 1 ? "No drafts on this page." : "No drafts yet. Create one with the create_draft verb of the API.";
      fill(results, h("p", { class: "empty", text }));
      return;
    }
    fill(results,
      h("table", { class: "drafts-table stack-on-phone" },
        h("caption", { class: "sr-only", text: "Drafts, most recently changed first" }),
        h("thead", {}, h("tr", {}, ["Draft", "Canvas", "Duration", "Segments", "Last saved", "Status", "Render"]
          .map((name) => h("th", { scope: "col", text: name })))),
        h("tbody", {}, drafts.map((d) => row(d, canRender)))),
      h("nav", { class: "pager", "aria-label": "Pages" },
        page > 1 ? h("a", { class: "button", href: pageHash(query, page - 1), rel: "prev" }, "← Newer") : null,
        h("span", { class: "page-no", text: `Page ${page}` }),
        hasNext ? h("a", { class: "button", href: pageHash(query, page + 1), rel: "next" }, "Older →") : null));
  }

  await load();
  // Keep the list current, but never pull a row from under the keyboard focus.
  const timer = setInterval(() => {
    if (document.hidden || results.contains(document.activeElement)) return;
    load({ prompt: false });
  }, REFRESH_MS);
  return () => clearInterval(timer);
}
