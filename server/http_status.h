// The one place where a Status code becomes an HTTP status.
#pragma once

#include <ostream>  // boost/core string_view needs it before Beast headers in 1.81

#include <boost/beast/http/status.hpp>

#include "base/status.h"

namespace botify::server {

boost::beast::http::status HttpStatusFor(StatusCode code);

}  // namespace botify::server
