// The call-back queue, live: poll how the queue stands (counts only, nothing about any child)
// and, when it changes, fetch the queue's tables again. Without JavaScript the page still works
// by reloading.
const queue = document.getElementById("queue");
const status = document.getElementById("queue-status");
const POLL_MS = Number(queue?.dataset.pollMs ?? 5000);

if (queue && status) {
  let last = queue.dataset.signal ?? "";
  let timer;
  const poll = async () => {
    try {
      const res = await fetch("/duty/queue/signal", {
        headers: { accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (res.redirected) {
        // The session has ended (idle, or signed out elsewhere): stop, and say so.
        clearInterval(timer);
        status.textContent = "You have been signed out. Reload the page to sign in again.";
        return;
      }
      if (!res.ok) return;
      const signal = await res.text();
      if (signal === last) return;
      const before = JSON.parse(last || "{}");
      last = signal;
      const tables = await fetch("/duty/queue/tables", { credentials: "same-origin", cache: "no-store" });
      if (!tables.ok) return;
      queue.innerHTML = await tables.text();
      const now = JSON.parse(signal);
      if ((now.latest ?? 0) > (before.latest ?? 0)) status.textContent = "A new enquiry has arrived.";
      else status.textContent = "The queue has been updated.";
    } catch {
      // A network blip: try again on the next tick.
    }
  };
  timer = setInterval(poll, POLL_MS);
}
