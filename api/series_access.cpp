#include "api/series_access.h"

#include "forecasting/series.h"

namespace patchcast::api {

Result<std::string> VisibleSeriesId(const Request& request) {
  const std::string& id = request.path_params.at("id");
  if (Status valid = forecasting::ValidateSeriesId(id); !valid) return valid.error();
  if (!request.principal->MaySee(id)) return NotFound("series '" + id + "' does not exist");
  return id;
}

}  // namespace patchcast::api
