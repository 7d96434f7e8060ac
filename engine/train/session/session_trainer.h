// Trains the session model (engine/serving/session_model.h) on the listening sessions of
// shipped logs: for every play after a session's first track, the query of the plays
// before it (the serving state, folded with the options' feedback rule) predicts its
// listen time,
//
//   predicted = sigmoid(dot(S / Z, target[t]) + bias[t] + offset) * gamma^k,
//
// and SGD lowers the cross-entropy between the logged time and the prediction, moving
// the target row and bias of the played track, the context rows of every earlier play
// (their weight in the query is fixed by the feedback rule), the offset and gamma (k,
// the earlier plays of t's artist in the session, comes from the catalog). A track that
// was already played in the session is neither a target nor folded again: the listener
// gives it 0 whatever their taste (docs/contracts.md §8).
//
// Trained only on what the logs and the catalog say, never on the world's hidden
// embeddings or the users' interests.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

#include "base/status.h"
#include "engine/serving/session_model.h"
#include "engine/train/session/listening_sessions.h"
#include "engine/train/session/session_options.h"

namespace botify::train::session {

struct TrainedSessionModel {
  serving::SessionModelTables tables;
  // Tracks whose target vector was trained: played as a target (with shared artists: any
  // track of an artist with a played target). The only candidates worth listing.
  std::vector<bool> trained_target;
};

// How well a model predicts the logged listen times of a set of sessions.
struct SessionFit {
  std::size_t targets = 0;  // plays scored
  double log_loss = 0;      // mean cross-entropy
  double rmse = 0;          // root mean squared error of the predicted time
};

struct SessionEpochReport {
  std::size_t epoch = 0;  // 1-based
  std::size_t epochs = 0;
  SessionFit train;       // as seen during the epoch (the model moving)
  SessionFit validation;  // after the epoch; targets == 0 without validation sessions
};
using SessionEpochCallback = std::function<void(const SessionEpochReport&)>;

// `artist_of` has one artist per track id (the catalog); every session's tracks must be
// below its size (InvalidArgument otherwise). `validation` sessions are only scored.
// No target in `train`: InvalidArgument.
Result<TrainedSessionModel> TrainSessionModel(const ListeningSessions& train,
                                              const ListeningSessions& validation,
                                              std::span<const ArtistId> artist_of,
                                              const SessionTrainOptions& options,
                                              const SessionEpochCallback& on_epoch = {});

// Scores `sessions` with a model exactly as serving folds and scores (SessionModel).
SessionFit EvaluateSessionModel(const serving::SessionModel& model,
                                const ListeningSessions& sessions,
                                std::span<const ArtistId> artist_of);

}  // namespace botify::train::session
