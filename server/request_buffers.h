// The memory one connection parses its requests into, reused from request to request, so
// that reading a request allocates nothing once the connection is warm (Beast's default
// parser allocated five times a request: the method and target, each header field, the
// body). Header fields come from a RequestArena; the body reuses the previous request's
// buffer.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "server/http_types.h"
#include "server/request_arena.h"

namespace botify::server {

// Thread-compatible: one per connection, on its worker thread.
class RequestBuffers {
 public:
  // Room for one request's method, target and header fields: a request of a few headers
  // (wrk's, the simulator's, nginx's: a few hundred bytes with Beast's ~60 B per field)
  // fits several times over; a larger one spills to the heap and still works.
  static constexpr std::size_t kFieldsArenaBytes = 2048;
  // A body buffer at most this large is kept for the next request (the API's bodies are
  // ~40 bytes); a larger one (an admin upload of up to 1 GiB) is freed, not pinned.
  static constexpr std::size_t kRecycledBodyCapacity = 64 * 1024;

  RequestBuffers() = default;
  RequestBuffers(const RequestBuffers&) = delete;
  RequestBuffers& operator=(const RequestBuffers&) = delete;

  // Replaces *parser (a parser is single-use) with a fresh one over these buffers,
  // taking back the body buffer of the one it replaces. Every parser these buffers made
  // must be destroyed before the buffers are.
  void Renew(std::optional<RequestParser>* parser);

  const RequestArena& arena() const { return arena_; }

 private:
  RequestArena arena_{kFieldsArenaBytes};
  std::string spare_body_;
};

}  // namespace botify::server
