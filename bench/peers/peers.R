# peers.R: fits the peer forecasters of issue 5 on the splits that forecast_export wrote, scores
# them exactly as forecasting/backtest.cpp scores our model, and writes DIR/peers.csv (same columns
# as DIR/ours.csv, so that summarize.awk reduces both the same way).
#
# Usage: Rscript bench/peers/peers.R DIR [HISTORY_DAYS [PROPHET_MAX_DAYS]]
#   DIR           forecast_export's output: series.csv, events.csv, splits.csv
#   HISTORY_DAYS  history each peer is fitted on, the last days before the split's history_end;
#                 default 0 = all of it, as our model (see "History" below)
#   PROPHET_MAX_DAYS  fit Prophet only on a split whose history spans at most this many days
#                 (default 0 = on every split); mstl is fitted on every split. At 1-minute steps
#                 Prophet takes 38 s on 8 days of history on one core, and a fit on 35 days or
#                 on a year was still running after ten and nine minutes (run_family_peers.sh)
#
# Methods, per split (history = steps with ds < history_end, i.e. ending at or before as_of; the
# forecast covers forecast_start .. horizon_end, 14 days; the scored window and the peak search are
# the split's, see forecast_export.cpp):
#  prophet    Prophet 1.0 (Debian r-cran-prophet): linear trend, daily and weekly seasonality
#             (yearly off: at most 20 months of data), additive (the default), every release and
#             out-of-band release of events.csv as a holiday named by its kind on its UTC date with
#             lower_window 0 and upper_window 3 (the release day and the 3 days after; Prophet's
#             holiday effects are whole days, constant within a day). MAP fit (mcmc.samples 0, the
#             default). p50 = yhat; p90 and p99 = the 0.9 and 0.99 quantiles of one draw of
#             uncertainty.samples = 1000 (the default) posterior-predictive samples
#             (predictive_samples), i.e. the upper ends of Prophet's 80 % and 98 % intervals
#             computed from a single sampling pass instead of two predict() calls.
#  mstl       forecast 8.20 (Debian r-cran-forecast): stlf() on msts(y, seasonal.periods = a day
#             and a week in steps: c(24, 168) hourly, c(288, 2016) at 5 minutes, c(1440, 10080)
#             at 1 minute), i.e. mstl() decomposition + ETS ("ZZN") on the seasonally adjusted
#             series, seasonal components repeated. Gaps are interpolated by mstl (na.interp).
#             p50 = the point forecast; p90 and p99 = the upper ends of its 80 % and 98 %
#             intervals.
# Neither sees anything our model does not: the same history and the same event list.
#
# Scores (as Backtest's Score): peak error % of the forecast's maximum p50 over [peak_from,
# window_end] against the actual maximum there; timing error in minutes between their steps (first
# maximum); MAPE of p50 over the window's steps with actual > 0; coverage = share of the window's
# steps with data at or below p90 / p99 (one-sided, as for our model).
#
# fit_predict_seconds: wall clock of model construction + fit + forecast of the horizon (+ the
# sampling for Prophet's quantiles), excluding reading files; single-threaded (Stan's optimizer
# and R's reference BLAS).
#
# History: by default the peers get all of it, like our model in Backtest (8 to 19 months before
# as_of): Prophet then takes 3 to 8 s per split on one core, about 80 s for the 12 splits with
# mstl. HISTORY_DAYS = 180 (about six past releases for the holiday effects, 25 weekly cycles for
# mstl) saved little when measured (Prophet's median 5.3 s against 5.6 s) and moved its median
# peak error from 15.0 % to 13.3 %; mstl's did not change.

