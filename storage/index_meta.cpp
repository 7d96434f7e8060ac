#include "storage/index_meta.h"

#include <boost/json.hpp>

#include "base/json_fields.h"

namespace botify::storage {

namespace json = boost::json;

std::string IndexMeta::ToJson() const {
  json::object o;
  o["key"] = catalog::ListKeyName(key);
  o["lists"] = lists;
  o["tracks"] = tracks;
  o["source"] = source;
  o["source_crc32"] = source_crc32;
  o["built_at_ms"] = built_at_ms;
  if (session_model_bytes > 0) o["session_model_bytes"] = session_model_bytes;
  o["name"] = name;
  o["generation"] = generation;
  o["loaded_at_ms"] = loaded_at_ms;
  return json::serialize(o);
}

Result<IndexMeta> IndexMeta::FromJson(std::string_view text) {
  auto obj = ParseObject(text);
  if (!obj.ok()) return obj.status().WithContext("index metadata");
  IndexMeta m;
  auto key = GetString(*obj, "key");
  if (!key.ok()) return key.status();
  if (*key != "user" && *key != "track") {
    return Status::Corruption("index metadata: key '" + *key + "' is neither user nor track");
  }
  m.key = *key == "user" ? catalog::ListKey::kUser : catalog::ListKey::kTrack;
  auto num = [&](const char* f, auto* out) -> Status {
    auto v = GetNumber(*obj, f);
    if (!v.ok()) return v.status().WithContext("index metadata");
    *out = static_cast<std::remove_pointer_t<decltype(out)>>(*v);
    return Status::Ok();
  };
  BOTIFY_RETURN_IF_ERROR(num("lists", &m.lists));
  BOTIFY_RETURN_IF_ERROR(num("tracks", &m.tracks));
  BOTIFY_RETURN_IF_ERROR(num("built_at_ms", &m.built_at_ms));
  BOTIFY_RETURN_IF_ERROR(num("generation", &m.generation));
  BOTIFY_RETURN_IF_ERROR(num("loaded_at_ms", &m.loaded_at_ms));
  if (obj->contains("session_model_bytes")) {
    BOTIFY_RETURN_IF_ERROR(num("session_model_bytes", &m.session_model_bytes));
  }
  for (auto [field, out] :
       {std::pair{"source", &m.source}, {"source_crc32", &m.source_crc32}, {"name", &m.name}}) {
    auto s = GetString(*obj, field);
    if (!s.ok()) return s.status().WithContext("index metadata");
    *out = *s;
  }
  return m;
}

}  // namespace botify::storage
