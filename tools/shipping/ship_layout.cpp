#include "tools/shipping/ship_layout.h"

namespace botify::tools {

std::string SegmentFolder(ShipLayout layout, const eventlog::SegmentName& name) {
  switch (layout) {
    case ShipLayout::kPlain:
      return name.day + "/" + name.host;
    case ShipLayout::kHive:
      return "day=" + name.day + "/host=" + name.host;
  }
  return name.day + "/" + name.host;
}

Result<ShipLayout> ParseShipLayout(std::string_view text) {
  if (text == "plain") return ShipLayout::kPlain;
  if (text == "hive") return ShipLayout::kHive;
  return Status::InvalidArgument("--layout '" + std::string(text) +
                                 "': expected plain (<day>/<host>/) or hive "
                                 "(day=<day>/host=<host>/)");
}

}  // namespace botify::tools
