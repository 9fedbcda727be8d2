// Draws the statistics page's charts from its tables, so the figures exist once (in the
// accessible tables) and a chart can never disagree with them. Chart.js is loaded by a
// deferred classic script later in the page, which sets window.Chart.

const BLUE = "#1d70b8";
const TEXT = "#0b0c0c";

/** Chart.js, once its deferred script has run: deferred scripts run in document order, all before DOMContentLoaded. */
function chartLibrary() {
  if (window.Chart) return Promise.resolve(window.Chart);
  return new Promise((resolve) => {
    const done = () => resolve(window.Chart ?? null);
    document.addEventListener("DOMContentLoaded", done, { once: true });
    window.addEventListener("load", done, { once: true });
  });
}

/** Each row of the table's body: its heading cell's text, and the number (null where the count is suppressed). */
function rowsOf(table) {
  return [...table.tBodies[0].rows].map((row) => {
    const label = row.cells[0].textContent.trim();
    const cell = row.querySelector("[data-value], [data-suppressed]");
    const value = cell?.hasAttribute("data-value") ? Number(cell.getAttribute("data-value")) : null;
    // A suppressed bar is left out, and its label says why, so the gap is not read as nought.
    return { label: value === null ? `${label} (<5)` : label, value };
  });
}

function draw(Chart, box) {
  const table = document.getElementById(box.dataset.chartFor);
  const canvas = box.querySelector("canvas");
  if (!table || !canvas) return;
  const rows = rowsOf(table);
  const horizontal = rows.length > 6;
  // Chart.js fills its box: the box's height is set through the CSSOM, which the content security policy allows.
  box.style.height = `${horizontal ? Math.max(240, rows.length * 34 + 60) : 300}px`;
  box.hidden = false;
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: rows.map((r) => r.label),
      datasets: [{ label: table.caption ? table.caption.textContent.trim() : "", data: rows.map((r) => r.value), backgroundColor: BLUE }],
    },
    options: {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 300 },
      plugins: { legend: { display: false }, tooltip: { enabled: true } },
      scales: {
        x: { ticks: { color: TEXT, precision: 0 }, beginAtZero: true },
        y: { ticks: { color: TEXT, precision: 0 }, beginAtZero: true },
      },
    },
  });
}

const boxes = [...document.querySelectorAll("[data-chart-for]")];
if (boxes.length) {
  const Chart = await chartLibrary();
  // Without Chart.js the charts stay hidden and the tables say it all.
  if (Chart) {
    Chart.defaults.font.family = "arial, sans-serif";
    Chart.defaults.font.size = 14;
    for (const box of boxes) draw(Chart, box);
  }
}
