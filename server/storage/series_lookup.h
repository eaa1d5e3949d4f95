// Telling "no such series" from "nothing stored for it yet" when a per-series read finds no row, so
// that a client polling for a plan or forecast learns which one it is.
#pragma once

#include <string_view>

#include "core/result.h"
#include "server/storage/reader_pool.h"

namespace patchcast::storage {

// Returns kNotFound "series 'x' does not exist" when `series_id` is not a stored series, else
// `nothing_stored` unchanged; a store error when the lookup fails. Thread-safe as the pool is.
Error UnknownSeriesOr(ReaderPool& readers, std::string_view series_id, Error nothing_stored);

}  // namespace patchcast::storage
