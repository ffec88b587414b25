// One draft: its facts, live save status, actions, timeline, versions and render.

import { availableVerbs, call, download, draftUrlFor, getJson, verbUrl } from "./api.js";
import { confirmAction, fill, h, toast } from "./dom.js";
import { formatCanvas, formatDuration, formatTime, saveStatus } from "./format.js";
import { watchDraft } from "./live.js";
import { createPreviewPanel } from "./preview.js";
import { createRenderPanel } from "./render.js";
import { createTimeline, hideDetails } from "./timeline.js";
import { createVersionsPanel } from "./versions.js";

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API (a page not served over https or localhost): select and copy instead.
    const area = h("textarea", { class: "offscreen", readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    return copied;
  }
}

function problemsList(result) {
  if (result.valid && !(result.problems || []).length) {
    return h("p", { class: "notice ok", text: "Valid: the saved draft has no problems." });
  }
  return h("div", { class: `notice ${result.valid ? "warn" : "error"}` },
    h("p", { text: result.valid ? "Valid, with warnings:" : "The saved draft has problems:" }),
    h("ul", { class: "problems" }, (result.problems || []).map((p) => h("li", {},
      h("strong", { text: `${p.severity || "problem"}: ` }), p.problem || "",
      p.file || p.where ? h("span", { class: "muted", text: ` (${[p.file, p.where].filter(Boolean).join(", ")})` }) : null,
      p.fix ? h("div", { class: "fix", text: `Fix: ${p.fix}` }) : null))));
}

/** How to get the draft into Jianying/CapCut on this machine: the zip, or the install command. */
function editorHelp(draftId, downloadLink) {
  const server = new URL(".", document.baseURI).href.replace(/\/$/, "");
  const command = `draftsmith install --server ${server} ${draftId}`;
  const commandBox = h("code", { id: "install-command", text: command });
  return h("details", { class: "panel editor-help", id: "editor-help" },
    h("summary", {}, h("h2", { text: "Open in Jianying or CapCut" })),
    h("ol", {},
      h("li", {}, "Save the draft: the editor gets the latest saved version."),
      h("li", {}, "Either download the draft (", downloadLink, ") and unzip it into the editor's drafts folder, ",
        "or run this on the computer with the editor (it finds the drafts folder itself):",
        h("div", { class: "command-row" }, commandBox, h("button", {
          type: "button", class: "small", id: "copy-install",
          onclick: async () => toast(await copyText(command) ? "Install command copied." : `Copy failed; the command is ${command}`),
        }, "Copy command"))),
      h("li", {}, "Open (or reopen) the editor: the draft is in its list of drafts.")));
}

