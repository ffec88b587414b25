// Rendering the draft to MP4: start, a live progress bar (with Cancel while the
// render is queued or running), then play and download.

import { call, download, draftUrlFor, getJson } from "./api.js";
import { fill, h, toast } from "./dom.js";
import { formatTime } from "./format.js";

const POLL_MS = 1000;
// Renders started elsewhere (the API, another tab) show up within this long.
const IDLE_POLL_MS = 3000;
const ACTIVE = new Set(["pending", "processing"]);
const STATE_TEXT = {
  pending: "Waiting to start",
  processing: "Rendering",
  completed: "Rendered",
  failed: "Render failed",
  cancelled: "Render cancelled",
};

/** "Rendered", "Rendering 42 %"... for a gen_video_status answer; "" when there is none. */
export function renderStateText(job) {
  if (!job || !job.status) return "";
  const text = STATE_TEXT[job.status] || job.status;
  return ACTIVE.has(job.status) ? `${text} ${Math.round(job.progress || 0)} %` : text;
}

/** The latest render job of a draft (as gen_video_status gives it), or null when it has none.
 * Read from the UI's own view, which answers a draft never rendered without an error. */
export async function renderStatus(draftId, options = {}) {
  const answer = await getJson(`ui/api/drafts/${encodeURIComponent(draftId)}/render`, options);
  return answer.job;
}

/** Why the render `job` no longer shows the draft, or "" while it does. */
export function staleness(job, header) {
  if (!job || !header || job.status !== "completed") return "";
  const saved = header.last_saved_version || 0;
  if (saved > job.version) return `the draft was saved as version ${saved} since`;
  if (header.unsaved_changes) return "the draft has unsaved changes since";
  return "";
}

const REPORT_GROUPS = [
  ["not_drawn", "Not drawn"],
  ["approximated", "Approximated"],
  ["exact", "Drawn exactly"],
];

function reportLabel(entry) {
  const feature = entry.feature.replace("_", " ");
  return entry.name ? `${feature} ${entry.name}` : feature;
}

/** What the video draws of the draft (gen_video_status `report`), next to the player. */
function showReport(element, entries) {
  if (!entries || !entries.length) {
    element.hidden = true;
    fill(element);
    return;
  }
  const groups = REPORT_GROUPS.map(([drawn, title]) => {
    const items = entries.filter((entry) => entry.drawn === drawn);
    if (!items.length) return null;
    return h("div", { class: `report-group ${drawn}`, dataset: { drawn } },
      h("h3", { text: `${title} (${items.length})` }),
      h("ul", {}, items.map((entry) => {
        const count = entry.segment_ids.length;
        return h("li", { title: entry.segment_ids.join(", ") },
          h("strong", { text: reportLabel(entry) }),
          entry.how ? `: ${entry.how}` : "",
          h("span", { class: "muted", text: ` (${count} segment${count === 1 ? "" : "s"})` }));
      })));
  });
  element.hidden = false;
  fill(element, h("details", { open: entries.some((entry) => entry.drawn !== "exact") },
    h("summary", { text: "What the video draws" }), groups));
}

