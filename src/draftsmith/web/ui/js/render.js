// Rendering the latest saved version to MP4: start, a live progress bar, then play and download.

import { call, download, draftUrlFor } from "./api.js";
import { fill, h, sleep, toast } from "./dom.js";
import { formatTime } from "./format.js";

const POLL_MS = 1000;
const ACTIVE = new Set(["pending", "processing"]);
const STATE_TEXT = {
  pending: "Waiting to start",
  processing: "Rendering",
  completed: "Rendered",
  failed: "Render failed",
};

/** "Rendered", "Rendering 42 %"... for a gen_video_status answer; "" when there is none. */
export function renderStateText(job) {
  if (!job || !job.status) return "";
  const text = STATE_TEXT[job.status] || job.status;
  return ACTIVE.has(job.status) ? `${text} ${Math.round(job.progress || 0)} %` : text;
}

/** The render state of a draft, or null when it has no render job (or rendering is off). */
export async function renderStatus(draftId, options = {}) {
  try {
    return await call("gen_video_status", { draft_url: draftUrlFor(draftId) }, options);
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

export function createRenderPanel(draftId, { available, getHeader }) {
  const status = h("p", { class: "render-status", role: "status", "aria-live": "polite" });
  const bar = h("progress", { id: "render-progress", max: 100, value: 0, "aria-label": "Render progress" });
  const percent = h("span", { class: "percent", "aria-hidden": "true" });
  const progress = h("div", { class: "progress-row", hidden: true }, bar, percent);
  const result = h("div", { class: "render-result" });
  const button = h("button", { type: "button", id: "render-button", class: "primary", disabled: !available },
    "Render MP4");
  const element = h("section", { class: "panel render", "aria-labelledby": "render-title" },
    h("h2", { id: "render-title", text: "Render" }),
    available ? null : h("p", { class: "muted", text: "Rendering is not available on this server." }),
    h("div", { class: "render-actions" }, button), status, progress, result);
  let polling = false;
  let stopped = false;
  let shownVideo = null;

  function show(answer) {
    const job = answer && STATE_TEXT[answer.status] ? answer : null;
    element.dataset.state = job ? job.status : "none";
    if (!job) {
      status.textContent = "Not rendered yet. Rendering uses the latest saved version.";
      progress.hidden = true;
      fill(result);
      return;
    }
    const when = job.completed_at || job.started_at || job.created_at;
    status.textContent = `${renderStateText(job)}${when ? ` · ${formatTime(when)}` : ""}`;
    progress.hidden = !ACTIVE.has(job.status) && job.status !== "completed";
    bar.value = job.status === "completed" ? 100 : Math.round(job.progress || 0);
    percent.textContent = `${bar.value} %`;
    if (job.status === "failed") {
      fill(result, h("p", { class: "notice error", text: job.error_message || "The render failed for an unknown reason." }));
      shownVideo = null;
    } else if (job.status === "completed" && job.video_url && job.video_url !== shownVideo) {
      shownVideo = job.video_url;
      const name = `${draftId}.mp4`;
      fill(result,
        h("video", { id: "render-video", controls: true, preload: "metadata", src: job.video_url, playsinline: true }),
        h("p", {}, h("a", {
          href: job.video_url, class: "button", download: name,
          onclick: (event) => {
            event.preventDefault();
            download(job.video_url, name).catch((error) => toast(`Download failed: ${error.message}`, "error"));
          },
        }, "Download MP4")));
    } else if (job.status !== "completed") {
      fill(result);
      shownVideo = null;
    }
    button.disabled = !available || ACTIVE.has(job.status);
  }

  async function poll() {
    if (polling) return;
    polling = true;
    try {
      while (!stopped) {
        const job = await renderStatus(draftId);
        show(job);
        if (!job || !ACTIVE.has(job.status)) return;
        await sleep(POLL_MS);
      }
    } catch (error) {
      status.textContent = `Render state unknown: ${error.message}`;
    } finally {
      polling = false;
    }
  }

  async function start() {
    const header = getHeader();
    if (header && !header.last_saved_version) {
      toast("Save the draft first: rendering uses the latest saved version.", "error");
      return;
    }
    button.disabled = true;
    try {
      await call("gen_video", { draft_url: draftUrlFor(draftId) });
      toast("Render started.");
      poll();
    } catch (error) {
      toast(`Could not start the render: ${error.message}`, "error");
      button.disabled = false;
    }
  }

  button.addEventListener("click", start);
  if (available) poll();
  else element.dataset.state = "unavailable";
  return { element, refresh: () => available && poll(), stop: () => { stopped = true; } };
}
