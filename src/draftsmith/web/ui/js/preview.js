// The preview: a low-resolution render of the draft as it is now, saved or not, made while the
// user waits. It is never a render of a version: it is labelled so on the player and in words,
// and it says when the draft has changed since it was made.

import { send } from "./api.js";
import { fill, h, toast } from "./dom.js";
import { formatTime } from "./format.js";

export function createPreviewPanel(draftId, { onTime = () => {} } = {}) {
  const button = h("button", { type: "button", id: "preview-button", class: "primary" }, "Preview");
  const status = h("p", { class: "preview-status", id: "preview-status", role: "status", "aria-live": "polite" },
    "A quick, low-resolution look at the draft as it is now, saved or not. It is not a render of a version.");
  const result = h("div", { class: "preview-result" });
  const element = h("section", {
    class: "panel preview", id: "preview-panel", "aria-labelledby": "preview-title", dataset: { state: "none", stale: "false" },
  },
  h("h2", { id: "preview-title", text: "Preview" }),
  h("div", { class: "preview-actions" }, button),
  status, result);
  let preview = null;
  let header = null;
  let blocked = "";
  let busy = false;

  function updateButton() {
    const empty = header && !header.segment_count;
    button.disabled = busy || Boolean(blocked) || Boolean(empty);
    button.textContent = busy ? "Making preview…" : preview ? "Update preview" : "Preview";
    button.title = empty ? "Nothing to preview: the draft is empty." : blocked;
  }

  function describe() {
    if (!preview) return;
    const stale = header && header.current_version !== preview.revision;
    element.dataset.stale = String(Boolean(stale));
    const what = preview.unsaved_changes || !preview.last_saved_version
      ? "unsaved changes included"
      : `same as saved version ${preview.last_saved_version}`;
    status.textContent = `Preview at ${preview.width}×${preview.height}, made ${formatTime(preview.made_at)} (${what}). Not a render of a version.`
      + (stale ? " Out of date: the draft changed since; update the preview." : "");
  }

  function showVideo() {
    const video = h("video", {
      id: "preview-video", controls: true, preload: "auto", playsinline: true,
      src: `${preview.video_url}#t=0.1`,
      "aria-label": "Preview of the draft as it is now (low resolution; not a render of a version)",
    });
    const follow = (event) => onTime(Math.round(video.currentTime * 1_000_000), event?.type === "play");
    for (const name of ["timeupdate", "seeked", "play"]) video.addEventListener(name, follow);
    fill(result, h("figure", { class: "preview-frame" },
      h("span", { class: "preview-badge", "aria-hidden": "true", text: "Preview" }),
      video,
      h("figcaption", { class: "muted", text: "Preview only: made fast at low resolution. Render MP4 makes the video of a saved version." })));
  }

  async function make() {
    busy = true;
    element.dataset.state = "making";
    updateButton();
    status.textContent = "Making a preview of the draft as it is now…";
    try {
      const response = await send(`ui/api/drafts/${encodeURIComponent(draftId)}/preview`, { method: "POST" });
      preview = await response.json();
      element.dataset.state = "ready";
      showVideo();
      describe();
      // The preview just asked for is what the playhead follows.
      onTime(0, true);
    } catch (error) {
      element.dataset.state = preview ? "ready" : "failed";
      status.textContent = `Could not make a preview: ${error.message}`;
      toast(`Could not make a preview: ${error.message}`, "error");
    } finally {
      busy = false;
      updateButton();
    }
  }

  button.addEventListener("click", make);
  return {
    element,
    video: () => result.querySelector("video"),
    seek(us) {
      const video = result.querySelector("video");
      if (video) video.currentTime = us / 1_000_000;
    },
    /** The draft's header changed: the preview may be out of date now. */
    setHeader(next) {
      header = next;
      describe();
      updateButton();
    },
    /** Previews are not possible (`reason`), or possible again (""). */
    block(reason) {
      blocked = reason;
      updateButton();
    },
  };
}
