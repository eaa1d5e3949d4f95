#include "api/series_access.h"

#include "forecasting/series.h"

namespace patchcast::api {

Result<std::string> VisibleSeriesId(const Request& request) {
  const std::string& id = request.path_params.at("id");
  if (Status valid = forecasting::ValidateSeriesId(id); !valid) return valid.error();
  if (!request.principal->MaySee(id)) return NotFound("series '" + id + "' does not exist");
  return id;
}

Result<forecasting::StoredDocument> VisibleDocument(
    const Request& request, const forecasting::DocumentRepository& documents,
    forecasting::DocumentKind kind, std::string_view id) {
  auto stored = documents.Get(id);
  if (!stored) return stored.error();
  if (!request.principal->MaySee(stored->series_id)) {
    return NotFound(std::string(forecasting::Noun(kind)) + " '" + std::string(id) +
                    "' does not exist");
  }
  return stored;
}

Result<std::string> ExistingVisibleSeries(const Request& request,
                                          const forecasting::SeriesRepository& series) {
  auto series_id = VisibleSeriesId(request);
  if (!series_id) return series_id.error();
  if (auto found = series.GetSeries(*series_id); !found) return found.error();
  return series_id;
}

}  // namespace patchcast::api
