// The distribution a forecast point's quantiles describe, as a whole: the demand at any
// probability (QuantileAt) and the probability that demand exceeds a level (ExceedanceProbability).
// The planner reads its plan quantile and p_exceed from it, the simulation its arrivals. Pure
// functions; thread-safe.
#pragma once

#include <span>

namespace patchcast::forecasting {

// The forecast's quantile function at probability `p` in (0, 1), from `values` at ascending
// `levels` (same size, at least one; values non-decreasing). Between two levels it is linear in
// the log-odds of p. Beyond the outer levels the tails are exponential, with the scale the outer
// two levels imply: above the highest level L_k, P(D > x) = (1 - L_k) exp(-(x - v_k) / theta),
// theta = (v_k - v_{k-1}) / ln((1 - L_{k-1}) / (1 - L_k)); below the lowest, P(D <= x) =
// L_1 exp(-(v_1 - x) / theta_1) likewise, floored at 0. With a single level, or two equal outer
// values, the tail has no spread (theta = 0: all the mass beyond the level sits on it).
double QuantileAt(std::span<const double> levels, std::span<const double> values, double p);

// P(D > x) under the same distribution: the exact inverse of QuantileAt where it is strictly
// increasing. 1 for x below a zero-spread lower tail, 0 above a zero-spread upper tail.
double ExceedanceProbability(std::span<const double> levels, std::span<const double> values,
                             double x);

}  // namespace patchcast::forecasting
