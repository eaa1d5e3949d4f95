# summarize_family.awk: reduces the per-draw scores of forecast_family_bench's export (ours.csv:
# patchcast-annotated, patchcast = no annotations, seasonal-naive) and of peers.R (peers.csv:
# prophet, mstl) to one table per number of past releases (issue 11, "peers in the same run").
# Each file holds one row per method for one draw; its path names the cell and the draw,
# .../past_<n>/draw_<d>/{ours,peers}.csv. Columns as summarize.awk reads them: method, event_id,
# peak_error_pct, timing_error_minutes, mape_pct, coverage_p90, coverage_p99, window_steps,
# fit_predict_seconds, all scored over the release window (see run_family_peers.sh).
#
# Per method, over draws (never one draw): n = draws with a MAPE; median and p90 of |peak error|;
# median signed peak error; median |timing error|; median and p90 of MAPE; median p99 coverage;
# the share of the draws scored for both where its MAPE is below seasonal naive's, and below
# mstl's. Quantiles interpolate linearly between order statistics, as forecast_family_bench's
# Quantile (so a median of an even count is the mean of the two middle values). Empty cells (NaN)
# are left out; "n/a" marks a figure with nothing to reduce. POSIX awk (mawk).
#
# Usage: awk -f summarize_family.awk DIR/past_*/draw_*/ours.csv [DIR/past_*/draw_*/peers.csv]
BEGIN {
  FS = ","
  order = "patchcast-annotated patchcast seasonal-naive prophet mstl"
  nmethods = split(order, methods, " ")
  label["patchcast-annotated"] = "patchcast annotated"
  label["patchcast"] = "patchcast no annotations"
  label["seasonal-naive"] = "seasonal naive"
  label["prophet"] = "prophet (holidays 0..+3 d)"
  label["mstl"] = "mstl/stlf (day, week)"
}
FNR == 1 {
  if (!match(FILENAME, /past_[0-9]+\//)) { fail("no past_<n>/ in the path " FILENAME) }
  past = substr(FILENAME, RSTART + 5, RLENGTH - 6) + 0
  if (!match(FILENAME, /draw_[0-9]+\//)) { fail("no draw_<d>/ in the path " FILENAME) }
  draw = substr(FILENAME, RSTART + 5, RLENGTH - 6) + 0
  if (!(past in seen_past)) { seen_past[past] = 1; pasts[++npasts] = past }
  if (!((past, draw) in seen_draw)) { seen_draw[past, draw] = 1; draws[past]++ }
  next
}
{
  m = $1
  if (!(m in label)) { label[m] = m; methods[++nmethods] = m }
  key = past SUBSEP m
  rows[key]++
  if ($5 != "") { n[key]++; mape_of[key, draw] = $5; mape[key, n[key]] = $5 }
  if ($3 != "") { k = ++npeak[key]; abs_peak[key, k] = abs($3); peak[key, k] = $3 }
  if ($4 != "") { timing[key, ++ntiming[key]] = abs($4) }
  if ($7 != "") { cov99[key, ++ncov[key]] = 100 * $7 }
}
function fail(message) {
  print "summarize_family.awk: " message > "/dev/stderr"
  failed = 1
  exit 1
}
function abs(x) { return x < 0 ? -x : x }
# The q-quantile of a[key, 1..count], linear between order statistics; "" when count is 0.
function quantile(a, key, count, q,    i, j, v, s, position, below, w) {
  if (count == 0) return ""
  for (i = 1; i <= count; i++) s[i] = a[key, i] + 0
  for (i = 2; i <= count; i++) {
    v = s[i]
    for (j = i - 1; j >= 1 && s[j] > v; j--) s[j + 1] = s[j]
    s[j + 1] = v
  }
  position = 1 + q * (count - 1)
  below = int(position)
  w = position - below
  return below < count ? s[below] * (1 - w) + s[below + 1] * w : s[below]
}
# Percentage of past p's draws, scored for both, where method m's MAPE is below reference r's.
function beats(p, m, r,    d, pairs, wins) {
  if (m == r) return "-"
  for (d = 0; d < max_draw[p]; d++) {
    if (!((p SUBSEP m, d) in mape_of) || !((p SUBSEP r, d) in mape_of)) continue
    pairs++
    wins += mape_of[p SUBSEP m, d] + 0 < mape_of[p SUBSEP r, d] + 0
  }
  return pairs ? sprintf("%.0f", 100 * wins / pairs) : "n/a"
}
function cell(v, fmt) { return v == "" ? "n/a" : sprintf(fmt, v) }
function row(p, m,    key) {
  key = p SUBSEP m
  printf "  %-27s %3d  %6s %6s  %7s  %7s  %6s %6s  %6s  %6s %6s\n", label[m], n[key],
         cell(quantile(abs_peak, key, npeak[key], 0.5), "%.1f"),
         cell(quantile(abs_peak, key, npeak[key], 0.9), "%.1f"),
         cell(quantile(peak, key, npeak[key], 0.5), "%+.1f"),
         cell(quantile(timing, key, ntiming[key], 0.5), "%.0f"),
         cell(quantile(mape, key, n[key], 0.5), "%.1f"),
         cell(quantile(mape, key, n[key], 0.9), "%.1f"),
         cell(quantile(cov99, key, ncov[key], 0.5), "%.1f"),
         beats(p, m, "seasonal-naive"), beats(p, m, "mstl")
}
END {
  if (failed) exit 1
  # Draw indices run 0..max-1 in every cell; max_draw bounds the pairing loop.
  for (key in seen_draw) {
    split(key, parts, SUBSEP)
    if (parts[2] + 1 > max_draw[parts[1]]) max_draw[parts[1]] = parts[2] + 1
  }
  # Pasts in increasing order (the shell's glob gives past_00, past_01, ..., past_12 already).
  for (i = 2; i <= npasts; i++) {
    v = pasts[i]
    for (j = i - 1; j >= 1 && pasts[j] > v; j--) pasts[j + 1] = pasts[j]
    pasts[j + 1] = v
  }
  for (i = 1; i <= npasts; i++) {
    p = pasts[i]
    printf "%s%d past release%s in the history, %d draws:\n", (i > 1 ? "\n" : ""), p,
           (p == 1 ? "" : "s"), draws[p]
    printf "  %-27s %3s  %13s  %7s  %7s  %13s  %6s  %13s\n", "", "", "|peak err| %", "peak %",
           "|timing|", "MAPE %", "p99", "MAPE beats %"
    printf "  %-27s %3s  %6s %6s  %7s  %7s  %6s %6s  %6s  %6s %6s\n", "method", "n", "med", "p90",
           "med", "med min", "med", "p90", "cov %", "naive", "mstl"
    for (j = 1; j <= nmethods; j++) {
      if ((p SUBSEP methods[j]) in rows) row(p, methods[j])
    }
  }
}
