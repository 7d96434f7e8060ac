// Trains a ContextualModel on (context, target, time) pairs by SGD on the squared error
//   (time - (dot(context[c], target[t]) + target_bias[t] + context_bias[c] + mean))^2
// plus L2, optionally with random negative targets fitted to time 0.
//
// Parallel and reproducible: tracks fall into kGroups groups (by id or artist); pairs into
// blocks by the groups of their two tracks. A round is a set of blocks that share no
// track, so its blocks run on any threads without races; blocks are processed in a
// seeded order with a seeded per-(epoch, block) generator. The model depends on the
// seed and the pairs only, never on the thread count.
#pragma once

#include <cstddef>
#include <functional>
#include <span>

#include "base/status.h"
#include "engine/catalog/catalog.h"
#include "engine/train/contextual/contextual_model.h"
#include "engine/train/contextual/contextual_options.h"
#include "engine/train/contextual/session_pairs.h"

namespace botify::train::contextual {

struct EpochReport {
  std::size_t epoch = 0;  // 1-based
  std::size_t epochs = 0;
  double train_rmse = 0;       // over the observed pairs, as seen during the epoch
  double validation_rmse = 0;  // over `validation` after the epoch (0 if none)
};

// Called after every epoch, from the calling thread.
using EpochCallback = std::function<void(const EpochReport&)>;

// `tracks`: ids are 0 .. tracks-1; every pair's tracks must be below it (InvalidArgument
// otherwise). `validation` pairs are only scored. Empty `train` is InvalidArgument.
// `artist_of` (empty, or one artist per track): share statistical strength between an
// artist's tracks: a track's vector is its own row plus its artist's row, and the tracks
// of an artist seen in the logs all get a trained vector (an unseen one scores as its
// artist). The artist of a track comes from the catalog, nothing hidden.
Result<ContextualModel> TrainContextual(std::span<const ContextPair> train,
                                        std::span<const ContextPair> validation, std::size_t tracks,
                                        const ContextualOptions& options,
                                        const EpochCallback& on_epoch = {},
                                        std::span<const ArtistId> artist_of = {});

// Root mean squared error of model.PredictTime over `pairs` (0 for none).
double Rmse(const ContextualModel& model, std::span<const ContextPair> pairs);

}  // namespace botify::train::contextual
