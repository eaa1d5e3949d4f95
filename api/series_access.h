// Which series a request may touch: the one its path names, if the id is valid and the caller's key
// may see it; and which kept forecasts and plans, those of the series it may see. A key limited to
// a prefix gets the same 404 for another prefix's series or document as for one that does not
// exist, so ids do not leak.
#pragma once

#include <string>
#include <string_view>

#include "api/http_types.h"
#include "core/result.h"
#include "forecasting/document_repository.h"
#include "forecasting/series_repository.h"

namespace patchcast::api {

// Returns the path parameter {id}. Errors: kInvalidArgument for an id that is not 1-128 of
// [A-Za-z0-9._-]; kNotFound "series 'x' does not exist" when the caller may not see it.
// Precondition: the route has an {id} parameter and a principal.
Result<std::string> VisibleSeriesId(const Request& request);

// Returns VisibleSeriesId when the series also exists in `series`. Errors: VisibleSeriesId's;
// the repository's, among them kNotFound "series 'x' does not exist".
Result<std::string> ExistingVisibleSeries(const Request& request,
                                          const forecasting::SeriesRepository& series);

// Returns kept document `id` of `documents`, which holds documents of `kind`, when the caller may
// see its series. Errors: the repository's, among them kNotFound "forecast 'x' does not exist"
// ("plan 'x' …"), which is also the answer for a document of a series the caller may not see.
// Precondition: the request has a principal.
Result<forecasting::StoredDocument> VisibleDocument(
    const Request& request, const forecasting::DocumentRepository& documents,
    forecasting::DocumentKind kind, std::string_view id);

}  // namespace patchcast::api