Sys.setenv(TZ = "UTC")  # else R asks timedatectl, which warns in containers
suppressPackageStartupMessages({
  library(prophet)
  library(forecast)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1 || length(args) > 3) {
  stop("usage: Rscript peers.R DIR [HISTORY_DAYS [PROPHET_MAX_DAYS]]")
}
dir <- args[[1]]
days_argument <- function(position, name) {
  days <- if (length(args) >= position) suppressWarnings(as.numeric(args[[position]])) else 0
  if (is.na(days) || days < 0) stop(name, " must be a number >= 0")
  days
}
history_days <- days_argument(2, "HISTORY_DAYS")
prophet_max_days <- days_argument(3, "PROPHET_MAX_DAYS")

utc <- function(text) as.POSIXct(text, format = "%Y-%m-%dT%H:%M:%SZ", tz = "UTC")
read <- function(name) {
  read.csv(file.path(dir, name), stringsAsFactors = FALSE, na.strings = "")
}

series <- read("series.csv")
series$ds <- utc(series$ds)
events <- read("events.csv")
splits <- read("splits.csv")
for (column in c("start", "as_of", "history_end", "forecast_start", "horizon_end",
                 "window_start", "window_end", "peak_from", "actual_peak_ts")) {
  splits[[column]] <- utc(splits[[column]])
}
step_seconds <- as.numeric(difftime(series$ds[2], series$ds[1], units = "secs"))
if (86400 %% step_seconds != 0) {
  stop("peers.R expects a step that divides a day, got ", step_seconds, " s")
}

holidays <- data.frame(
  holiday = events$kind,
  ds = as.Date(utc(events$start), tz = "UTC"),
  lower_window = 0,
  upper_window = 3,
  stringsAsFactors = FALSE
)

# Scores one method's p50/p90/p99 (vectors over the forecast steps `ds`) on a split, as Backtest.
score <- function(split, ds, p50, p90, p99) {
  in_window <- ds >= split$window_start & ds <= split$window_end
  actual <- series$y[match(ds[in_window], series$ds)]
  p50 <- p50[in_window]
  p90 <- p90[in_window]
  p99 <- p99[in_window]
  window_ds <- ds[in_window]
  known <- !is.na(actual)
  positive <- known & actual > 0
  peak_range <- which(window_ds >= split$peak_from)
  peak_at <- peak_range[which.max(p50[peak_range])]
  data.frame(
    peak_error_pct = 100 * (p50[peak_at] - split$actual_peak) / split$actual_peak,
    timing_error_minutes =
      as.numeric(difftime(window_ds[peak_at], split$actual_peak_ts, units = "mins")),
    mape_pct = 100 * mean(abs(p50[positive] - actual[positive]) / actual[positive]),
    coverage_p90 = mean(actual[known] <= p90[known]),
    coverage_p99 = mean(actual[known] <= p99[known]),
    window_steps = sum(known)
  )
}

fit_prophet <- function(history, future_ds) {
  m <- prophet(history, holidays = holidays, yearly.seasonality = FALSE,
               weekly.seasonality = TRUE, daily.seasonality = TRUE,
               uncertainty.samples = 1000)
  future <- data.frame(ds = future_ds)
  # The point forecast without predict()'s own sampling, then one sampling pass for both levels.
  samples <- m$uncertainty.samples
  m$uncertainty.samples <- 0
  p50 <- predict(m, future)$yhat
  m$uncertainty.samples <- samples
  draws <- predictive_samples(m, future)$yhat
  list(p50 = p50,
       p90 = apply(draws, 1, quantile, probs = 0.9, names = FALSE),
       p99 = apply(draws, 1, quantile, probs = 0.99, names = FALSE))
}

fit_mstl <- function(history, future_ds) {
  y <- msts(history$y, seasonal.periods = c(86400, 7 * 86400) / step_seconds)
  f <- stlf(y, h = length(future_ds), level = c(80, 98))
  list(p50 = as.numeric(f$mean),
       p90 = as.numeric(f$upper[, "80%"]),
       p99 = as.numeric(f$upper[, "98%"]))
}

methods <- list(prophet = fit_prophet, mstl = fit_mstl)

set.seed(20070816)  # Prophet's posterior-predictive draws: the same table on every run
rows <- list()
for (i in seq_len(nrow(splits))) {
  split <- splits[i, ]
  keep <- series$ds < split$history_end
  if (history_days > 0) keep <- keep & series$ds >= split$history_end - history_days * 86400
  history <- series[keep, ]
  future_ds <- seq(split$forecast_start, split$horizon_end - step_seconds, by = step_seconds)
  span_days <- as.numeric(difftime(split$history_end, min(history$ds), units = "days"))
  for (name in names(methods)) {
    if (name == "prophet" && prophet_max_days > 0 && span_days > prophet_max_days) {
      message(sprintf("peers.R: %-30s prophet skipped: %.0f days of history, more than %g",
                      split$event_id, span_days, prophet_max_days))
      next
    }
    started <- proc.time()[["elapsed"]]
    f <- suppressMessages(methods[[name]](history, future_ds))
    seconds <- proc.time()[["elapsed"]] - started
    s <- score(split, future_ds, f$p50, f$p90, f$p99)
    rows[[length(rows) + 1]] <- cbind(
      data.frame(method = name, event_id = split$event_id, stringsAsFactors = FALSE), s,
      data.frame(fit_predict_seconds = seconds))
    message(sprintf("peers.R: %-30s %-7s peak %+6.1f %%  timing %+6.0f min  %.2f s",
                    split$event_id, name, s$peak_error_pct, s$timing_error_minutes, seconds))
  }
}
out <- do.call(rbind, rows)
write.csv(out, file.path(dir, "peers.csv"), row.names = FALSE, quote = FALSE)
history_note <- if (history_days > 0) paste(history_days, "days") else "all"
if (prophet_max_days > 0) {
  history_note <- sprintf("%s; prophet only on histories of up to %g days", history_note,
                          prophet_max_days)
}
message(sprintf("peers.R: prophet %s, forecast %s, %s; history %s",
                format(packageVersion("prophet")), format(packageVersion("forecast")),
                R.version.string, history_note))
