#include "forecasting/run_log.h"

#include "core/enum_names.h"

namespace patchcast::forecasting {
namespace {

constexpr EnumNames<RunStatus, 3> kStatusNames{{
    {RunStatus::kOk, "ok"},
    {RunStatus::kFailed, "failed"},
    {RunStatus::kSkipped, "skipped"},
}};

}  // namespace

std::string_view ToString(RunStatus status) { return NameOf(kStatusNames, status); }

Result<RunStatus> ParseRunStatus(std::string_view text) {
  return ParseName(kStatusNames, "run status", text);
}

}  // namespace patchcast::forecasting
