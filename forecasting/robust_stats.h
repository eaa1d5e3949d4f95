// Robust statistics the forecasting models share: medians and empirical quantiles of samples,
// Theil-Sen slopes, and the standard normal quantile function.
//
// Pure functions on caller-owned buffers; thread-safe. Functions that take a std::span<double>
// reorder it (they partition in place so that hot loops allocate nothing).
#pragma once

#include <cstddef>
#include <span>
#include <utility>
#include <vector>

namespace patchcast::forecasting {

// Returns the median of `values` (the mean of the two middle values for an even count), reordering
// `values`. NaN entries must have been removed by the caller. Returns NaN for an empty span.
double MedianInPlace(std::span<double> values);

// Returns the robust standard deviation of `values`: 1.4826 times their median absolute deviation
// from their median (the standard deviation, for a normal sample). NaN entries must have been
// removed by the caller. Returns NaN for an empty span.
double RobustSd(std::span<const double> values);

// Returns the weighted median of (value, weight) pairs with weights > 0: the smallest value at
// which the cumulative weight reaches half the total. Sorts `value_weight`. Returns NaN when it is
// empty.
double WeightedMedian(std::vector<std::pair<double, double>>& value_weight);

// Returns the empirical q-quantile of `sorted` (ascending, no NaN) with linear interpolation
// between order statistics (Hyndman & Fan 1996, definition 7, R's default): position
// q * (n - 1). q is clamped to [0, 1]. Returns NaN for an empty span.
double QuantileSorted(std::span<const double> sorted, double q);

// Returns the Theil-Sen slope of the points (x[i], y[i]): the median of the pairwise slopes
// (y[j] - y[i]) / (x[j] - x[i]) over pairs with x[i] != x[j] (Sen 1968). Robust to up to ~29 % of
// outlying points. Returns 0 when fewer than two distinct x are given. O(n^2) time: meant for
// weekly totals (tens of points). Preconditions: x.size() == y.size(), no NaN.
double TheilSenSlope(std::span<const double> x, std::span<const double> y);

// Returns z such that P(Z <= z) = p for a standard normal Z (Acklam's rational approximation,
// relative error < 1.2e-9). p is clamped to [1e-12, 1 - 1e-12].
double NormalQuantile(double p);

// The standard normal's quantile at the midpoint of slice `index` of `count` equal slices of
// probability, (index + 0.5) / count: `count` equally likely values that keep the normal's shape.
double NormalSliceMidpoint(std::size_t index, std::size_t count);

}  // namespace patchcast::forecasting
