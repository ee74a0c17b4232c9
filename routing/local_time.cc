#include "routing/local_time.h"

namespace acd::routing {

absl::Time ToAbslTime(Timestamp at) { return absl::FromUnixMicros(at.time_since_epoch().count()); }

Timestamp FromAbslTime(absl::Time at) { return Timestamp(Duration(absl::ToUnixMicros(at))); }

absl::CivilSecond ToLocal(Timestamp at, const absl::TimeZone& zone) {
  return absl::ToCivilSecond(ToAbslTime(at), zone);
}

Timestamp FromLocal(absl::CivilSecond local, const absl::TimeZone& zone) {
  return FromAbslTime(absl::FromCivil(local, zone));
}

Timestamp NextLocalMidnight(Timestamp at, const absl::TimeZone& zone) {
  const absl::CivilDay today(ToLocal(at, zone));
  return FromLocal(absl::CivilSecond(today + 1), zone);
}

}  // namespace acd::routing
