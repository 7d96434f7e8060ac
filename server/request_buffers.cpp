#include "server/request_buffers.h"

#include <tuple>
#include <utility>

namespace botify::server {

void RequestBuffers::Renew(std::optional<RequestParser>* parser) {
  if (parser->has_value()) {
    std::string& body = (*parser)->get().body();
    if (body.capacity() <= kRecycledBodyCapacity) spare_body_ = std::move(body);
    spare_body_.clear();  // keeps the capacity
  }
  // emplace() destroys the old parser first, so its fields go back to the arena (which
  // then starts over) before the new one parses anything.
  parser->emplace(std::piecewise_construct, std::make_tuple(std::move(spare_body_)),
                  std::make_tuple(ArenaAllocator<char>(&arena_)));
}

}  // namespace botify::server
