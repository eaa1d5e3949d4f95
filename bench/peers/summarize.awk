# summarize.awk: reduces forecast_export's ours.csv and peers.R's peers.csv (columns method,
# event_id, peak_error_pct, timing_error_minutes, mape_pct, coverage_p90, coverage_p99,
# window_steps, fit_predict_seconds; one row per method and split) to one table, the way
# forecasting/backtest.cpp's Summarize does: medians over events of |peak error|, |timing error|
# and MAPE (the mean of the two middle values for an even count, as MedianInPlace), coverages
# pooled over every scored step (each event weighted by its window_steps), and the median
# fit+predict time. Empty cells (NaN) are left out. POSIX awk (mawk).
#
# Usage: awk -f summarize.awk ours.csv [peers.csv]
BEGIN {
  FS = ","
  order = "patchcast prophet mstl seasonal-naive"
  label["patchcast"] = "patchcast"
  label["prophet"] = "prophet (holidays 0..+3 d)"
  label["mstl"] = "mstl/stlf (24, 168)"
  label["seasonal-naive"] = "seasonal-naive"
}
FNR == 1 { next }
{
  m = $1
  if (!(m in label)) label[m] = m
  if (!(m in events)) { extra = extra " " m }
  events[m]++
  if ($3 != "") { peak[m, ++npeak[m]] = abs($3) }
  if ($4 != "") { timing[m, ++ntiming[m]] = abs($4) }
  if ($5 != "") { mape[m, ++nmape[m]] = $5 }
  if ($6 != "") { cov90[m] += $8 * $6; cov99[m] += $8 * $7; weight[m] += $8 }
  if ($9 != "") { secs[m, ++nsecs[m]] = $9 }
}
function abs(x) { return x < 0 ? -x : x }
# Median of a[m, 1..n]; "" when n is 0.
function median(a, m, n,    i, j, v, s) {
  if (n == 0) return ""
  for (i = 1; i <= n; i++) s[i] = a[m, i] + 0
  for (i = 2; i <= n; i++) {
    v = s[i]
    for (j = i - 1; j >= 1 && s[j] > v; j--) s[j + 1] = s[j]
    s[j + 1] = v
  }
  return n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
}
function cell(v, fmt) { return v == "" ? "n/a" : sprintf(fmt, v) }
function row(m) {
  printf "  %-27s %3d %18s %18s %14s %8s %8s %20s\n", label[m], events[m],
         cell(median(peak, m, npeak[m]), "%.1f"), cell(median(timing, m, ntiming[m]), "%.0f"),
         cell(median(mape, m, nmape[m]), "%.1f"),
         cell(weight[m] > 0 ? cov90[m] / weight[m] : "", "%.3f"),
         cell(weight[m] > 0 ? cov99[m] / weight[m] : "", "%.3f"),
         cell(median(secs, m, nsecs[m]), nsecs[m] && median(secs, m, nsecs[m]) < 0.1 ? "%.4f" : "%.2f")
}
END {
  printf "  %-27s %3s %18s %18s %14s %8s %8s %20s\n", "method", "n", "med |peak err| %",
         "med |timing| min", "med MAPE %", "p90 cov", "p99 cov", "med fit+predict s"
  k = split(order, known, " ")
  for (i = 1; i <= k; i++) if (known[i] in events) row(known[i])
  k = split(extra, others, " ")
  for (i = 1; i <= k; i++) if (!index(" " order " ", " " others[i] " ")) row(others[i])
}
