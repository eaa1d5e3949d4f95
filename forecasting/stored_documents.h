// WithDocuments: whether a listing of stored documents (forecasts, plans) reads their bodies.
//
// A stored document is hundreds of kilobytes (a 7-day plan at 5-minute steps is about 250 KiB);
// callers that only need the keys, or keep the bodies they have seen (an id's document never
// changes), ask for kNo and fetch the few bodies they lack by id.
#pragma once

namespace patchcast::forecasting {

enum class WithDocuments : bool { kNo, kYes };

}  // namespace patchcast::forecasting