export function createRenderPanel(draftId, { available, onTime = () => {}, onReport = () => {} }) {
  const status = h("p", { class: "render-status", role: "status", "aria-live": "polite" });
  const bar = h("progress", { id: "render-progress", max: 100, value: 0, "aria-label": "Render progress" });
  const percent = h("span", { class: "percent", "aria-hidden": "true" });
  const progress = h("div", { class: "progress-row", hidden: true }, bar, percent);
  const result = h("div", { class: "render-result" });
  const report = h("div", { class: "render-report", id: "render-report", hidden: true });
  const button = h("button", { type: "button", id: "render-button", class: "primary", disabled: !available },
    "Render MP4");
  const cancelButton = h("button", { type: "button", id: "render-cancel", hidden: true }, "Cancel render");
  const element = h("section", { class: "panel render", "aria-labelledby": "render-title" },
    h("h2", { id: "render-title", text: "Render" }),
    available ? null : h("p", { class: "muted", text: "Rendering is not available on this server." }),
    h("div", { class: "render-actions" }, button, " ", cancelButton), status, progress, result, report);
  let polling = false;
  let stopped = false;
  let shownVideo = null;
  let activeJob = null;
  let lastJob = null;
  let header = null;
  let blocked = "";
  let known = false;
  let wake = () => {};
  // The "Render started." message, removed once that render has finished.
  let startedToast = null;

  // A pause of the poll loop that refresh() and start() cut short.
  function pause(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => { clearTimeout(timer); resolve(); };
    });
  }

  function updateButton() {
    const active = lastJob && ACTIVE.has(lastJob.status);
    const empty = header && !header.segment_count;
    button.disabled = !available || Boolean(blocked) || Boolean(active) || Boolean(empty);
    const unsaved = header && (header.unsaved_changes || !header.last_saved_version);
    button.textContent = unsaved && !empty ? "Save and render MP4" : "Render MP4";
    button.title = empty ? "Nothing to render: the draft is empty." : blocked;
  }

  function show(answer) {
    const job = answer && STATE_TEXT[answer.status] ? answer : null;
    lastJob = job;
    known = true;
    element.dataset.state = job ? job.status : "none";
    activeJob = job && ACTIVE.has(job.status) ? job.job_id : null;
    cancelButton.hidden = !available || !activeJob;
    showReport(report, job ? job.report : null);
    onReport(job && job.status === "completed" ? job : null);
    updateButton();
    if (startedToast && (!job || !ACTIVE.has(job.status))) {
      startedToast.remove();
      startedToast = null;
    }
    if (!job) {
      element.dataset.stale = "false";
      status.textContent = header && !header.segment_count
        ? "Not rendered yet. Add something to the draft to render it."
        : "Not rendered yet. Rendering saves unsaved changes first.";
      progress.hidden = true;
      fill(result);
      onTime(null);
      return;
    }
    const when = job.completed_at || job.started_at || job.created_at;
    const stale = staleness(job, header);
    element.dataset.stale = String(Boolean(stale));
    status.textContent = `${renderStateText(job)} · version ${job.version}${when ? ` · ${formatTime(when)}` : ""}`
      + (stale ? `. Out of date: ${stale}.` : "");
    progress.hidden = (!ACTIVE.has(job.status) && job.status !== "completed") || Boolean(stale);
    bar.value = job.status === "completed" ? 100 : Math.round(job.progress || 0);
    percent.textContent = `${bar.value} %`;
    if (job.status === "failed") {
      fill(result, h("p", { class: "notice error", text: job.error_message || "The render failed for an unknown reason." }));
      shownVideo = null;
    } else if (job.status === "cancelled") {
      fill(result, h("p", { class: "muted", text: "The render was cancelled. Render MP4 starts it again." }));
      shownVideo = null;
    } else if (job.status === "completed" && job.video_url && job.job_id !== shownVideo) {
      // Keyed by job: a signed video_url changes on every read.
      shownVideo = job.job_id;
      const name = `${draftId}.mp4`;
      // The fragment makes the browser show a frame of the video before it is played.
      const video = h("video", {
        id: "render-video", controls: true, preload: "auto", src: `${job.video_url}#t=0.1`, playsinline: true,
        "aria-label": `Render of version ${job.version}`,
      });
      // The playhead over the timeline follows the video.
      const follow = (event) => onTime(Math.round(video.currentTime * 1_000_000), event.type === "play");
      for (const name of ["timeupdate", "seeked", "loadeddata", "play"]) video.addEventListener(name, follow);
      fill(result,
        video,
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
    if (!result.querySelector("video")) onTime(null);
  }

  async function poll() {
    if (polling) {
      wake();
      return;
    }
    polling = true;
    try {
      while (!stopped) {
        let job = null;
        try {
          job = await renderStatus(draftId, { prompt: false });
          if (stopped) return;
          show(job);
        } catch (error) {
          if (stopped) return;
          status.textContent = `Render state unknown: ${error.message}`;
        }
        await pause(job && ACTIVE.has(job.status) ? POLL_MS : IDLE_POLL_MS);
      }
    } finally {
      polling = false;
    }
  }

  async function start() {
    button.disabled = true;
    try {
      // The server saves unsaved changes first (unless it is strict) and says so in warnings.
      const job = await call("gen_video", { draft_url: draftUrlFor(draftId) });
      const saved = (job.warnings || []).some((w) => w.code === "saved_before_render");
      if (ACTIVE.has(job.status)) {
        startedToast = toast(saved ? `Saved as version ${job.version}; render started.` : "Render started.");
      } else if (job.status === "completed") {
        toast(`Version ${job.version} is rendered already.`);
      }
      show(job);
      poll();
    } catch (error) {
      toast(`Could not start the render: ${error.message}`, "error");
      updateButton();
    }
  }

  async function cancel() {
    if (!activeJob) return;
    cancelButton.disabled = true;
    try {
      const job = await call("cancel_render", { draft_url: draftUrlFor(draftId), job_id: activeJob });
      show(job);
      toast(job.status === "cancelled" ? "Render cancelled." : `The render had already ${job.status === "completed" ? "finished" : job.status}.`);
    } catch (error) {
      toast(`Could not cancel the render: ${error.message}`, "error");
    } finally {
      cancelButton.disabled = false;
    }
  }

  button.addEventListener("click", start);
  cancelButton.addEventListener("click", cancel);
  if (available) poll();
  else element.dataset.state = "unavailable";
  return {
    element,
    video: () => result.querySelector("video"),
    refresh: () => available && poll(),
    /** Move the player to `us` microseconds, when a render is shown. */
    seek(us) {
      const video = result.querySelector("video");
      if (video) video.currentTime = us / 1_000_000;
    },
    stop: () => {
      stopped = true;
      wake();
    },
    /** The draft's header changed: the shown render may be out of date now. */
    setHeader(next) {
      header = next;
      if (available && known) show(lastJob);
      else updateButton();
    },
    /** Rendering is not possible (`reason`), or possible again (""). */
    block(reason) {
      blocked = reason;
      updateButton();
    },
  };
}
