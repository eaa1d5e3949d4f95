// How the cron commands (`patchcast forecast`, `plan`, `backtest`) report: their exit statuses, a
// usage error or a failure on stderr, and the JSON lines of an --all run. Writes only to the
// streams it is given; not thread-safe.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "server/command_line.h"

namespace patchcast::server {

// Exit statuses of the cron commands. A failure outranks a skip.
enum ExitStatus : int {
  kExitOk = 0,           // every series asked for was made
  kExitFailed = 1,       // at least one series failed (an unknown series, a store error, ...)
  kExitUsage = 2,        // the command line is wrong; nothing was done
  kExitUnreachable = 3,  // the database could not be opened, or the server could not be reached
  kExitSkipped = 4,      // none failed, but some series were skipped: too little history yet
};

// Prints "patchcast <name>: <message>", a blank line and the command's help on `err`; returns
// kExitUsage.
int UsageError(std::ostream& err, const CommandSpec& spec, std::string_view message);

// Prints "patchcast <name>: <error's message>" on `err`; returns kExitUnreachable for kUnavailable
// (the database or the server could not be reached), else kExitFailed.
int Failure(std::ostream& err, const CommandSpec& spec, const Error& error);

// Prints `text` (a command's result: a document, CSV, a calendar) on `out` as it is and returns
// kExitOk; for an error, does what Failure does.
int PrintOutcome(std::ostream& out, std::ostream& err, const CommandSpec& spec,
                 const Result<std::string>& text);

// Makes one series (forecasts it, plans it); returns the document made.
using MakeSeries = std::function<Result<nlohmann::json>(const std::string& series_id)>;
// The members of a made series' line after "series", from its document.
using SummarizeSeries = std::function<nlohmann::json(const nlohmann::json& document)>;

// Runs an --all command over `series_ids` (or fails with the error that listing them gave):
// makes each in turn and prints one JSON line for it, {"series", …summarize(document)} on `out`;
// a series that cannot be made yet (kUnprocessable: too little history) {"series","skipped":
// message} on `out`; any other error {"series","error":message} on `err`. Stops at the first
// kUnavailable error (the database or the server went away: the rest would fail too), printed
// as Failure does. Returns Failure's status for a listing error or a stop; else kExitFailed when
// a series failed, kExitSkipped when none failed but one was skipped, kExitOk otherwise.
int RunAllSeries(const CommandSpec& spec, const Result<std::vector<std::string>>& series_ids,
                 const MakeSeries& make, const SummarizeSeries& summarize, std::ostream& out,
                 std::ostream& err);

}  // namespace patchcast::server
