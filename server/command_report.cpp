#include "server/command_report.h"

namespace patchcast::server {
namespace {

void PrintLine(std::ostream& stream, const nlohmann::json& line) {
  stream << line.dump() << '\n' << std::flush;
}

// Tallies the series of an --all run and prints each one's line.
class AllSeriesReport {
 public:
  AllSeriesReport(std::ostream& out, std::ostream& err, const SummarizeSeries& summarize)
      : out_(out), err_(err), summarize_(summarize) {}

  void Made(const std::string& series_id, const nlohmann::json& document) {
    nlohmann::json line = {{"series", series_id}};
    line.update(summarize_(document));
    PrintLine(out_, line);
  }

  void Error(const std::string& series_id, const patchcast::Error& error) {
    if (error.code == ErrorCode::kUnprocessable) {
      ++skipped_;
      PrintLine(out_, {{"series", series_id}, {"skipped", error.message}});
    } else {
      ++failed_;
      PrintLine(err_, {{"series", series_id}, {"error", error.message}});
    }
  }

  int ExitCode() const { return failed_ > 0 ? kExitFailed : skipped_ > 0 ? kExitSkipped : kExitOk; }

 private:
  std::ostream& out_;
  std::ostream& err_;
  const SummarizeSeries& summarize_;
  int failed_ = 0;
  int skipped_ = 0;
};

}  // namespace

int UsageError(std::ostream& err, const CommandSpec& spec, std::string_view message) {
  err << "patchcast " << spec.name << ": " << message << "\n\n" << CommandHelp(spec) << std::flush;
  return kExitUsage;
}

int Failure(std::ostream& err, const CommandSpec& spec, const Error& error) {
  err << "patchcast " << spec.name << ": " << error.message << '\n' << std::flush;
  return error.code == ErrorCode::kUnavailable ? kExitUnreachable : kExitFailed;
}

int PrintOutcome(std::ostream& out, std::ostream& err, const CommandSpec& spec,
                 const Result<std::string>& text) {
  if (!text) return Failure(err, spec, text.error());
  out << *text << std::flush;
  return kExitOk;
}

int RunAllSeries(const CommandSpec& spec, const Result<std::vector<std::string>>& series_ids,
                 const MakeSeries& make, const SummarizeSeries& summarize, std::ostream& out,
                 std::ostream& err) {
  if (!series_ids) return Failure(err, spec, series_ids.error());
  AllSeriesReport report(out, err, summarize);
  for (const std::string& series_id : *series_ids) {
    auto document = make(series_id);
    if (!document && document.error().code == ErrorCode::kUnavailable) {
      return Failure(err, spec, document.error());
    }
    if (document) {
      report.Made(series_id, *document);
    } else {
      report.Error(series_id, document.error());
    }
  }
  return report.ExitCode();
}

}  // namespace patchcast::server
