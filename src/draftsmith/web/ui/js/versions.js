// Saved versions: when, label, what changed from the previous one; restore and download.

import { call, download, draftUrlFor, getJson, verbUrl } from "./api.js";
import { confirmAction, fill, h, toast } from "./dom.js";
import { formatDateTime, formatDuration, plural, relativeTime } from "./format.js";

const SHOWN_AT_FIRST = 20;

function changeList(title, items, describe) {
  if (!items.length) return null;
  return [h("dt", { text: title }), h("dd", {}, h("ul", {}, items.map((item) => h("li", { text: describe(item) }))))];
}

function place(ref) {
  return `“${ref.label}” (${ref.type}, ${formatDuration(ref.start)}–${formatDuration(ref.end)})`;
}

function diffCell(diff) {
  const counts = diff.counts;
  const chips = [
    counts.added ? h("span", { class: "chip added", text: `+${counts.added} added` }) : null,
    counts.removed ? h("span", { class: "chip removed", text: `−${counts.removed} removed` }) : null,
    counts.moved ? h("span", { class: "chip moved", text: `${counts.moved} moved` }) : null,
    counts.changed ? h("span", { class: "chip changed", text: `${counts.changed} changed` }) : null,
  ].filter(Boolean);
  const against = diff.previous ? `from version ${diff.previous}` : "first version kept";
  const details = h("details", {},
    h("summary", {}, chips.length ? chips : h("span", { class: "muted", text: "no changes" }),
      h("span", { class: "sr-only", text: ` (${diff.summary}, ${against})` })),
    h("dl", { class: "diff-details" },
      h("dt", { text: "Compared" }), h("dd", { text: against }),
      changeList("Added", diff.added, place),
      changeList("Removed", diff.removed, place),
      changeList("Moved", diff.moved, (m) => `“${m.after.label}”: ${formatDuration(m.before.start)} → ${formatDuration(m.after.start)}${m.before.track_id !== m.after.track_id ? " (other track)" : ""}`),
      changeList("Changed", diff.changed, place)));
  return details;
}

/** The versions panel of a draft; `load()` (re)reads the list. */
export function createVersionsPanel(draftId, { onRestored, getHeader }) {
  let showAll = false;
  const body = h("div", { class: "versions-body" }, h("p", { class: "muted", text: "Loading versions…" }));
  const count = h("span", { class: "count" });
  const element = h("section", { class: "panel versions", "aria-labelledby": "versions-title" },
    h("h2", { id: "versions-title" }, "Versions ", count), body);

  async function restore(version) {
    const header = getHeader();
    const lost = header && header.unsaved_changes
      ? " Changes made since the last save are not in any version and will be lost." : "";
    const ok = await confirmAction(`Restore version ${version}?`,
      `The draft becomes what it was in version ${version}, saved as a new version. No version is deleted.${lost}`,
      `Restore version ${version}`);
    if (!ok) return;
    try {
      const result = await call("restore_version", { draft_url: draftUrlFor(draftId), version });
      toast(`Restored version ${version} as version ${result.version}.`);
      onRestored();
    } catch (error) {
      toast(`Could not restore version ${version}: ${error.message}`, "error");
    }
  }

  function row(version, latest) {
    const zipUrl = verbUrl("download_draft", { draft_id: draftId, version: version.version });
    const changes = h("td", { class: "changes", "data-label": "Changes" }, h("span", { class: "muted", text: "…" }));
    getJson(`ui/api/drafts/${encodeURIComponent(draftId)}/versions/${version.version}/diff`)
      .then((diff) => fill(changes, diffCell(diff)))
      .catch((error) => fill(changes, h("span", { class: "muted", text: error.message })));
    const downloadLink = h("a", {
      href: zipUrl, class: "button small", download: `${draftId}-v${version.version}.zip`,
      "aria-label": `Download version ${version.version} as a zip`,
      onclick: (event) => {
        event.preventDefault();
        download(zipUrl, `${draftId}-v${version.version}.zip`)
          .catch((error) => toast(`Download failed: ${error.message}`, "error"));
      },
    }, "Download .zip");
    return h("tr", { dataset: { version: version.version } },
      h("th", { scope: "row", "data-label": "Version" }, `v${version.version}`,
        latest ? h("span", { class: "tag", text: "latest" }) : null),
      h("td", { "data-label": "Saved" },
        h("time", { datetime: version.created_at, title: formatDateTime(version.created_at), text: relativeTime(version.created_at) })),
      h("td", { "data-label": "Label", class: "label-cell", text: version.label || "—" }),
      h("td", { "data-label": "Content", text: `${plural(version.segment_count, "segment")}, ${formatDuration(version.duration)}` }),
      changes,
      h("td", { class: "row-actions", "data-label": "Actions" },
        // The latest version is what a restore of it would make again: nothing to offer.
        latest ? null : h("button", {
          type: "button", class: "small", onclick: () => restore(version.version),
          "aria-label": `Restore version ${version.version}`,
        }, "Restore"),
        downloadLink));
  }

  async function load() {
    let versions;
    try {
      versions = (await call("list_versions", { draft_url: draftUrlFor(draftId) })).versions;
    } catch (error) {
      fill(body, h("p", { class: "notice error", text: `Versions could not be read: ${error.message}` }));
      return;
    }
    count.textContent = `(${versions.length})`;
    element.dataset.count = versions.length;
    if (!versions.length) {
      fill(body, h("p", { class: "muted", text: "No saved version yet. Save the draft to create version 1." }));
      return;
    }
    const newestFirst = [...versions].reverse();
    const shown = showAll ? newestFirst : newestFirst.slice(0, SHOWN_AT_FIRST);
    const more = newestFirst.length > shown.length
      ? h("button", { type: "button", class: "ghost", onclick: () => { showAll = true; load(); } },
        `Show ${newestFirst.length - shown.length} older versions`)
      : null;
    fill(body, h("table", { class: "versions-table stack-on-phone" },
      h("thead", {}, h("tr", {}, ["Version", "Saved", "Label", "Content", "Changes", "Actions"]
        .map((name) => h("th", { scope: "col", text: name })))),
      h("tbody", {}, shown.map((v, i) => row(v, i === 0)))), more);
  }

  return { element, load };
}