/** Render the page of draft `draftId` into `main`; returns a function that tears it down. */
export async function showDraft(main, draftId) {
  const draftUrl = draftUrlFor(draftId);
  let header = null;
  let shownRevision = -1;
  let shownSaved = -1;
  let reloading = null;
  const stops = [];

  const title = h("h1", { tabindex: -1, text: "Loading draft…", "aria-busy": "true" });
  const facts = h("dl", { class: "facts" });
  const status = h("p", { id: "save-status", class: "save-status", role: "status", "aria-live": "polite", dataset: { state: "loading" }, text: "Loading…" });
  // "open", "offline" (the server cannot be reached) or "gone" (the draft was deleted).
  let connection = "open";
  const live = h("span", { class: "live", title: "Connecting…", text: "Live" });
  const validateResult = h("div", { class: "validate-result", "aria-live": "polite" });
  // The playhead follows the player used last (the preview's or the render's); a click on the
  // timeline, or the arrow keys on its ruler, move that player.
  let lead = null;
  const players = () => [preview, render].filter((panel) => panel?.video());
  function follow(panel, us, claim = false) {
    if (us !== null) {
      if (claim || !lead || lead === panel || !lead.video()) {
        lead = panel;
        timeline.setPlayhead(us);
      }
      return;
    }
    if (lead && lead !== panel) return;
    lead = players().find((other) => other !== panel) || null;
    const video = lead?.video();
    timeline.setPlayhead(video ? Math.round(video.currentTime * 1_000_000) : null);
  }
  const timeline = createTimeline({
    onSeek: (us) => {
      const panel = lead?.video() ? lead : players()[0];
      if (!panel) return false;
      lead = panel;
      panel.seek(us);
      timeline.setPlayhead(us);
      return true;
    },
  });
  const preview = createPreviewPanel(draftId, { onTime: (us, claim) => follow(preview, us, claim) });
  const verbs = await availableVerbs();
  const versions = createVersionsPanel(draftId, {
    onRestored: () => reload(),
    getHeader: () => header,
  });
  const render = createRenderPanel(draftId, {
    available: verbs.has("gen_video") && verbs.has("gen_video_status"),
    onTime: (us, claim) => follow(render, us, claim),
    onReport: (job) => timeline.setReport(job ? job.report : null, job ? job.version : null),
  });
  stops.push(render.stop);

  const labelInput = h("input", { id: "save-label", type: "text", maxlength: 200, placeholder: "Label (optional)", "aria-label": "Version label (optional)" });
  const saveButton = h("button", { type: "button", id: "save-button", class: "primary" }, "Save version");
  const downloadLatest = h("a", {
    class: "button", id: "download-latest", href: verbUrl("download_draft", { draft_id: draftId }),
    download: `${draftId}.zip`,
  }, "Download latest .zip");
  const validateButton = verbs.has("validate_draft")
    ? h("button", { type: "button", id: "validate-button" }, "Validate") : null;

  function showHeader(next) {
    header = next;
    title.textContent = next.name || next.draft_id;
    document.title = `${next.name || next.draft_id} · draftsmith`;
    fill(facts,
      h("div", {}, h("dt", { text: "Id" }), h("dd", {}, h("code", { text: next.draft_id }))),
      h("div", {}, h("dt", { text: "Canvas" }), h("dd", { id: "fact-canvas", text: `${formatCanvas(next.width, next.height)} · ${next.fps} fps` })),
      h("div", {}, h("dt", { text: "Duration" }), h("dd", { id: "fact-duration", text: formatDuration(next.duration) })),
      h("div", {}, h("dt", { text: "Segments" }), h("dd", { id: "fact-segments", text: String(next.segment_count) })),
      h("div", {}, h("dt", { text: "Changed" }), h("dd", {}, h("time", { datetime: next.updated_at, text: formatTime(next.updated_at) }))));
    render.setHeader(next);
    preview.setHeader(next);
    downloadLatest.toggleAttribute("aria-disabled", !next.last_saved_version);
    downloadLatest.classList.toggle("disabled", !next.last_saved_version);
    if (connection !== "open") return;
    const line = saveStatus(next);
    status.dataset.state = line.state;
    status.dataset.version = next.last_saved_version || 0;
    status.textContent = line.text;
  }

  function setControls(enabled) {
    for (const control of [labelInput, saveButton, validateButton, copyButton, deleteButton]) {
      if (control) control.disabled = !enabled;
    }
    render.block(enabled ? "" : "Not possible now.");
    preview.block(enabled ? "" : "Not possible now.");
  }

  function showConnection(next) {
    if (connection === "gone") return;
    live.classList.toggle("on", next === "open");
    live.textContent = { open: "Live", offline: "Offline", gone: "Deleted" }[next];
    if (connection === next) return;
    connection = next;
    if (next === "gone") {
      setControls(false);
      render.stop();
      status.dataset.state = "gone";
      status.textContent = "This draft was deleted (perhaps in another tab). Nothing here can be changed any more.";
      return;
    }
    setControls(next === "open");
    if (next === "offline") {
      status.dataset.state = "offline";
      status.textContent = "Cannot reach the server. What is shown may be out of date; the page reconnects by itself.";
    } else if (header) {
      showHeader(header);
      reload().catch(() => {});
    }
  }

  // Changes that arrive while the timeline is being read are caught by reading it again.
  let stale = false;

  async function reload() {
    stale = true;
    if (reloading) return reloading;
    reloading = (async () => {
      try {
        while (stale) {
          stale = false;
          const draft = await getJson(`ui/api/drafts/${encodeURIComponent(draftId)}/timeline`);
          showHeader(draft);
          timeline.update(draft);
          shownRevision = draft.current_version;
          if (draft.last_saved_version !== shownSaved) {
            shownSaved = draft.last_saved_version;
            versions.load();
            render.refresh();
          }
        }
      } finally {
        reloading = null;
      }
    })();
    return reloading;
  }

  function onHeader(next) {
    if (next.current_version !== shownRevision || next.last_saved_version !== shownSaved) {
      reload().catch((error) => toast(error.message, "error"));
    } else {
      showHeader(next);
    }
  }

  saveButton.addEventListener("click", async () => {
    saveButton.disabled = true;
    try {
      const label = labelInput.value.trim();
      const result = await call("save_draft", { draft_url: draftUrl, ...(label ? { label } : {}) });
      toast(result.created ? `Saved as version ${result.version}.` : `Nothing new to save: version ${result.version} is current.`);
      labelInput.value = "";
      await reload();
    } catch (error) {
      toast(`Could not save: ${error.message}`, "error");
    } finally {
      saveButton.disabled = false;
    }
  });
  downloadLatest.addEventListener("click", (event) => {
    event.preventDefault();
    if (!header?.last_saved_version) {
      toast("Nothing to download yet: save the draft first.", "error");
      return;
    }
    download(downloadLatest.href, `${draftId}-v${header.last_saved_version}.zip`)
      .catch((error) => toast(`Download failed: ${error.message}`, "error"));
  });
  validateButton?.addEventListener("click", async () => {
    fill(validateResult, h("p", { class: "muted", text: "Validating…" }));
    try {
      fill(validateResult, problemsList(await call("validate_draft", { draft_url: draftUrl })));
    } catch (error) {
      fill(validateResult, h("p", { class: "notice error", text: `Could not validate: ${error.message}` }));
    }
  });
  const copyButton = h("button", {
    type: "button", id: "copy-url",
    onclick: async () => toast(await copyText(draftUrl) ? "draft_url copied." : `Copy failed; the draft_url is ${draftUrl}`),
  }, "Copy draft_url");
  const deleteButton = h("button", {
    type: "button", class: "danger",
    onclick: async () => {
      if (!await confirmAction("Delete this draft?", "The draft and all its versions are deleted. This cannot be undone.", "Delete draft")) return;
      try {
        await call("delete_draft", { draft_url: draftUrl });
        toast("Draft deleted.", "info", { keep: true });
        window.location.hash = "#/drafts";
      } catch (error) {
        toast(`Could not delete: ${error.message}`, "error");
      }
    },
  }, "Delete…");

  setControls(false);
  fill(main, h("div", { class: "page draft-page" },
    h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/drafts" }, "Drafts"), " / ", h("span", { text: draftId })),
    h("header", { class: "draft-head" }, title, facts, h("div", { class: "status-row" }, live, status)),
    h("div", { class: "actions", role: "group", "aria-label": "Draft actions" },
      h("div", { class: "save-group" }, labelInput, saveButton),
      validateButton, downloadLatest, copyButton, deleteButton),
    validateResult,
    timeline.element,
    h("div", { class: "panels" }, versions.element,
      h("div", { class: "players" }, preview.element, render.element)),
    editorHelp(draftId, h("a", { href: "#", onclick: (event) => { event.preventDefault(); downloadLatest.click(); } }, "Download latest .zip"))));

  try {
    await reload();
  } catch (error) {
    fill(main, h("div", { class: "page" },
      h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/drafts" }, "Drafts")),
      h("h1", { tabindex: -1, text: error.status === 404 ? "Draft not found" : "Draft could not be read" }),
      h("p", { class: "notice error", text: error.message })));
    return () => {};
  }
  title.removeAttribute("aria-busy");
  setControls(true);
  stops.push(watchDraft(draftId, {
    onHeader,
    onGone: () => showConnection("gone"),
    onConnection: (on) => {
      live.title = on ? "Live: updates as the draft changes" : "Reconnecting…";
      showConnection(on ? "open" : "offline");
    },
  }));
  const ticker = setInterval(() => header && showHeader(header), 15_000);
  stops.push(() => clearInterval(ticker));
  return () => {
    hideDetails();
    stops.forEach((stop) => stop());
  };
}
