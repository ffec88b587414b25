// Numbers and times as a person reads them. Durations arrive in integer microseconds.

const SECOND = 1_000_000;

/** 12_500_000 -> "0:12.5"; 3_723_000_000 -> "1:02:03.0". */
export function formatDuration(us) {
  const tenths = Math.round((us || 0) / (SECOND / 10));
  const seconds = Math.floor(tenths / 10);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = `${String(seconds % 60).padStart(2, "0")}.${tenths % 10}`;
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

/** A ruler label: whole seconds as m:ss, or with tenths when the step is below a second. */
export function rulerLabel(us, stepUs) {
  if (stepUs < SECOND) return formatDuration(us);
  const seconds = Math.round(us / SECOND);
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

export function formatCanvas(width, height) {
  return `${width}×${height}`;
}

function sameDay(a, b) {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth()
    && a.getDate() === b.getDate();
}

/** "10:42" today, "24 Nov, 10:42" on another day. */
export function formatTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  const time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (sameDay(date, new Date())) return time;
  return `${date.toLocaleDateString([], { day: "numeric", month: "short" })}, ${time}`;
}

export function formatDateTime(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleString([], {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
    second: "2-digit",
  });
}

/** "just now", "2 min ago", "3 h ago", or the date. */
export function relativeTime(iso, now = Date.now()) {
  if (!iso) return "";
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return formatTime(iso);
}

/**
 * The save-status line of a draft header (as get_draft_info gives it):
 * `{state: "saved" | "unsaved" | "empty" | "never", text}`.
 */
export function saveStatus(header) {
  const version = header.last_saved_version;
  if (!version) {
    if (!header.current_version) return { state: "empty", text: "Empty draft, not saved yet" };
    return {
      state: "never",
      text: `Never saved · unsaved changes since ${formatTime(header.created_at)}`,
    };
  }
  if (header.unsaved_changes) {
    return {
      state: "unsaved",
      text: `Unsaved changes since ${formatTime(header.last_saved_at)}`
        + ` · last saved as version ${version}`,
    };
  }
  return {
    state: "saved",
    text: `Saved as version ${version}, ${relativeTime(header.last_saved_at)}`,
  };
}

export function plural(count, noun, pluralNoun = `${noun}s`) {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
